-- Popular searches (热门检索): how often a query was searched and found something, summed
-- from each node's tally; only short queries without personal data (see gongkai-search).
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY,
    count BIGINT NOT NULL,
    last_at {ts} NOT NULL
);
CREATE INDEX search_terms_last ON search_terms (last_at);
