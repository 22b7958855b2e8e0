-- How each person wants the missions' emails: at once (default) or in one
-- daily digest; the digest's pending lines; and when a proposal's reminder
-- went out, so that each is reminded once, after a grace period.
ALTER TABLE users ADD COLUMN mail_digest BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE proposals ADD COLUMN reminded_at TIMESTAMP;

CREATE TABLE mission_digest (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,                 -- lower case, the recipient
    key TEXT NOT NULL UNIQUE,            -- the email it replaces: a replay adds no line
    subject TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX mission_digest_pending ON mission_digest (sent_at, email);
