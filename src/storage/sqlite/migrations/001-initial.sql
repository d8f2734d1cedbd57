-- Platform tables and the trail. Every table is keyed by org_id first: an org's rows sit together
-- and the same layout distributes by org on PostgreSQL.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);

CREATE TABLE orgs (
  id                   TEXT PRIMARY KEY,
  slug                 TEXT NOT NULL UNIQUE,
  name                 TEXT NOT NULL,
  security_log_enabled INTEGER NOT NULL DEFAULT 0,
  created_at           INTEGER NOT NULL
);

-- The org's event head: the last seq and timestamp given out. Updated in the transaction that
-- appends, so seq is gap-free and in commit order, and timestamps never go backwards.
CREATE TABLE org_heads (
  org_id   TEXT PRIMARY KEY REFERENCES orgs (id),
  last_seq INTEGER NOT NULL,
  last_ts  INTEGER NOT NULL
);

CREATE TABLE members (
  org_id        TEXT NOT NULL REFERENCES orgs (id),
  id            TEXT NOT NULL,
  email         TEXT NOT NULL,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  password_hash TEXT,
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, email)
);

CREATE TABLE service_accounts (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  id         TEXT NOT NULL,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, name)
);

CREATE TABLE access_tokens (
  org_id        TEXT NOT NULL REFERENCES orgs (id),
  id            TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  hash          TEXT NOT NULL UNIQUE,
  owner_kind    TEXT NOT NULL CHECK (owner_kind IN ('user', 'service_account')),
  owner_id      TEXT NOT NULL,
  scopes        TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER,
  revoked_at    INTEGER,
  last_used_at  INTEGER,
  use_logged_at INTEGER,
  PRIMARY KEY (org_id, id)
);

-- The trail. `envelope` is the event's canonical JSON, written once and served as is.
CREATE TABLE events (
  org_id   TEXT NOT NULL REFERENCES orgs (id),
  seq      INTEGER NOT NULL,
  day      INTEGER NOT NULL,
  ts       INTEGER NOT NULL,
  id       TEXT NOT NULL,
  type     TEXT NOT NULL,
  envelope TEXT NOT NULL,
  PRIMARY KEY (org_id, seq)
);
CREATE INDEX events_by_day ON events (org_id, day, seq);
CREATE UNIQUE INDEX events_by_id ON events (id);

-- Events are never edited: the database refuses an UPDATE as well as the code never issuing one.
-- Rows leave only with their whole day, through retention.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
