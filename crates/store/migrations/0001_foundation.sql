-- Foundation schema. Portable SQL: {id}, {ts} and {date} expand per backend (see migrate.rs).

CREATE TABLE agencies (
    id {id},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES agencies (id),
    phone TEXT,
    email TEXT,
    address TEXT,
    postcode TEXT,
    office_hours TEXT,
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX agencies_parent ON agencies (parent_id);

CREATE TABLE users (
    id {id},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX users_agency ON users (agency_id);

-- Sessions live in the database so any app server can serve any request. Only a hash of
-- the session id is stored: a leaked table cannot be replayed as cookies.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at {ts} NOT NULL,
    last_used_at {ts},
    revoked_at {ts}
);

CREATE TABLE login_attempts (
    id {id},
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    success BOOLEAN NOT NULL,
    at {ts} NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts (username, at);
CREATE INDEX login_attempts_client ON login_attempts (client, at);

CREATE TABLE calendar_overrides (
    day {date} PRIMARY KEY,
    workday BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at {ts} NOT NULL
);

-- Append-only (enforced by triggers): who did what to which record, with before and after.
-- actor_user_id is deliberately not a foreign key: the log outlives accounts.
CREATE TABLE audit_log (
    id {id},
    at {ts} NOT NULL,
    actor_user_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

-- Transactional outbox: written in the same transaction as the change it announces; each
-- node's indexer tails it.
CREATE TABLE outbox (
    id {id},
    at {ts} NOT NULL,
    topic TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    payload TEXT
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at {ts} NOT NULL
);
