-- Newsletters: the lists, the people who receive them (subscribers, by
-- email, with or without an account), each person's subscription to each
-- list with its proof of consent, and the suppression list: addresses that
-- no import may bring back (unsubscribed from everything, bounced hard,
-- complained).
CREATE TABLE newsletter_lists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    public BOOLEAN NOT NULL DEFAULT FALSE,        -- offered on the site's subscription form
    double_opt_in BOOLEAN NOT NULL DEFAULT TRUE,  -- a form subscription waits for the emailed confirmation
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,                   -- lower case
    name TEXT NOT NULL DEFAULT '',
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    tracking_consent BOOLEAN NOT NULL DEFAULT FALSE, -- opens and clicks measured for this person
    tracking_consent_at TIMESTAMP,
    tracking_consent_text TEXT NOT NULL DEFAULT '',
    soft_bounces INTEGER NOT NULL DEFAULT 0,      -- in a row; three make a hard bounce
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX subscribers_organisation ON subscribers (organisation_id);

CREATE TABLE subscriptions (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id INTEGER NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'subscribed', 'unsubscribed')),
    basis TEXT NOT NULL CHECK (basis IN ('consent', 'contract', 'legitimate_interest', 'legal_obligation', 'public_task')),
    source TEXT NOT NULL CHECK (source IN ('form', 'import', 'api', 'account')),
    consent_text TEXT NOT NULL DEFAULT '',        -- what the person was shown, kept as proof
    consent_at TIMESTAMP NOT NULL,                -- when they gave it (the form, the file's import)
    consent_ip TEXT NOT NULL DEFAULT '',
    confirmed_at TIMESTAMP,                       -- double opt-in: when the emailed link was used
    unsubscribed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subscriber_id, list_id)
);
-- The campaign's recipients are read list by list in subscriber order.
CREATE INDEX subscriptions_list ON subscriptions (list_id, status, subscriber_id);

CREATE TABLE newsletter_suppressions (
    email TEXT PRIMARY KEY,                       -- lower case
    reason TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'hard_bounce', 'complaint')),
    detail TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
