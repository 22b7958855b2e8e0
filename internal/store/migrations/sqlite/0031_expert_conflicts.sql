-- Conflicts of interest an expert declared (package expert edits them,
-- package match reads them): the expert must not be proposed to needs of
-- the organisation with this SIREN, of the EPCI or commune with it. A change
-- here must also update experts.updated_at, which journals it for matching.
CREATE TABLE expert_conflicts (
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    siren TEXT NOT NULL,                   -- 9 digits
    PRIMARY KEY (expert_id, siren)
);
