-- 重大行政决策事项目录: a catalogue per agency and year, its entries, and each entry's stages.
CREATE TABLE decision_catalogues (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    year BIGINT NOT NULL,
    published_at {ts},
    created_at {ts} NOT NULL,
    UNIQUE (agency_id, year)
);

CREATE TABLE decision_entries (
    id {id},
    catalogue_id BIGINT NOT NULL REFERENCES decision_catalogues (id),
    title TEXT NOT NULL,
    -- 承办单位.
    responsible_agency_id BIGINT NOT NULL REFERENCES agencies (id),
    basis TEXT NOT NULL,
    planned_on {date} NOT NULL,
    status TEXT NOT NULL,
    note TEXT,
    updated_at {ts} NOT NULL
);
CREATE INDEX decision_entries_catalogue ON decision_entries (catalogue_id);

CREATE TABLE decision_stages (
    id {id},
    entry_id BIGINT NOT NULL REFERENCES decision_entries (id),
    kind TEXT NOT NULL,
    happened_on {date} NOT NULL,
    summary TEXT NOT NULL,
    document_id BIGINT REFERENCES documents (id),
    consultation_id BIGINT REFERENCES consultations (id),
    representatives TEXT,
    created_at {ts} NOT NULL
);
CREATE INDEX decision_stages_entry ON decision_stages (entry_id);
