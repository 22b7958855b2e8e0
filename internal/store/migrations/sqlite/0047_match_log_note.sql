-- A coordinator who proposes an expert the ranking excludes states why;
-- the reason is kept with the ranking log's entry of that proposal.
ALTER TABLE match_log ADD COLUMN note TEXT NOT NULL DEFAULT '';
