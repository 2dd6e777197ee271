-- Attempts are counted per scope (staff login, tracking lookups, filings …): a public bucket
-- used to be stored as a username, so a staff account named `track` was locked out by the
-- public's failed lookups.
ALTER TABLE login_attempts ADD COLUMN scope TEXT NOT NULL DEFAULT 'login';
UPDATE login_attempts SET scope = username, username = '' WHERE client LIKE '%|%';
CREATE INDEX login_attempts_scope_client ON login_attempts (scope, client, at);
CREATE INDEX login_attempts_scope_user ON login_attempts (scope, username, client, at);
