-- People and what they may do: privileges, sessions, invitations, groups, resources and their
-- permissions, login settings, and sign-in throttling. Keyed by org_id first, like the rest.

ALTER TABLE members ADD COLUMN privileges jsonb NOT NULL DEFAULT '[]';

-- The org's login settings; NULL until first changed (the defaults apply).
ALTER TABLE orgs ADD COLUMN auth_settings jsonb;

CREATE TABLE sessions (
  org_id       text NOT NULL REFERENCES orgs (id),
  id           text NOT NULL,
  hash         text NOT NULL UNIQUE,
  user_id      text NOT NULL,
  method       text NOT NULL CHECK (method IN ('password', 'sso')),
  created_at   bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at   bigint NOT NULL,
  revoked_at   bigint,
  PRIMARY KEY (org_id, id)
);

CREATE TABLE invitations (
  org_id           text NOT NULL REFERENCES orgs (id),
  id               text NOT NULL,
  hash             text NOT NULL UNIQUE,
  email            text NOT NULL,
  role             text NOT NULL CHECK (role IN ('reader', 'writer', 'admin')),
  invited_by_id    text NOT NULL,
  created_at       bigint NOT NULL,
  expires_at       bigint NOT NULL,
  accepted_at      bigint,
  accepted_user_id text,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX invitations_by_email ON invitations (org_id, email);

CREATE TABLE user_groups (
  org_id     text NOT NULL REFERENCES orgs (id),
  id         text NOT NULL,
  name       text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (org_id, id),
  UNIQUE (org_id, name)
);

CREATE TABLE user_group_members (
  org_id   text NOT NULL,
  group_id text NOT NULL,
  user_id  text NOT NULL,
  PRIMARY KEY (org_id, group_id, user_id),
  FOREIGN KEY (org_id, group_id) REFERENCES user_groups (org_id, id),
  FOREIGN KEY (org_id, user_id) REFERENCES members (org_id, id)
);

CREATE TABLE resources (
  org_id     text NOT NULL REFERENCES orgs (id),
  id         text NOT NULL,
  type       text NOT NULL,
  name       text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (org_id, id)
);

CREATE TABLE permissions (
  org_id       text NOT NULL,
  resource_id  text NOT NULL,
  subject_kind text NOT NULL CHECK (subject_kind IN ('user', 'group')),
  subject_id   text NOT NULL,
  access       text NOT NULL CHECK (access IN ('read', 'write', 'admin')),
  PRIMARY KEY (org_id, resource_id, subject_kind, subject_id),
  FOREIGN KEY (org_id, resource_id) REFERENCES resources (org_id, id)
);

-- Sign-in failure counts live in the database so that throttling holds across every server.
CREATE TABLE login_throttle (
  org_id           text NOT NULL REFERENCES orgs (id),
  key              text NOT NULL,
  failures         integer NOT NULL,
  first_failure_at bigint NOT NULL,
  last_failure_at  bigint NOT NULL,
  blocked_until    bigint NOT NULL,
  PRIMARY KEY (org_id, key)
);
