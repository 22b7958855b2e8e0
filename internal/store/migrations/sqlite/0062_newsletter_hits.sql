-- Tracking: every fetch of a message's pixel or of one of its links, kept
-- as it came (append-only), and what the batches made of them per message
-- once each hit was classified human or machine (see internal/newsletter/track).
CREATE TABLE newsletter_hits (
    id INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES campaign_messages (id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    link_idx INTEGER NOT NULL,                   -- -1: the open pixel; else the link's number
    at TIMESTAMP NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX newsletter_hits_message ON newsletter_hits (message_id, at);

-- What each tracked message's hits amount to, rewritten from all its hits
-- whenever a batch brings new ones.
CREATE TABLE newsletter_engagement (
    message_id INTEGER PRIMARY KEY REFERENCES campaign_messages (id) ON DELETE CASCADE,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    pixel_fetches INTEGER NOT NULL DEFAULT 0,    -- every fetch, as a naive tool counts them
    human_open BOOLEAN NOT NULL DEFAULT FALSE,   -- a human open, or a human click
    machine_open BOOLEAN NOT NULL DEFAULT FALSE,
    human_click BOOLEAN NOT NULL DEFAULT FALSE,
    machine_clicks INTEGER NOT NULL DEFAULT 0,
    first_human_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 0           -- bumped first by each batch: the row lock orders concurrent batches
);
CREATE INDEX newsletter_engagement_campaign ON newsletter_engagement (campaign_id);

CREATE TABLE newsletter_link_clicks (
    message_id INTEGER NOT NULL REFERENCES campaign_messages (id) ON DELETE CASCADE,
    link_idx INTEGER NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    human_clicks INTEGER NOT NULL DEFAULT 0,
    machine_clicks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, link_idx)
);
CREATE INDEX newsletter_link_clicks_campaign ON newsletter_link_clicks (campaign_id, link_idx);
