-- 政府公报: issues and the documents each lists, in order.
CREATE TABLE gazette_issues (
    id {id},
    year BIGINT NOT NULL,
    number BIGINT NOT NULL,
    issued_on {date} NOT NULL,
    created_at {ts} NOT NULL,
    UNIQUE (year, number)
);

CREATE TABLE gazette_items (
    issue_id BIGINT NOT NULL REFERENCES gazette_issues (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (issue_id, document_id)
);
