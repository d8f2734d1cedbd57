-- Bounded trail reads. day_tree_nodes keeps, per sealed day, the roots of its aligned chunks of
-- chunk_size leaves and the nodes above them (32-byte hashes end to end), so that a proof re-hashes
-- one chunk instead of the day; written with the digest (or once, on a first proof, for a day
-- sealed before), never changed. events_by_type answers an eventTypes filter without
-- reading the rest of the day.
CREATE TABLE day_tree_nodes (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  day        INTEGER NOT NULL,
  chunk_size INTEGER NOT NULL,
  nodes      BLOB NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TRIGGER day_tree_nodes_no_update BEFORE UPDATE ON day_tree_nodes
BEGIN SELECT RAISE(ABORT, 'tree nodes are never changed'); END;

CREATE INDEX events_by_type ON events (org_id, day, type, seq);
