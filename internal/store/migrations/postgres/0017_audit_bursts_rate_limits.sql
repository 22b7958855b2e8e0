-- Anonymous security events (a refused CSRF token, a throttled login…) are
-- written to the audit log once per action, source address and minute; the
-- repeats of that minute are counted here, then written as one summary
-- entry when the minute is over (audit.FlushBursts). An anonymous visitor
-- can so add at most two entries a minute per action to the log, which
-- nobody may delete.
CREATE TABLE audit_bursts (
    action TEXT NOT NULL,
    source TEXT NOT NULL,            -- the client address
    minute TIMESTAMPTZ NOT NULL,       -- the minute of the events, truncated
    events INTEGER NOT NULL,         -- how many in that minute, the first included
    PRIMARY KEY (action, source, minute)
);
CREATE INDEX audit_bursts_minute ON audit_bursts (minute);

-- Fixed-window counters of actions that anyone may do and that cost
-- something (an email sent by the public need form): per source address,
-- per recipient. Rows are deleted once their window is over.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    hits INTEGER NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
