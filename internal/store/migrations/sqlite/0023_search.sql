-- French full-text search (package search). Text is normalised and stemmed
-- in Go (lower case, no accents, Snowball French stems, stop words removed),
-- and the stemmed tokens, separated by spaces, are stored in a plain table
-- that both engines share. Here an FTS5 index reads that table (external
-- content, so the tokens are stored once) and triggers keep it in step.
-- detail=none: queries only ask "which rows hold every token", never
-- phrases or positions, and the index is several times smaller.
CREATE TABLE expert_search (
    expert_id INTEGER PRIMARY KEY REFERENCES experts (id) ON DELETE CASCADE,
    tokens TEXT NOT NULL
);
CREATE VIRTUAL TABLE expert_fts USING fts5 (tokens, content = 'expert_search', content_rowid = 'expert_id', detail = none);
CREATE TRIGGER expert_search_ai AFTER INSERT ON expert_search BEGIN
    INSERT INTO expert_fts (rowid, tokens) VALUES (new.expert_id, new.tokens);
END;
CREATE TRIGGER expert_search_ad AFTER DELETE ON expert_search BEGIN
    INSERT INTO expert_fts (expert_fts, rowid, tokens) VALUES ('delete', old.expert_id, old.tokens);
END;
CREATE TRIGGER expert_search_au AFTER UPDATE ON expert_search BEGIN
    INSERT INTO expert_fts (expert_fts, rowid, tokens) VALUES ('delete', old.expert_id, old.tokens);
    INSERT INTO expert_fts (rowid, tokens) VALUES (new.expert_id, new.tokens);
END;

CREATE TABLE need_search (
    need_id INTEGER PRIMARY KEY REFERENCES needs (id) ON DELETE CASCADE,
    tokens TEXT NOT NULL
);
CREATE VIRTUAL TABLE need_fts USING fts5 (tokens, content = 'need_search', content_rowid = 'need_id', detail = none);
CREATE TRIGGER need_search_ai AFTER INSERT ON need_search BEGIN
    INSERT INTO need_fts (rowid, tokens) VALUES (new.need_id, new.tokens);
END;
CREATE TRIGGER need_search_ad AFTER DELETE ON need_search BEGIN
    INSERT INTO need_fts (need_fts, rowid, tokens) VALUES ('delete', old.need_id, old.tokens);
END;
CREATE TRIGGER need_search_au AFTER UPDATE ON need_search BEGIN
    INSERT INTO need_fts (need_fts, rowid, tokens) VALUES ('delete', old.need_id, old.tokens);
    INSERT INTO need_fts (rowid, tokens) VALUES (new.need_id, new.tokens);
END;
