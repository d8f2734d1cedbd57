-- Sealed days (DESIGN §9). org_heads.sealed_through is the last epoch day closed for sealing: the
-- appender never stamps an event on or before it. day_digests holds each sealed day's signed
-- digest as RFC 8785 JSON, never changed. signing_keys records every key a server signed with, and for a key made by `sectrail signing-key rotate`,
-- the announcement of it signed by the key before.
ALTER TABLE org_heads ADD COLUMN sealed_through INTEGER;

CREATE TABLE day_digests (
  org_id TEXT NOT NULL REFERENCES orgs (id),
  day    INTEGER NOT NULL,
  digest TEXT NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TRIGGER day_digests_no_update BEFORE UPDATE ON day_digests
BEGIN SELECT RAISE(ABORT, 'digests are never changed'); END;

CREATE TABLE signing_keys (
  key_id      TEXT PRIMARY KEY,
  public_key  TEXT NOT NULL,
  valid_from  INTEGER NOT NULL,
  valid_until INTEGER,
  announcement TEXT
);
