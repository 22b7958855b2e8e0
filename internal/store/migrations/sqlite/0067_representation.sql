-- Representation (package representation): how the federation speaks for
-- its members before public authorities. One table holds the three kinds of
-- act, which share a body, a day, a topic and themes:
--   hearing — an « audition » before a government, parliamentary or other
--             public body, with a delegation of member agencies and people;
--   meeting — a working meeting with a national body;
--   note    — a note or position paper handed to an authority, linked to
--             its publication when it was published.
CREATE TABLE representations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('hearing', 'meeting', 'note')),
    body TEXT NOT NULL,                    -- « Commission des affaires économiques du Sénat »
    body_kind TEXT NOT NULL CHECK (body_kind IN ('government', 'parliament', 'think_tank', 'national_body', 'other')),
    held_on DATE NOT NULL,                 -- the day of the hearing or meeting, or the day the note was handed
    topic TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',      -- Markdown
    publication_id INTEGER REFERENCES publications (id) ON DELETE SET NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX representations_held ON representations (held_on);

CREATE TABLE representation_domains (
    representation_id INTEGER NOT NULL REFERENCES representations (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,                  -- a skill domain: attractivite, filieres…
    PRIMARY KEY (representation_id, domain)
);

-- The member agencies of a hearing's delegation; reason keeps the
-- delegation helper's explanation when the agency was picked through it.
CREATE TABLE delegation_agencies (
    representation_id INTEGER NOT NULL REFERENCES representations (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (representation_id, organisation_id)
);
CREATE INDEX delegation_agencies_organisation ON delegation_agencies (organisation_id);

-- The people who took part (personal data: never in the public report).
CREATE TABLE delegation_people (
    id INTEGER PRIMARY KEY,
    representation_id INTEGER NOT NULL REFERENCES representations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',         -- « directrice de l’agence »
    organisation_id INTEGER REFERENCES organisations (id)
);
CREATE INDEX delegation_people_representation ON delegation_people (representation_id);

-- Documents of a hearing (the note handed, the slides), PDF only, stored
-- like the missions' deliverables; sha256 makes a double upload a no-op.
CREATE TABLE representation_documents (
    id INTEGER PRIMARY KEY,
    representation_id INTEGER NOT NULL REFERENCES representations (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    UNIQUE (representation_id, sha256)
);
