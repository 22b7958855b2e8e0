-- Audiences (package audience): the federation's social and web accounts
-- (its professional network page, its forum's page, its video channel, its
-- website) and their follower or visitor counts at dates, typed in or
-- imported. Growth over a period is computed from the nearest counts.
CREATE TABLE audience_accounts (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,             -- « linkedin »: the key of imports and of the report's JSON
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('professional_network', 'forum', 'video', 'website', 'other')),
    metric TEXT NOT NULL CHECK (metric IN ('followers', 'visitors')),
    url TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE audience_counts (
    account_id INTEGER NOT NULL REFERENCES audience_accounts (id) ON DELETE CASCADE,
    counted_on DATE NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, counted_on)
);
