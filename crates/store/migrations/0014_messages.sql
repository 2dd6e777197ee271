-- 留言 / 网上咨询 / 领导信箱: messages from the public, their handling and 选登.

CREATE TABLE message_sequences (
    year BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

-- Per agency and box: the reply limit in working days (5 when there is no row).
CREATE TABLE message_boxes (
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    box TEXT NOT NULL,
    reply_workdays BIGINT NOT NULL,
    PRIMARY KEY (agency_id, box)
);

CREATE TABLE messages (
    id {id},
    -- Shown to the asker with a secret key; only the key's SHA-256 is kept.
    tracking_code TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    box TEXT NOT NULL,
    -- The policy a 政策留言 is about.
    document_id BIGINT REFERENCES documents (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- Personal data: never on a public page, feed or export.
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    consent BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    simple BOOLEAN NOT NULL,
    received_on {date} NOT NULL,
    due_on {date} NOT NULL,
    assignee_id BIGINT REFERENCES users (id),
    triage_note TEXT,
    transferred_from BIGINT REFERENCES messages (id),
    transferred_to BIGINT REFERENCES messages (id),
    reply TEXT,
    replied_on {date},
    supervised BOOLEAN NOT NULL,
    supervise_note TEXT,
    -- 选登: the published copy, edited apart from the original.
    public_title TEXT,
    public_body TEXT,
    public_reply TEXT,
    published_at {ts},
    rating TEXT,
    rating_note TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX messages_agency ON messages (agency_id, status);
CREATE INDEX messages_document ON messages (document_id);
