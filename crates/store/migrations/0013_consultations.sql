-- 意见征集 / 决策预公开: drafts put to the public, the versions of each draft, the comments
-- received, the disposition of each (the ledger) and the feedback report made from it.
CREATE TABLE consultations (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    title TEXT NOT NULL,
    explanation TEXT NOT NULL,
    basis TEXT NOT NULL,
    draft TEXT NOT NULL,
    version BIGINT NOT NULL,
    opens_on {date} NOT NULL,
    closes_on {date} NOT NULL,
    short_reason TEXT,
    channels TEXT NOT NULL,
    name_rule TEXT NOT NULL,
    contact_rule TEXT NOT NULL,
    published_at {ts},
    -- The decision's publication, entered by staff; the report is due 10 working days later.
    decided_on {date},
    decision_document_id BIGINT REFERENCES documents (id),
    report_due_on {date},
    -- The published feedback report: the ledger's figures as JSON, frozen with the ledger.
    report_json TEXT,
    report_note TEXT,
    report_published_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX consultations_agency ON consultations (agency_id);

-- Every published wording of a draft; comments name the version they were made on.
CREATE TABLE consultation_versions (
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    version BIGINT NOT NULL,
    explanation TEXT NOT NULL,
    basis TEXT NOT NULL,
    draft TEXT NOT NULL,
    published_at {ts} NOT NULL,
    PRIMARY KEY (consultation_id, version)
);

-- 集中意见: similar opinions answered together.
CREATE TABLE opinion_groups (
    id {id},
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    summary TEXT NOT NULL,
    disposition TEXT,
    reason TEXT
);
CREATE INDEX opinion_groups_consultation ON opinion_groups (consultation_id);

CREATE TABLE consultation_comments (
    id {id},
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    version BIGINT NOT NULL,
    article BIGINT,
    body TEXT NOT NULL,
    -- Personal data: the name is public only when show_name; the contact never is.
    name TEXT,
    contact TEXT,
    show_name BOOLEAN NOT NULL,
    -- 'website', or the channel staff entered it from (letter, e-mail, meeting).
    channel TEXT NOT NULL,
    -- SHA-256 of the client address: for duplicate checks, never shown.
    client_hash TEXT NOT NULL,
    received_at {ts} NOT NULL,
    hidden_reason TEXT,
    group_id BIGINT REFERENCES opinion_groups (id),
    disposition TEXT,
    reason TEXT
);
CREATE INDEX consultation_comments_consultation ON consultation_comments (consultation_id, id);
