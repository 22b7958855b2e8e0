-- Proposals and missions (package mission). A coordinator proposes experts
-- for a need; each expert accepts or declines; the requester chooses one
-- accepted proposal, which creates the mission. Every figure of the
-- dashboards and of matching (past missions, reviews, load) is read from
-- these tables.
CREATE TABLE proposals (
    id INTEGER PRIMARY KEY,
    need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'chosen', 'passed')),
    reason TEXT NOT NULL DEFAULT '',      -- why the expert declined, or the requester passed
    proposed_by INTEGER REFERENCES users (id),
    due_date DATE NOT NULL,                -- unanswered after this day, the proposal expires
    created_at TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (need_id, expert_id)            -- a double submit proposes nobody twice
);
CREATE INDEX proposals_expert ON proposals (expert_id, status);
CREATE INDEX proposals_status ON proposals (status, due_date);

-- A mission: the assignment of one expert, created when the requester
-- chooses a proposal. need_id is the need it came from; a mutualised
-- mission serves more needs (mission_needs lists them all, the first one
-- included).
CREATE TABLE missions (
    id INTEGER PRIMARY KEY,
    need_id INTEGER NOT NULL UNIQUE REFERENCES needs (id),
    expert_id INTEGER NOT NULL REFERENCES experts (id),
    proposal_id INTEGER REFERENCES proposals (id),
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'delivered', 'closed')),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    planned_days INTEGER NOT NULL CHECK (planned_days >= 0),
    days_per_week INTEGER NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    daily_rate INTEGER NOT NULL DEFAULT 0, -- the expert's TJM when chosen, whole euros
    domain TEXT NOT NULL DEFAULT '',       -- skill domain ("filieres") for the reference rate
    commune TEXT NOT NULL DEFAULT '',      -- INSEE code of the place, for size classes
    employer TEXT NOT NULL DEFAULT 'not_needed' CHECK (employer IN ('not_needed', 'awaited', 'asked', 'agreed', 'refused')),
    employer_email TEXT NOT NULL DEFAULT '',
    employer_token TEXT UNIQUE,            -- SHA-256 of the single-use link's token
    employer_note TEXT NOT NULL DEFAULT '',
    employer_answered_at TIMESTAMP,
    closing_report TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    delivered_at TIMESTAMP,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX missions_expert ON missions (expert_id, status);
CREATE INDEX missions_status ON missions (status);

-- The needs (and so the requesters) a mission serves.
CREATE TABLE mission_needs (
    mission_id INTEGER NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    need_id INTEGER NOT NULL UNIQUE REFERENCES needs (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (mission_id, need_id)
);
CREATE INDEX mission_needs_organisation ON mission_needs (organisation_id);

-- Days the expert logged: one line per date, in half days (1 = ½ day).
CREATE TABLE mission_days (
    id INTEGER PRIMARY KEY,
    mission_id INTEGER NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    half_days INTEGER NOT NULL CHECK (half_days BETWEEN 1 AND 2),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (mission_id, day)
);

-- Deliverables, stored in the database like CVs (several instances share it,
-- backups hold it). sha256 makes a double upload a no-op.
CREATE TABLE mission_files (
    id INTEGER PRIMARY KEY,
    mission_id INTEGER NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'docx', 'xlsx', 'odt')),
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL,
    UNIQUE (mission_id, sha256)
);

CREATE TABLE mission_milestones (
    id INTEGER PRIMARY KEY,
    mission_id INTEGER NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_date DATE NOT NULL,
    done_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (mission_id, title, due_date)
);

-- One review per requester organisation and mission (a mutualised mission
-- is reviewed by each of its requesters).
CREATE TABLE mission_reviews (
    mission_id INTEGER NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    user_id INTEGER REFERENCES users (id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (mission_id, organisation_id)
);
