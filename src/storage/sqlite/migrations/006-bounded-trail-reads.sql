-- Bounded trail reads. day_chunk_roots keeps, per sealed day, the roots of its aligned chunks of
-- chunk_size leaves (32-byte hashes end to end, the partial last chunk included), so that a proof
-- re-hashes one chunk instead of the day; written with the digest (or once, on a first proof, for
-- a day sealed before), never changed. events_by_type answers an eventTypes filter without
-- reading the rest of the day.
CREATE TABLE day_chunk_roots (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  day        INTEGER NOT NULL,
  chunk_size INTEGER NOT NULL,
  roots      BLOB NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TRIGGER day_chunk_roots_no_update BEFORE UPDATE ON day_chunk_roots
BEGIN SELECT RAISE(ABORT, 'chunk roots are never changed'); END;

CREATE INDEX events_by_type ON events (org_id, day, type, seq);
