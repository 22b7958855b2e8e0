-- Organisations: communes, EPCI, agencies, partners… Communes and EPCI are
-- created from the geography reference (internal/geo), never typed by hand.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'epci', 'departement', 'region', 'agence', 'etat', 'partenaire', 'autre')),
    name TEXT NOT NULL,
    siren TEXT UNIQUE,          -- 9 digits with a valid Luhn check digit
    insee_code TEXT,            -- the commune's INSEE code when kind = 'commune'
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_insee_code ON organisations (insee_code);

-- Users: one role each; a requester belongs to a commune, EPCI or agency, a
-- member to an agency. Accounts add their credentials in later migrations.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,  -- stored in lower case
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'expert', 'requester', 'member')),
    organisation_id INTEGER REFERENCES organisations (id),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'suspended', 'erased')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_organisation ON users (organisation_id);
