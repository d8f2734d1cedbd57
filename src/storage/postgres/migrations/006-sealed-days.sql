-- Sealed days (DESIGN §9). org_heads.sealed_through is the last epoch day closed for sealing: the
-- appender never stamps an event on or before it. day_digests holds each sealed day's signed
-- digest as RFC 8785 JSON, never changed, walled per org like the events. signing_keys records
-- every key a server signed with, and for a key made by `sectrail signing-key rotate`,
-- the announcement of it signed by the key before (installation-wide, public).
ALTER TABLE org_heads ADD COLUMN sealed_through integer;

CREATE TABLE day_digests (
  org_id text NOT NULL REFERENCES orgs (id),
  day    integer NOT NULL,
  digest text NOT NULL,
  PRIMARY KEY (org_id, day)
);
CREATE TRIGGER day_digests_no_update BEFORE UPDATE ON day_digests
  FOR EACH ROW EXECUTE FUNCTION events_refuse_update();
ALTER TABLE day_digests ENABLE ROW LEVEL SECURITY;
ALTER TABLE day_digests FORCE ROW LEVEL SECURITY;
CREATE POLICY org_wall ON day_digests USING (sectrail_org_visible(org_id)) WITH CHECK (sectrail_org_visible(org_id));

CREATE TABLE signing_keys (
  key_id      text PRIMARY KEY,
  public_key  text NOT NULL,
  valid_from  bigint NOT NULL,
  valid_until bigint,
  announcement text
);
