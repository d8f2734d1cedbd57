-- Platform tables and the trail on PostgreSQL, mirroring the SQLite schema. Every key starts with
-- org_id: an org's rows sit together, ready for row-level security and distribution by org.
-- Times are milliseconds since the epoch (bigint), as on SQLite.

CREATE TABLE settings (
  key   text PRIMARY KEY,
  value bytea NOT NULL
);

CREATE TABLE orgs (
  id                   text PRIMARY KEY,
  slug                 text NOT NULL UNIQUE,
  name                 text NOT NULL,
  security_log_enabled boolean NOT NULL DEFAULT false,
  created_at           bigint NOT NULL
);

-- The org's event head: the last seq and timestamp given out. The appender locks this row
-- (SELECT ... FOR UPDATE) until its transaction commits, so seq is gap-free and in commit order
-- across every server sharing the database, and timestamps never go backwards.
CREATE TABLE org_heads (
  org_id   text PRIMARY KEY REFERENCES orgs (id),
  last_seq bigint NOT NULL,
  last_ts  bigint NOT NULL
);

CREATE TABLE members (
  org_id        text NOT NULL REFERENCES orgs (id),
  id            text NOT NULL,
  email         text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  password_hash text,
  created_at    bigint NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, email)
);

CREATE TABLE service_accounts (
  org_id     text NOT NULL REFERENCES orgs (id),
  id         text NOT NULL,
  name       text NOT NULL,
  role       text NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  created_at bigint NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, name)
);

CREATE TABLE access_tokens (
  org_id        text NOT NULL REFERENCES orgs (id),
  id            text NOT NULL UNIQUE,
  name          text NOT NULL,
  hash          text NOT NULL UNIQUE,
  owner_kind    text NOT NULL CHECK (owner_kind IN ('user', 'service_account')),
  owner_id      text NOT NULL,
  scopes        jsonb NOT NULL,
  created_at    bigint NOT NULL,
  expires_at    bigint,
  revoked_at    bigint,
  last_used_at  bigint,
  use_logged_at bigint,
  PRIMARY KEY (org_id, id)
);

-- The trail, partitioned by UTC day in monthly ranges (postgres-event-partitions.ts attaches
-- them ahead of time); the default partition takes any day without one, so an insert never fails.
-- A partitioned table's unique keys must contain `day`: (org_id, seq) is kept unique by the
-- org_heads row lock, not by an index. `envelope` is the canonical JSON, written once, served as is.
CREATE TABLE events (
  org_id   text NOT NULL REFERENCES orgs (id),
  seq      bigint NOT NULL,
  day      integer NOT NULL,
  ts       bigint NOT NULL,
  id       text NOT NULL,
  type     text NOT NULL,
  envelope text NOT NULL,
  PRIMARY KEY (org_id, day, seq)
) PARTITION BY RANGE (day);
CREATE INDEX events_by_seq ON events (org_id, seq);
-- A UUIDv7 id carries its event's time, hence its day: a lookup by id can name the partition.
CREATE INDEX events_by_id ON events (id);
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- Events are never edited. A row trigger (cloned onto every partition, present and future)
-- refuses an UPDATE as well as the code never issuing one; rows leave only through retention.
CREATE FUNCTION events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only';
END
$$;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  FOR EACH ROW EXECUTE FUNCTION events_refuse_update();
