-- Needs sent through the public form wait here until the person confirms
-- their email address by the link sent to it; only then does the need
-- enter the coordinators' queue (table needs). Unconfirmed submissions are
-- deleted after 7 days: they hold the contact of someone who may never
-- have asked for anything.
CREATE TABLE need_submissions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the link's secret
    contact_email TEXT NOT NULL,
    input TEXT NOT NULL,               -- the need as submitted, JSON
    consent TEXT NOT NULL,             -- the consent sentence accepted
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX need_submissions_expires ON need_submissions (expires_at);
