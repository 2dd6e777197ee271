-- 一网通答: questions and answers the office maintains, linked to the documents they rest on.
CREATE TABLE answers (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    published BOOLEAN NOT NULL,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX answers_agency ON answers (agency_id);

CREATE TABLE answer_links (
    answer_id BIGINT NOT NULL REFERENCES answers (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    PRIMARY KEY (answer_id, document_id)
);
