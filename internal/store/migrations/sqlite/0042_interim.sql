-- Interim direction (needs of kind 'interim'): a weekly check-in log kept by
-- the interim director, and the handover note written before delivery.
ALTER TABLE missions ADD COLUMN handover_note TEXT NOT NULL DEFAULT '';

CREATE TABLE mission_checkins (
    id INTEGER PRIMARY KEY,
    mission_id INTEGER NOT NULL REFERENCES missions (id) ON DELETE CASCADE,
    week DATE NOT NULL,                  -- the Monday of the week
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (mission_id, week)
);
