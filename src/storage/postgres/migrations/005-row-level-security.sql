-- Row-level security on org_id: a second wall between orgs, behind every query's own
-- `WHERE org_id = $1`. A connection sees an org's rows only when its `sectrail.org_id` setting
-- names that org; `*` (installation-wide) sees every org. The trail reader's connections start
-- with no org and name one per read; the platform's name `*`, for lookups that must span orgs
-- (a token or session by its hash, an org by its slug). FORCE makes the policies bind the tables'
-- owner too; only superusers and BYPASSRLS roles pass through (the server warns when it runs as one).
-- Partitions of `events` get the same policy as they are made (postgres-event-partitions.ts).

CREATE FUNCTION sectrail_org_visible(row_org text) RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT current_setting('sectrail.org_id', true) IN (row_org, '*') $$;

DO $$
DECLARE
  walled text[] := ARRAY['org_heads', 'members', 'service_accounts', 'access_tokens', 'events',
    'events_default', 'sessions', 'invitations', 'user_groups', 'user_group_members', 'resources',
    'permissions', 'login_throttle', 'sso_attempts'];
  name text;
BEGIN
  FOREACH name IN ARRAY walled LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
    EXECUTE format('CREATE POLICY org_wall ON %I USING (sectrail_org_visible(org_id)) WITH CHECK (sectrail_org_visible(org_id))', name);
  END LOOP;
  -- Monthly partitions made before this migration.
  FOR name IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'events'::regclass AND c.relname <> 'events_default' LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', name);
    EXECUTE format('CREATE POLICY org_wall ON %I USING (sectrail_org_visible(org_id)) WITH CHECK (sectrail_org_visible(org_id))', name);
  END LOOP;
END
$$;

ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE orgs FORCE ROW LEVEL SECURITY;
CREATE POLICY org_wall ON orgs USING (sectrail_org_visible(id)) WITH CHECK (sectrail_org_visible(id));
