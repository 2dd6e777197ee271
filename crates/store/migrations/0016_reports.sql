-- 年度报告 (条例第四十九、五十条) in the 2021 format. Tables 三 and 四 are counted from the
-- requests and appeals whenever a draft is shown; a submitted report keeps the figures it was
-- submitted with (the interchange JSON), and is published as a document of kind 报告.

-- When the applicant withdrew: a withdrawal ends the request (counted under （六）其他处理 3.其他).
ALTER TABLE requests ADD COLUMN withdrawn_on {date};
UPDATE requests SET withdrawn_on = (
    SELECT MAX(e.on_date) FROM request_events e WHERE e.request_id = requests.id AND e.step = 'withdraw'
) WHERE status = 'withdrawn';
CREATE INDEX requests_agency_received ON requests (agency_id, received_on);
CREATE INDEX request_appeals_filed ON request_appeals (filed_on);

CREATE TABLE annual_reports (
    id {id},
    agency_id BIGINT NOT NULL REFERENCES agencies (id),
    year BIGINT NOT NULL,
    -- agency: the agency's own; government: the government with every agency under it.
    scope TEXT NOT NULL,
    -- draft | submitted (frozen, in the disclosure workflow as its document) | imported (an
    -- earlier year's published report, read from its JSON and checked)
    status TEXT NOT NULL,
    -- Figures entered by staff where the platform holds no records, each with its source.
    manual TEXT NOT NULL DEFAULT '{}',
    overview TEXT NOT NULL DEFAULT '',
    problems TEXT NOT NULL DEFAULT '',
    other TEXT NOT NULL DEFAULT '',
    -- The interchange JSON, frozen at submission or import.
    figures TEXT,
    document_id BIGINT REFERENCES documents (id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (agency_id, year, scope)
);
