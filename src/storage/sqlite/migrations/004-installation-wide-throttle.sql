-- Sign-in counts per address span every org (org_id '*'), so login_throttle.org_id may name no org:
-- the table is rebuilt without that foreign key (SQLite cannot drop a constraint in place).
CREATE TABLE login_throttle_next (
  org_id           TEXT NOT NULL,
  key              TEXT NOT NULL,
  failures         INTEGER NOT NULL,
  first_failure_at INTEGER NOT NULL,
  last_failure_at  INTEGER NOT NULL,
  blocked_until    INTEGER NOT NULL,
  PRIMARY KEY (org_id, key)
);
INSERT INTO login_throttle_next SELECT org_id, key, failures, first_failure_at, last_failure_at, blocked_until FROM login_throttle;
DROP TABLE login_throttle;
ALTER TABLE login_throttle_next RENAME TO login_throttle;
