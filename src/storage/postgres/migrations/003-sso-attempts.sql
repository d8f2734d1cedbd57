-- SSO sign-ins between start and callback. A row is deleted when its callback arrives, so a state
-- works once; expired rows are swept by later starts.
CREATE TABLE sso_attempts (
  hash            text PRIMARY KEY,
  org_id          text NOT NULL REFERENCES orgs (id),
  provider        text NOT NULL,
  state           text NOT NULL,
  nonce           text NOT NULL,
  sealed_verifier text NOT NULL,
  created_at      bigint NOT NULL,
  expires_at      bigint NOT NULL
);
CREATE INDEX sso_attempts_by_expiry ON sso_attempts (expires_at);
