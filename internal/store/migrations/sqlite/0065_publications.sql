-- Publications (package publication): guides, studies, notes, interviews and
-- replays the federation publishes. A publication is a PDF file (stored in
-- the database, like CVs and deliverables, so that every instance and every
-- backup has it) or a link; it is public or for members only. Its themes are
-- skill domains ("filieres"); its co-authors are member agencies and
-- partners (organisations), which is how a partner's counterpart « a
-- publication » is delivered.
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('guide', 'study', 'note', 'interview', 'replay')),
    summary TEXT NOT NULL DEFAULT '',      -- Markdown
    published_on DATE NOT NULL,
    audience TEXT NOT NULL DEFAULT 'public' CHECK (audience IN ('public', 'members')),
    link TEXT NOT NULL DEFAULT '',         -- an http(s) address, for a publication that is not a file
    created_by INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX publications_published ON publications (published_on);

CREATE TABLE publication_files (
    publication_id INTEGER PRIMARY KEY REFERENCES publications (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);

CREATE TABLE publication_themes (
    publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,                  -- a skill domain: attractivite, filieres…
    PRIMARY KEY (publication_id, domain)
);
CREATE INDEX publication_themes_domain ON publication_themes (domain);

CREATE TABLE publication_authors (
    publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (publication_id, organisation_id)
);
CREATE INDEX publication_authors_organisation ON publication_authors (organisation_id);

-- French full-text search over publications, as for experts and needs
-- (migration 0023): stemmed tokens in a plain table, an external-content
-- FTS5 index kept in step by triggers.
CREATE TABLE publication_search (
    publication_id INTEGER PRIMARY KEY REFERENCES publications (id) ON DELETE CASCADE,
    tokens TEXT NOT NULL
);
CREATE VIRTUAL TABLE publication_fts USING fts5 (tokens, content = 'publication_search', content_rowid = 'publication_id', detail = none);
CREATE TRIGGER publication_search_ai AFTER INSERT ON publication_search BEGIN
    INSERT INTO publication_fts (rowid, tokens) VALUES (new.publication_id, new.tokens);
END;
CREATE TRIGGER publication_search_ad AFTER DELETE ON publication_search BEGIN
    INSERT INTO publication_fts (publication_fts, rowid, tokens) VALUES ('delete', old.publication_id, old.tokens);
END;
CREATE TRIGGER publication_search_au AFTER UPDATE ON publication_search BEGIN
    INSERT INTO publication_fts (publication_fts, rowid, tokens) VALUES ('delete', old.publication_id, old.tokens);
    INSERT INTO publication_fts (rowid, tokens) VALUES (new.publication_id, new.tokens);
END;

-- Downloads, counted once per visitor and day. A visitor is a hash of their
-- address and browser with the day's random salt: the rows of a day (and
-- its salt) are deleted the next day, so nothing links a download to a
-- person beyond the day; only the daily counts stay.
CREATE TABLE publication_downloads (
    publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    downloads INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (publication_id, day)
);
CREATE TABLE publication_visitors (
    publication_id INTEGER NOT NULL REFERENCES publications (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    visitor TEXT NOT NULL,                 -- hex SHA-256 of salt, address and user agent
    PRIMARY KEY (publication_id, day, visitor)
);
CREATE INDEX publication_visitors_day ON publication_visitors (day);
CREATE TABLE download_salts (
    day DATE PRIMARY KEY,
    salt TEXT NOT NULL
);
