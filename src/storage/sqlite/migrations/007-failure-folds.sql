-- The windows of failure-event flood protection: per (org, key), when the window started, how many
-- failures it wrote one by one, and what it folded (JSON, null when nothing), until its summary
-- event is written and the row deleted.
CREATE TABLE failure_folds (
  org_id       TEXT NOT NULL,
  key          TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  written      INTEGER NOT NULL,
  folded       TEXT,
  PRIMARY KEY (org_id, key)
);
CREATE INDEX failure_folds_by_start ON failure_folds (window_start);
