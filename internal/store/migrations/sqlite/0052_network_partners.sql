-- Associated members (package network): large companies and public bodies
-- with territorial networks that fund the federation's projects in exchange
-- for counterparts. The organisation (kind partenaire, name, SIREN) stays in
-- organisations.
CREATE TABLE partners (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id),
    sector TEXT NOT NULL DEFAULT '',         -- « réseau électrique », « banque publique »…
    website TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A partnership agreement (« convention de partenariat ») of a year: the
-- amount the partner pays, its dates and the signed PDF.
CREATE TABLE partner_agreements (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES partners (organisation_id),
    year INTEGER NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    signed_pdf BLOB,
    signed_filename TEXT NOT NULL DEFAULT '',
    signed_sha256 TEXT NOT NULL DEFAULT '',
    signed_at TIMESTAMP,                     -- when the signed PDF was deposited
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, year),
    CHECK (ends_on >= starts_on)
);

-- What the federation promised in an agreement (webinars co-organised,
-- publications co-signed, interviews, trainings, seats at the forum,
-- access to a data tool…), due on a day, planned → delivered | dropped,
-- and the record that delivered it, named generically (kind, id, label)
-- so that events or publications recorded by other packages can be linked.
CREATE TABLE partner_counterparts (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES partner_agreements (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'training', 'publication', 'interview', 'seat', 'data_access', 'other')),
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'delivered', 'dropped')),
    link_kind TEXT NOT NULL DEFAULT '' CHECK (link_kind IN ('', 'event', 'training', 'publication', 'interview', 'seat', 'data_access', 'other')),
    link_id INTEGER,
    link_label TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    delivered_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX partner_counterparts_agreement ON partner_counterparts (agreement_id);
CREATE INDEX partner_counterparts_due ON partner_counterparts (status, due_on);
