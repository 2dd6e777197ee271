-- Colloquial → official terms (口语词 → 规范用语) the disclosure office adds beside the list
-- shipped with gongkai-search: a search for the term also finds texts holding an official
-- term, ranked lower. Changes are audited and announced in the outbox; every search node
-- reloads the entries when it reads the announcement, without rebuilding its index.
CREATE TABLE search_synonyms (
    term TEXT PRIMARY KEY,
    -- The official terms, separated by single spaces.
    official TEXT NOT NULL,
    updated_at {ts} NOT NULL
);
