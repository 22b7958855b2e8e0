-- Consents a person gave, with the exact wording they saw and when; a
-- withdrawal is a date on the same row, never a deletion.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,          -- e.g. pool.profile, newsletter
    wording TEXT NOT NULL,          -- the text shown when consent was given
    given_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP,
    ip TEXT NOT NULL
);
CREATE INDEX consents_user ON consents (user_id);
