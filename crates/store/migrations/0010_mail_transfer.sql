-- E-mail to applicants: queued in the transaction of the step it reports, so a committed step
-- never loses its notice, and sent by whichever node's mailer claims it first.
CREATE TABLE mail_outbox (
    id {id},
    created_at {ts} NOT NULL,
    request_id BIGINT REFERENCES requests (id),
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- queued | sent | failed (gave up or refused by the server) | expired (too old to send)
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at {ts} NOT NULL,
    -- A node that claimed the message holds it until then; after a crash another node retries.
    locked_until {ts},
    sent_at {ts},
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_request ON mail_outbox (request_id);

-- 转交: a request for information another agency on the platform holds is answered as
-- 本机关不掌握 (naming that agency) and, at the office's choice, handed over as a new request
-- of that agency, which keeps the applicant's key.
ALTER TABLE requests ADD COLUMN referred_agency_id BIGINT REFERENCES agencies (id);
ALTER TABLE requests ADD COLUMN transferred_from BIGINT REFERENCES requests (id);
ALTER TABLE requests ADD COLUMN transferred_to BIGINT REFERENCES requests (id);

-- 信息处理费: the amount of the one fee notice, how it was reckoned (by_item | by_pages) and
-- when it was paid; the annual report sums what was collected.
ALTER TABLE requests ADD COLUMN fee_yuan BIGINT;
ALTER TABLE requests ADD COLUMN fee_basis TEXT;
ALTER TABLE requests ADD COLUMN fee_paid_on {date};
