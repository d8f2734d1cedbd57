-- Bounded trail reads. day_chunk_roots keeps, per sealed day, the roots of its aligned chunks of
-- chunk_size leaves (32-byte hashes end to end, the partial last chunk included), so that a proof
-- re-hashes one chunk instead of the day; written with the digest (or once, on a first proof, for
-- a day sealed before), never changed, walled per org like the digests. events_by_type answers an
-- eventTypes filter without reading the rest of the day; made on the partitioned table, it is made
-- on every partition, present and future (this builds it over the events already stored).
CREATE TABLE day_chunk_roots (
  org_id     text NOT NULL REFERENCES orgs (id),
  day        integer NOT NULL,
  chunk_size integer NOT NULL,
  roots      bytea NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TRIGGER day_chunk_roots_no_update BEFORE UPDATE ON day_chunk_roots
  FOR EACH ROW EXECUTE FUNCTION events_refuse_update();
ALTER TABLE day_chunk_roots ENABLE ROW LEVEL SECURITY;
ALTER TABLE day_chunk_roots FORCE ROW LEVEL SECURITY;
CREATE POLICY org_wall ON day_chunk_roots USING (sectrail_org_visible(org_id)) WITH CHECK (sectrail_org_visible(org_id));

CREATE INDEX events_by_type ON events (org_id, day, type, seq);
