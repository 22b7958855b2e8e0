-- Files uploaded to the coordinators' import pages, kept between the preview
-- and the confirmation. They live in the database rather than in memory so
-- that any of several `vivier serve` sharing one database can take the
-- confirmation; a random id names each, and rows past expires_at are deleted.
CREATE TABLE pending_uploads (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,            -- experts or needs
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_uploads_expires ON pending_uploads (expires_at);
