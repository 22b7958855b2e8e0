-- Login throttling backs off instead of holding a fixed 15-minute wall: a
-- counter remembers its last failure, the wait grows with each failure
-- past the limit, and the counter is forgotten a window after its last
-- failure.
ALTER TABLE login_throttle ADD COLUMN last_failure_at TIMESTAMP;

-- API tokens expire: chosen at creation (a year by default). A token created
-- before this column has none stored and expires a year after its creation.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
