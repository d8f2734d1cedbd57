-- Bounded trail reads. day_tree_nodes keeps, per sealed day, the roots of its aligned chunks of
-- chunk_size leaves and the nodes above them (32-byte hashes end to end), so that a proof re-hashes
-- one chunk instead of the day; written with the digest (or once, on a first proof, for a day
-- sealed before), never changed, walled per org like the digests. events_by_type answers an
-- eventTypes filter without reading the rest of the day; made on the partitioned table, it is made
-- on every partition, present and future (this builds it over the events already stored).
CREATE TABLE day_tree_nodes (
  org_id     text NOT NULL REFERENCES orgs (id),
  day        integer NOT NULL,
  chunk_size integer NOT NULL,
  nodes      bytea NOT NULL,
  PRIMARY KEY (org_id, day)
);
-- Hashes do not compress; kept out of line as they are, a proof's few nodes are read as slices.
ALTER TABLE day_tree_nodes ALTER COLUMN nodes SET STORAGE EXTERNAL;
CREATE TRIGGER day_tree_nodes_no_update BEFORE UPDATE ON day_tree_nodes
  FOR EACH ROW EXECUTE FUNCTION events_refuse_update();
ALTER TABLE day_tree_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE day_tree_nodes FORCE ROW LEVEL SECURITY;
CREATE POLICY org_wall ON day_tree_nodes USING (sectrail_org_visible(org_id)) WITH CHECK (sectrail_org_visible(org_id));

CREATE INDEX events_by_type ON events (org_id, day, type, seq);
