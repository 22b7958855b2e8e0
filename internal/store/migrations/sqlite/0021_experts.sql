-- The expert pool (package expert). One row per expert; skills, zones and
-- availability periods in their own tables; every status change in
-- expert_status_history; the CV in expert_cvs so that listing experts never
-- reads a PDF.
CREATE TABLE experts (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,        -- stable external id, the key of file imports
    user_id INTEGER UNIQUE REFERENCES users (id), -- the expert's own account, if any
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,            -- lower case
    phone TEXT NOT NULL DEFAULT '',
    employment TEXT NOT NULL DEFAULT '' CHECK (employment IN ('', 'en_poste', 'mobilite', 'independant', 'retraite')),
    employer_siren TEXT NOT NULL DEFAULT '', -- 9 digits, Luhn-valid, or ''
    commune TEXT NOT NULL DEFAULT '',      -- INSEE code of residence (internal/geo), or ''
    daily_rate INTEGER,                    -- TJM in whole euros; NULL when not given
    experience_years INTEGER,              -- NULL when not given
    languages TEXT NOT NULL DEFAULT 'fr',  -- ISO 639-1 codes joined by '|', e.g. 'fr|en'
    bio TEXT NOT NULL DEFAULT '',          -- plain text, shown escaped
    status TEXT NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'qualified', 'suspended', 'archived')),
    consent_at TIMESTAMP,                       -- when the expert agreed to be kept in the pool
    retain_until DATE,                     -- erase or ask consent again after this day
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX experts_status ON experts (status);
CREATE INDEX experts_last_name ON experts (last_name, first_name, id);
CREATE INDEX experts_updated ON experts (updated_at);

-- Skills with their level: 1 notions, 2 pratique, 3 confirmé, 4 expert.
CREATE TABLE expert_skills (
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    skill_code TEXT NOT NULL REFERENCES skills (code),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (expert_id, skill_code)
);
CREATE INDEX expert_skills_skill ON expert_skills (skill_code, level);

-- Zones where the expert accepts to work, in canonical form: 'dep:69',
-- 'reg:84' or 'national' (geo.Zone.String).
CREATE TABLE expert_zones (
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    zone TEXT NOT NULL,
    PRIMARY KEY (expert_id, zone)
);
CREATE INDEX expert_zones_zone ON expert_zones (zone);

-- Availability periods, both days included, with the days per week the
-- expert can give during the period.
CREATE TABLE expert_availability (
    id INTEGER PRIMARY KEY,
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    days_per_week INTEGER NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    CHECK (end_date >= start_date)
);
CREATE INDEX expert_availability_expert ON expert_availability (expert_id, start_date);

-- Who moved an expert from one status to another, when and why.
CREATE TABLE expert_status_history (
    id INTEGER PRIMARY KEY,
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL DEFAULT '',  -- '' for the creation
    to_status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    actor_id INTEGER REFERENCES users (id),  -- NULL for imports and the system
    actor TEXT NOT NULL,                   -- the actor's name as shown, kept if the user is erased
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX expert_status_history_expert ON expert_status_history (expert_id, id);

-- The expert's CV, a PDF of at most 5 MB, stored in the database rather than
-- on disk: several stateless `vivier serve` share one PostgreSQL, backups
-- hold it, and replacing it is transactional with the profile.
CREATE TABLE expert_cvs (
    expert_id INTEGER PRIMARY KEY REFERENCES experts (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);
