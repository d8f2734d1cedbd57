-- SSO sign-ins between start and callback. A row is deleted when its callback arrives, so a state
-- works once; expired rows are swept by later starts.
CREATE TABLE sso_attempts (
  hash            TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES orgs (id),
  provider        TEXT NOT NULL,
  state           TEXT NOT NULL,
  nonce           TEXT NOT NULL,
  sealed_verifier TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL
);
CREATE INDEX sso_attempts_by_expiry ON sso_attempts (expires_at);
