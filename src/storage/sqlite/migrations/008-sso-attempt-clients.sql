-- Which client started each SSO sign-in (its address, an IPv6 client by its /64), so that one
-- client keeps only a bounded number open and cannot grow the table by starting sign-ins.
ALTER TABLE sso_attempts ADD COLUMN client_key TEXT;
CREATE INDEX sso_attempts_by_client ON sso_attempts (org_id, client_key, created_at);
