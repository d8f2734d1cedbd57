-- People and what they may do: privileges, sessions, invitations, groups, resources and their
-- permissions, login settings, and sign-in throttling. Keyed by org_id first, like the rest.

ALTER TABLE members ADD COLUMN privileges TEXT NOT NULL DEFAULT '[]';

-- JSON of the org's login settings; NULL until first changed (the defaults apply).
ALTER TABLE orgs ADD COLUMN auth_settings TEXT;

CREATE TABLE sessions (
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  id           TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  user_id      TEXT NOT NULL,
  method       TEXT NOT NULL CHECK (method IN ('password', 'sso')),
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  PRIMARY KEY (org_id, id)
);

CREATE TABLE invitations (
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  id               TEXT NOT NULL,
  hash             TEXT NOT NULL UNIQUE,
  email            TEXT NOT NULL,
  role             TEXT NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  invited_by_id    TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL,
  accepted_at      INTEGER,
  accepted_user_id TEXT,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX invitations_by_email ON invitations (org_id, email);

CREATE TABLE user_groups (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  id         TEXT NOT NULL,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, name)
);

CREATE TABLE user_group_members (
  org_id   TEXT NOT NULL,
  group_id TEXT NOT NULL,
  user_id  TEXT NOT NULL,
  PRIMARY KEY (org_id, group_id, user_id),
  FOREIGN KEY (org_id, group_id) REFERENCES user_groups (org_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES members (org_id, id)
);

CREATE TABLE resources (
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  id         TEXT NOT NULL,
  type       TEXT NOT NULL,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, id)
);

CREATE TABLE permissions (
  org_id       TEXT NOT NULL,
  resource_id  TEXT NOT NULL,
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('user', 'group')),
  subject_id   TEXT NOT NULL,
  access       TEXT NOT NULL CHECK (access IN ('read', 'write', 'admin')),
  PRIMARY KEY (org_id, resource_id, subject_kind, subject_id),
  FOREIGN KEY (org_id, resource_id) REFERENCES resources (org_id, id)
);

CREATE TABLE login_throttle (
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  key              TEXT NOT NULL,
  failures         INTEGER NOT NULL,
  first_failure_at INTEGER NOT NULL,
  last_failure_at  INTEGER NOT NULL,
  blocked_until    INTEGER NOT NULL,
  PRIMARY KEY (org_id, key)
);
