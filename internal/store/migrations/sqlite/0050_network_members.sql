-- The network's members (package network): organisations that join the
-- federation for a year — agencies, and collectivités (regions,
-- départements, EPCI, communes) — with their directory entry. The
-- organisation itself (kind, name, SIREN) stays in organisations; what only
-- a member has lives here.
CREATE TABLE members (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id),
    address TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',        -- https://… or ''
    email TEXT NOT NULL DEFAULT '',          -- the member's contact address (members-only directory)
    phone TEXT NOT NULL DEFAULT '',          -- members-only directory
    themes TEXT NOT NULL DEFAULT '',         -- skill domain codes joined by '|'
    basis INTEGER NOT NULL DEFAULT 0 CHECK (basis >= 0), -- declared: annual budget in euros (agency) or population covered (collectivité)
    listed BOOLEAN NOT NULL DEFAULT FALSE,   -- agreed to appear in the public directory
    joined_year INTEGER NOT NULL,            -- first year of membership
    logo BLOB,                               -- checked by content: PNG, JPEG or WebP, at most 500 KB
    logo_type TEXT NOT NULL DEFAULT '' CHECK (logo_type IN ('', 'image/png', 'image/jpeg', 'image/webp')),
    logo_sha256 TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX members_listed ON members (listed);

-- The territory a member serves, from the geography reference: communes
-- (com:INSEE), EPCI (epci:SIREN), départements (dep:CODE), regions
-- (reg:CODE). Each row carries the département and region it lies in, for
-- the directory's filters; an EPCI across départements has one row per
-- département, a region's row has no département.
CREATE TABLE member_territories (
    organisation_id INTEGER NOT NULL REFERENCES members (organisation_id) ON DELETE CASCADE,
    zone TEXT NOT NULL,
    departement TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL,
    position INTEGER NOT NULL,               -- the order the member gave
    PRIMARY KEY (organisation_id, zone, departement)
);
CREATE INDEX member_territories_region ON member_territories (region);
CREATE INDEX member_territories_departement ON member_territories (departement);

-- The referents of a member: accounts of its staff (role member) who
-- receive the calls for fees and may invite their colleagues.
CREATE TABLE member_referents (
    user_id INTEGER PRIMARY KEY REFERENCES users (id),
    organisation_id INTEGER NOT NULL REFERENCES members (organisation_id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX member_referents_organisation ON member_referents (organisation_id);
