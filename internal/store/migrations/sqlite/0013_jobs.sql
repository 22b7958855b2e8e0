-- Periodic maintenance jobs (package jobs): one row per job. Every
-- instance ticks; the one that moves next_run_at forward in a single UPDATE
-- runs the job, so a daily job runs once a day however many instances
-- share the database.
CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    next_run_at TIMESTAMP NOT NULL,
    locked_by TEXT,                 -- the instance running it now, if any
    locked_until TIMESTAMP,        -- its lease ends here; another may then take over
    last_run_at TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT ''
);
