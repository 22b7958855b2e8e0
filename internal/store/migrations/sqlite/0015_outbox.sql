-- Outbox of transactional emails. A message is inserted in the same
-- transaction as the change that causes it (internal/mail.Enqueue), so it
-- exists exactly when that change committed; a background sender claims due
-- messages with a lease, sends them over SMTP and marks them sent, or
-- schedules a retry, or gives up (failed) after too many attempts.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    dedup_key TEXT UNIQUE,          -- enqueuing twice with one key keeps the first; NULL: no de-duplication
    to_address TEXT NOT NULL,       -- one RFC 5322 address, "Name <a@b>" or "a@b"
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,   -- counted when a sender claims the message
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMP NOT NULL,
    locked_by TEXT,                 -- the sender holding the lease, if any
    locked_until TIMESTAMP,         -- the lease ends here; another sender may then take over
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_created ON outbox (created_at);
