-- 政策解读: interpretations linked to one or more policies.
CREATE TABLE interpretations (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    title TEXT NOT NULL,
    form TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_by BIGINT,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);

CREATE TABLE interpretation_links (
    interpretation_id BIGINT NOT NULL REFERENCES interpretations (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    PRIMARY KEY (interpretation_id, document_id)
);
CREATE INDEX interpretation_links_document ON interpretation_links (document_id);

-- Why a policy that needs an interpretation was published without one (三同步 exception).
ALTER TABLE document_versions ADD COLUMN interpretation_waiver TEXT;
