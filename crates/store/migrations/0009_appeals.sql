-- 行政复议 and 行政诉讼 about requests (annual report table 四).
CREATE TABLE request_appeals (
    id {id},
    request_id BIGINT NOT NULL REFERENCES requests (id),
    kind TEXT NOT NULL,
    filed_on {date} NOT NULL,
    result TEXT NOT NULL,
    decided_on {date},
    note TEXT NOT NULL DEFAULT '',
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX request_appeals_request ON request_appeals (request_id);

-- A request for information another agency holds: the reply names that agency and how to
-- reach it (条例第三十六条第(五)项).
ALTER TABLE requests ADD COLUMN referred_to TEXT;
