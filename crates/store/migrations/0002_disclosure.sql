-- Proactive disclosure: documents with versions, 索引号 sequences, relations.

-- Per-agency rules: the 索引号 pattern (NULL = {agency_code}/{year}-{seq:05}) and the
-- publication limit in working days (NULL = 20, 条例 Art. 26).
ALTER TABLE agencies ADD COLUMN index_pattern TEXT;
ALTER TABLE agencies ADD COLUMN publication_limit BIGINT;

-- The last sequence number issued per agency and year. Only ever increases, so a number is
-- never issued twice, even after a record is withdrawn.
CREATE TABLE index_sequences (
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    year BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (agency_id, year)
);

-- A document's identity and what the public sees. Metadata lives in versions: a published
-- version is never changed; a correction is a new version.
CREATE TABLE documents (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    index_no TEXT NOT NULL UNIQUE,
    -- The version being worked on (the latest) and the one the public sees (NULL: not public).
    working_version_id BIGINT,
    public_version_id BIGINT,
    validity TEXT NOT NULL DEFAULT 'current',
    withdrawn_at {ts},
    withdraw_reason TEXT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX documents_agency ON documents (agency_id);
CREATE INDEX documents_public ON documents (public_version_id);

CREATE TABLE document_versions (
    id {id},
    document_id BIGINT NOT NULL REFERENCES documents (id),
    version_no BIGINT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_number TEXT,
    doc_issuer TEXT,
    doc_year BIGINT,
    doc_seq BIGINT,
    co_issuers TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    topic TEXT,
    keywords TEXT NOT NULL DEFAULT '',
    formed_on {date} NOT NULL,
    published_on {date},
    effective_on {date},
    is_normative BOOLEAN NOT NULL DEFAULT FALSE,
    needs_interpretation BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT NOT NULL,
    disclosure_mode TEXT,
    disclosure_scope TEXT,
    withhold_ground TEXT,
    attribute_note TEXT NOT NULL DEFAULT '',
    return_reason TEXT,
    change_note TEXT,
    created_by BIGINT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (document_id, version_no)
);
CREATE INDEX document_versions_doc_number ON document_versions (doc_number);
CREATE INDEX document_versions_published ON document_versions (published_on);

-- from amends / replaces / repeals to; the target's validity follows when `from` is published.
CREATE TABLE document_relations (
    from_id BIGINT NOT NULL REFERENCES documents (id),
    to_id BIGINT NOT NULL REFERENCES documents (id),
    kind TEXT NOT NULL,
    created_at {ts} NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX document_relations_to ON document_relations (to_id);
