-- Sign-in counts per address span every org (org_id '*'), so login_throttle.org_id may name no org.
ALTER TABLE login_throttle DROP CONSTRAINT IF EXISTS login_throttle_org_id_fkey;
