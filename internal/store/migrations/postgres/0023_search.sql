-- French full-text search (package search). Text is normalised and stemmed
-- in Go (lower case, no accents, Snowball French stems, stop words removed),
-- and the stemmed tokens, separated by spaces, are stored in a plain table
-- that both engines share. Here a GIN index over the 'simple' tsvector of
-- those tokens answers the queries: 'simple' only splits on spaces and
-- lower-cases, so PostgreSQL sees exactly the tokens SQLite's FTS5 sees.
CREATE TABLE expert_search (
    expert_id BIGINT PRIMARY KEY REFERENCES experts (id) ON DELETE CASCADE,
    tokens TEXT NOT NULL
);
CREATE INDEX expert_search_tokens ON expert_search USING gin (to_tsvector('simple', tokens));

CREATE TABLE need_search (
    need_id BIGINT PRIMARY KEY REFERENCES needs (id) ON DELETE CASCADE,
    tokens TEXT NOT NULL
);
CREATE INDEX need_search_tokens ON need_search USING gin (to_tsvector('simple', tokens));
