-- State Council holiday notices loaded after the build (`gongkai calendar import`), in the
-- shipped data format. A year here replaces the computed (provisional) statutory holidays
-- and whatever data the build shipped for that year. `changes` lists the deadlines the
-- import moved, for the office.
CREATE TABLE calendar_notices (
    year BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    changes TEXT NOT NULL,
    imported_by BIGINT REFERENCES users (id),
    imported_at {ts} NOT NULL
);
