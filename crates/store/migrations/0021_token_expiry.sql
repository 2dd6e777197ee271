-- API tokens end: at their expiry (set when created; a token from before this migration
-- expires 90 days after it was created, decided when it is used), when revoked, when the
-- user's password changes and when the account is deactivated.
ALTER TABLE api_tokens ADD COLUMN expires_at {ts};
CREATE INDEX api_tokens_user ON api_tokens (user_id);
