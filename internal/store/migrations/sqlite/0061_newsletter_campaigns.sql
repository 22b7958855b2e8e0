-- Campaigns and their messages. A campaign's messages are materialised in
-- batches when it starts sending (one row per recipient, in subscriber
-- order, the cursor kept on the campaign), then claimed by the senders of
-- every instance with a lease: a row is 'sending' while one sender holds it,
-- so a crash leaves exactly the messages in flight to be sent again, under
-- the same Message-ID (derived from the row's id).
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    preheader TEXT NOT NULL DEFAULT '',
    body_markdown TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled')),
    scheduled_at TIMESTAMP,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    recipients INTEGER NOT NULL DEFAULT 0,       -- messages materialised so far
    materialised BOOLEAN NOT NULL DEFAULT FALSE, -- every recipient has its message
    materialised_through INTEGER NOT NULL DEFAULT 0, -- the last subscriber id materialised
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_status ON campaigns (status, scheduled_at);

CREATE TABLE campaign_lists (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    list_id INTEGER NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, list_id)
);
CREATE INDEX campaign_lists_list ON campaign_lists (list_id);

-- The links of a campaign, numbered as they appear: click redirects go to
-- these URLs only. The trap is a link no person can see in the message.
CREATE TABLE campaign_links (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    url TEXT NOT NULL,
    trap BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (campaign_id, idx)
);

CREATE TABLE campaign_messages (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id INTEGER NOT NULL REFERENCES newsletter_lists (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    tracked BOOLEAN NOT NULL DEFAULT FALSE,      -- the recipient accepted the measure: pixel and counted links
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'bounced', 'failed', 'cancelled')),
    bounce TEXT NOT NULL DEFAULT '' CHECK (bounce IN ('', 'soft', 'hard')),
    smtp_status TEXT NOT NULL DEFAULT '',        -- the last answer's enhanced status code, e.g. 5.1.1
    last_error TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMP,
    handed_at TIMESTAMP,                         -- first handed to the relay: no hit can come before
    sent_at TIMESTAMP,
    unsubscribed_at TIMESTAMP,                   -- through this message's link
    complained_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, subscriber_id)
);
-- Claims read a campaign's queued messages in id order.
CREATE INDEX campaign_messages_claim ON campaign_messages (campaign_id, status, id);
CREATE INDEX campaign_messages_subscriber ON campaign_messages (subscriber_id);
