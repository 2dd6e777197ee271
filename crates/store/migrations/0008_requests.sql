-- 依申请公开: requests, their events (the clock's and the workflow's), tracking codes.

CREATE TABLE request_sequences (
    year BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

CREATE TABLE requests (
    id {id},
    -- Shown to the applicant with a secret key; only the key's SHA-256 is kept.
    tracking_code TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    status TEXT NOT NULL,
    channel TEXT NOT NULL,
    submitted_on {date} NOT NULL,
    arrived_on {date},
    confirmed_on {date},
    -- 收到申请之日 (条例第三十一条), derived from the three dates above by the channel's rule.
    received_on {date},
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    id_type TEXT NOT NULL,
    -- Personal data: never in a public page, feed, export or log line.
    id_number TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    address TEXT,
    description TEXT NOT NULL,
    doc_reference TEXT,
    purpose TEXT,
    delivery_form TEXT NOT NULL,
    delivery_channel TEXT NOT NULL,
    assignee_id BIGINT,
    outcome TEXT,
    reply_text TEXT,
    withheld_note TEXT,
    replied_on {date},
    delivered_how TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX requests_agency ON requests (agency_id, status);
CREATE INDEX requests_received ON requests (received_on);

-- Every step, in order. `clock` holds the clock event (JSON) the step adds, if any; `note`
-- is for staff only; `public_note` is what the applicant's tracking page shows.
CREATE TABLE request_events (
    id {id},
    request_id BIGINT NOT NULL REFERENCES requests (id),
    at {ts} NOT NULL,
    on_date {date} NOT NULL,
    step TEXT NOT NULL,
    clock TEXT,
    note TEXT,
    public_note TEXT,
    actor_user_id BIGINT
);
CREATE INDEX request_events_request ON request_events (request_id, id);
