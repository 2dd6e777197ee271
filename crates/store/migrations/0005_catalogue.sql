-- 主动公开目录: items per agency, in a tree, and the documents filed under them.
CREATE TABLE catalogue_items (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    parent_id BIGINT REFERENCES catalogue_items (id),
    name TEXT NOT NULL,
    elements TEXT NOT NULL DEFAULT '',
    basis TEXT NOT NULL DEFAULT '',
    time_limit_workdays BIGINT,
    channel TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    refresh_days BIGINT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX catalogue_items_agency ON catalogue_items (agency_id);

CREATE TABLE catalogue_filings (
    item_id BIGINT NOT NULL REFERENCES catalogue_items (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    PRIMARY KEY (item_id, document_id)
);
CREATE INDEX catalogue_filings_document ON catalogue_filings (document_id);
