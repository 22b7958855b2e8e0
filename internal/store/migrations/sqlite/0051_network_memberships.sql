-- The fee schedule of each year (package network), set by an
-- administrator: bands on a declared basis — an agency's annual budget in
-- euros, a collectivité's population — each from lower_bound (included) to
-- upper_bound (excluded; NULL for the last, open band). A band's fee is a
-- fixed amount, or base + rate × basis, then raised to its floor and
-- lowered to its cap. Money is whole euros.
CREATE TABLE fee_bands (
    year INTEGER NOT NULL,
    basis_kind TEXT NOT NULL CHECK (basis_kind IN ('budget', 'population')),
    lower_bound INTEGER NOT NULL CHECK (lower_bound >= 0),
    upper_bound INTEGER,
    fixed_amount INTEGER,                    -- NULL: base + rate × basis
    base_amount INTEGER NOT NULL DEFAULT 0,
    rate_ppm INTEGER NOT NULL DEFAULT 0,     -- millionths of a euro per euro of budget, or per inhabitant
    floor_amount INTEGER NOT NULL DEFAULT 0, -- 0: no floor
    cap_amount INTEGER NOT NULL DEFAULT 0,   -- 0: no cap
    PRIMARY KEY (year, basis_kind, lower_bound),
    CHECK (upper_bound IS NULL OR upper_bound > lower_bound)
);

-- One membership per organisation and year: invited (its fee computed, the
-- call not sent yet) → pending_payment (the call for fees went out) → paid,
-- or lapsed (unpaid after the grace period) or resigned. The fee computed
-- from the schedule is kept with its formula; fee is what is due, the
-- computed fee or the amount staff set with a reason.
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES members (organisation_id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'pending_payment', 'paid', 'lapsed', 'resigned')),
    basis_kind TEXT NOT NULL CHECK (basis_kind IN ('budget', 'population')),
    basis INTEGER NOT NULL CHECK (basis >= 0),   -- as declared when the fee was computed
    joined_on DATE,                              -- the joining year's day of joining: the fee is prorated by quarters left
    computed_fee INTEGER NOT NULL CHECK (computed_fee >= 0),
    formula TEXT NOT NULL,                       -- how computed_fee was found, in French
    fee INTEGER NOT NULL CHECK (fee >= 0),
    override_reason TEXT NOT NULL DEFAULT '',    -- why staff set fee apart from computed_fee
    invoice_number TEXT UNIQUE,                  -- given with the call for fees: COT-2027-0001
    called_at TIMESTAMP,
    reminded_at TIMESTAMP,
    paid_on DATE,
    payment_mode TEXT NOT NULL DEFAULT '' CHECK (payment_mode IN ('', 'virement', 'cheque', 'carte', 'mandat')),
    note TEXT NOT NULL DEFAULT '',               -- why the organisation resigned
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, year)               -- a renewal run twice creates nothing twice
);
CREATE INDEX memberships_year ON memberships (year, status);
