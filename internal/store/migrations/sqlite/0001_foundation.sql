-- Settings an administrator may change at run time (matching weights,
-- reference consultancy rates…), as JSON values under a stable key.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
