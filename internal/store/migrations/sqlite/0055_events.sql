-- Events (webinars, the forum, network meetings, visits) and their
-- registrations, made without an account. Confirmed registrations never
-- exceed the capacity: internal/event takes the event's row lock
-- (store.Dialect.ForUpdate) before counting; the others wait on a list
-- whose positions never change.

-- Files attached to an outbox message (the .ics invitation of an event,
-- a certificate): a JSON list of {name, content_type, data (base64)}.
ALTER TABLE outbox ADD COLUMN attachments TEXT NOT NULL DEFAULT '';

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('webinar', 'forum', 'meeting', 'visit')),
    description TEXT NOT NULL DEFAULT '',     -- Markdown
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    commune TEXT NOT NULL DEFAULT '',         -- INSEE code of the place, '' online
    region TEXT NOT NULL DEFAULT '',          -- the commune's region code, for filters
    address TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',      -- shown to confirmed participants only
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    deadline TIMESTAMP NOT NULL,              -- registrations and promotions stop here
    audience TEXT NOT NULL DEFAULT 'public' CHECK (audience IN ('public', 'members')),
    followup TEXT NOT NULL DEFAULT '',        -- the replay or documents, sent with the thanks
    attendance_share INTEGER NOT NULL DEFAULT 50 CHECK (attendance_share BETWEEN 1 AND 100),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX events_starts ON events (starts_at);

-- Associated members co-organising an event.
CREATE TABLE event_partners (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (event_id, organisation_id)
);

CREATE TABLE event_registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    email TEXT NOT NULL,                      -- lower case
    name TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',    -- as typed
    organisation_id INTEGER REFERENCES organisations (id), -- the signed-in registrant's
    user_id INTEGER REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    position INTEGER,                         -- place on the waiting list, kept once given
    token TEXT NOT NULL UNIQUE,               -- the registrant's link (cancel, online link)
    consent TEXT NOT NULL DEFAULT '',         -- the wording accepted
    present BOOLEAN NOT NULL DEFAULT FALSE,
    attended_minutes INTEGER,                 -- from a webinar tool's export
    checked_in_at TIMESTAMP,
    promoted_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One live registration per email and event; a cancelled one may register again.
CREATE UNIQUE INDEX event_registrations_email ON event_registrations (event_id, email) WHERE status <> 'cancelled';
CREATE INDEX event_registrations_status ON event_registrations (event_id, status, position);
CREATE INDEX event_registrations_lower_email ON event_registrations (email);
