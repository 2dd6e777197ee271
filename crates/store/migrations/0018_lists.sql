-- Typed disclosure lists (双公示, 权责清单, 办事指南 …): one table of record versions for every
-- kind. A published version is never changed; a change is a new version that supersedes it.
-- `fields` holds the values as JSON (field key → canonical text); `title` and `public_text`
-- are the masked public forms, so keyword filtering never sees a natural person's name.
CREATE TABLE list_records (
    id {id},
    kind TEXT NOT NULL,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    record_key TEXT NOT NULL,
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    fields TEXT NOT NULL,
    public_text TEXT NOT NULL,
    -- The item ceased with this version (a power 取消): kept in history, not in the list.
    ceased BOOLEAN NOT NULL,
    record_on {date},
    due_on {date},
    public_until {date},
    change_note TEXT,
    effective_from {date},
    effective_to {date},
    published_at {ts},
    created_by BIGINT,
    created_at {ts} NOT NULL,
    UNIQUE (kind, agency_id, record_key, version)
);
CREATE INDEX list_records_public ON list_records (kind, status, record_on);
CREATE INDEX list_records_agency ON list_records (agency_id, kind, status);

-- The filter values of each version: choices as they are, dates by year.
CREATE TABLE list_facets (
    record_id BIGINT NOT NULL REFERENCES list_records (id),
    field TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX list_facets_lookup ON list_facets (field, value, record_id);
CREATE INDEX list_facets_record ON list_facets (record_id);

-- Amounts collected under a 收费目录 item, per year: they make table 二's fee line.
CREATE TABLE fee_collections (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    record_key TEXT NOT NULL,
    year BIGINT NOT NULL,
    amount_cents BIGINT NOT NULL,
    source TEXT NOT NULL,
    recorded_at {ts} NOT NULL,
    UNIQUE (agency_id, record_key, year)
);

-- Resources of an open dataset: a stored file or an API endpoint. Keyed by the dataset's key,
-- so resources stay with the dataset across its versions.
CREATE TABLE dataset_resources (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    record_key TEXT NOT NULL,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    file_name TEXT,
    sha256 TEXT REFERENCES blobs (sha256),
    size BIGINT,
    url TEXT,
    row_count BIGINT,
    downloads BIGINT NOT NULL,
    created_at {ts} NOT NULL,
    CHECK ((sha256 IS NULL) <> (url IS NULL))
);
CREATE INDEX dataset_resources_dataset ON dataset_resources (agency_id, record_key);

-- Registrations for 政府开放活动, with the questionnaire's answers as JSON.
CREATE TABLE event_registrations (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    record_key TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    answers TEXT NOT NULL,
    created_at {ts} NOT NULL,
    cancelled_at {ts}
);
CREATE INDEX event_registrations_event ON event_registrations (agency_id, record_key);

-- Files of a record other than data: a service guide's sample and blank forms. Checked like
-- document attachments; keyed by the record's agency and key so they outlive versions.
CREATE TABLE list_attachments (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    record_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    created_at {ts} NOT NULL
);
CREATE INDEX list_attachments_record ON list_attachments (kind, agency_id, record_key);

-- An import started from the office: it runs in the background on the node that received the
-- file and commits its progress with each batch, so any node can show how far it has got.
CREATE TABLE list_imports (
    id {id},
    kind TEXT NOT NULL,
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    file_name TEXT NOT NULL,
    publish BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    total_rows BIGINT NOT NULL,
    done_rows BIGINT NOT NULL,
    created_rows BIGINT NOT NULL,
    unchanged_rows BIGINT NOT NULL,
    error_rows BIGINT NOT NULL,
    errors TEXT NOT NULL,
    message TEXT,
    created_by BIGINT NOT NULL,
    started_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
