-- Engineering needs of local authorities (package need): what, where, when,
-- which skills, with every status change in need_status_history.
CREATE TABLE needs (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    commune TEXT NOT NULL,                 -- INSEE code of the place (internal/geo)
    requester_id INTEGER NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('mission', 'interim')),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    days_per_week INTEGER NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    max_daily_rate INTEGER,                -- whole euros; NULL when none is set
    format TEXT NOT NULL CHECK (format IN ('onsite', 'remote', 'hybrid')),
    languages TEXT NOT NULL DEFAULT 'fr',  -- ISO 639-1 codes joined by '|'
    status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'qualified', 'proposed', 'assigned', 'cancelled', 'unfulfilled')),
    contact_name TEXT NOT NULL DEFAULT '', -- who submitted it (public form)
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    contact_role TEXT NOT NULL DEFAULT '', -- "maire", "DGS"…
    submitted_by INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX needs_status ON needs (status, id);
CREATE INDEX needs_requester ON needs (requester_id);
CREATE INDEX needs_commune ON needs (commune);

-- Wanted skills: at least min_level; a required one is a hard constraint of
-- matching, the others only weigh in the score.
CREATE TABLE need_skills (
    need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    skill_code TEXT NOT NULL REFERENCES skills (code),
    min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 4),
    required BOOLEAN NOT NULL,
    PRIMARY KEY (need_id, skill_code)
);
CREATE INDEX need_skills_skill ON need_skills (skill_code);

CREATE TABLE need_status_history (
    id INTEGER PRIMARY KEY,
    need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    actor_id INTEGER REFERENCES users (id),
    actor TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX need_status_history_need ON need_status_history (need_id, id);
