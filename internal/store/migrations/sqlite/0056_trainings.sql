-- Trainings (courses, and the MOOC whose course runs elsewhere), their
-- sessions split into half-days, enrolments (the same no-overbooking rule
-- as events), the half-day sign-in (émargement) by each trainee and the
-- trainer's countersignature, the satisfaction surveys and the MOOC's
-- counts entered by staff.
CREATE TABLE trainings (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'course' CHECK (kind IN ('course', 'mooc')),
    programme TEXT NOT NULL DEFAULT '',       -- Markdown
    objectives TEXT NOT NULL DEFAULT '',      -- one per line
    prerequisites TEXT NOT NULL DEFAULT '',
    hours REAL NOT NULL CHECK (hours > 0),
    price_member INTEGER NOT NULL DEFAULT 0,  -- euros
    price_other INTEGER NOT NULL DEFAULT 0,
    partner TEXT NOT NULL DEFAULT '',         -- the co-producer of a MOOC
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE training_sessions (
    id INTEGER PRIMARY KEY,
    training_id INTEGER NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    commune TEXT NOT NULL DEFAULT '',         -- INSEE code, '' online
    address TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    trainer TEXT NOT NULL,
    trainer_token TEXT NOT NULL UNIQUE,       -- the trainer's link: countersign, room QR code
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX training_sessions_training ON training_sessions (training_id);

CREATE TABLE training_halfdays (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    room_token TEXT NOT NULL UNIQUE,          -- in the QR code shown in the room
    countersigned_at TIMESTAMP,               -- by the trainer
    UNIQUE (session_id, starts_at)
);

CREATE TABLE training_enrolments (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation_id INTEGER REFERENCES organisations (id),
    enrolled_by INTEGER REFERENCES users (id),
    member BOOLEAN NOT NULL DEFAULT FALSE,    -- the member price applies
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    position INTEGER,
    token TEXT NOT NULL UNIQUE,               -- the trainee's personal link
    code TEXT NOT NULL,                       -- six digits, to sign through the room's QR code
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX training_enrolments_email ON training_enrolments (session_id, email) WHERE status <> 'cancelled';
CREATE INDEX training_enrolments_status ON training_enrolments (session_id, status, position);
CREATE INDEX training_enrolments_org ON training_enrolments (organisation_id);

CREATE TABLE training_signatures (
    enrolment_id INTEGER NOT NULL REFERENCES training_enrolments (id) ON DELETE CASCADE,
    halfday_id INTEGER NOT NULL REFERENCES training_halfdays (id) ON DELETE CASCADE,
    signed_at TIMESTAMP NOT NULL,
    ip TEXT NOT NULL,
    via TEXT NOT NULL CHECK (via IN ('link', 'room', 'staff')),
    PRIMARY KEY (enrolment_id, halfday_id)
);

CREATE TABLE training_surveys (
    enrolment_id INTEGER PRIMARY KEY REFERENCES training_enrolments (id) ON DELETE CASCADE,
    content INTEGER NOT NULL CHECK (content BETWEEN 1 AND 5),
    trainer INTEGER NOT NULL CHECK (trainer BETWEEN 1 AND 5),
    organisation INTEGER NOT NULL CHECK (organisation BETWEEN 1 AND 5),
    usefulness INTEGER NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    answered_at TIMESTAMP NOT NULL
);

-- The MOOC's sessions run on another platform: staff enter their counts.
CREATE TABLE mooc_counts (
    id INTEGER PRIMARY KEY,
    training_id INTEGER NOT NULL REFERENCES trainings (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    starts_on DATE NOT NULL,
    enrolled INTEGER NOT NULL CHECK (enrolled >= 0),
    completed INTEGER NOT NULL CHECK (completed >= 0),
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (training_id, label)
);
