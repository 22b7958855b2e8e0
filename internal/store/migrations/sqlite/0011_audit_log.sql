-- The audit log: every change to a person's data or an account, and the
-- security events around them. Append-only: triggers refuse UPDATE and
-- DELETE, so not even the application can rewrite history. Entries name
-- people by id, never by email, so erasing a person leaves nothing to edit.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_id INTEGER REFERENCES users (id),   -- NULL: anonymous visitor or the system
    action TEXT NOT NULL,                     -- e.g. account.login_failed
    subject_user_id INTEGER REFERENCES users (id),
    subject TEXT NOT NULL,                    -- e.g. user:12, expert:34
    details TEXT NOT NULL,                    -- JSON object
    ip TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id);
CREATE INDEX audit_log_subject_user ON audit_log (subject_user_id);
CREATE INDEX audit_log_action ON audit_log (action);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
