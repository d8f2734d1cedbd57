-- The windows of failure-event flood protection: per (org, key), when the window started, how many
-- failures it wrote one by one, and what it folded (null when nothing), until its summary event is
-- written and the row deleted. Walled by org like every other table.
CREATE TABLE failure_folds (
  org_id       text NOT NULL REFERENCES orgs (id),
  key          text NOT NULL,
  window_start bigint NOT NULL,
  written      integer NOT NULL,
  folded       jsonb,
  PRIMARY KEY (org_id, key)
);
CREATE INDEX failure_folds_by_start ON failure_folds (window_start);

ALTER TABLE failure_folds ENABLE ROW LEVEL SECURITY;
ALTER TABLE failure_folds FORCE ROW LEVEL SECURITY;
CREATE POLICY org_wall ON failure_folds USING (sectrail_org_visible(org_id)) WITH CHECK (sectrail_org_visible(org_id));
