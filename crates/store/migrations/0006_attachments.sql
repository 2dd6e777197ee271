-- Attachments of document versions and gazette issues. The bytes live in the database, keyed
-- by their SHA-256: outside any web root, in the same backup and transaction as the record
-- that names them, shared by every app server, and stored once however often they are
-- attached (a new version of a document reuses its predecessor's files).
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    content {bytes} NOT NULL,
    created_at {ts} NOT NULL
);

CREATE TABLE attachments (
    id {id},
    -- Exactly one owner: a document version (document_id + version_no) or a gazette issue.
    document_id BIGINT REFERENCES documents (id),
    version_no BIGINT,
    gazette_issue_id BIGINT REFERENCES gazette_issues (id),
    position BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES blobs (sha256),
    created_by BIGINT,
    created_at {ts} NOT NULL,
    CHECK ((document_id IS NULL) <> (gazette_issue_id IS NULL))
);
CREATE INDEX attachments_document ON attachments (document_id, version_no);
CREATE INDEX attachments_gazette ON attachments (gazette_issue_id);
