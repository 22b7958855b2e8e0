-- Lighter writes of experts (package expert): every index below is written
-- with each expert, and an import of 100,000 experts writes each of them
-- 100,000 times or more. Dropped because no query reads them any more:
--   experts_status, experts_daily_rate, experts_experience: prefixes of, or
--     superseded by, experts_status_sort_name, experts_rate_order and
--     experts_experience_order, which the list reads;
--   experts_last_name: the list orders by sort_name; the one query that
--     orders by the raw names (the match page's expert picker) filters on
--     an expression and reads the table whole anyway;
--   expert_availability_expert: a prefix of expert_availability_cover;
--   expert_availability_window: the availability filter reads expert_spans.
DROP INDEX experts_status;
DROP INDEX experts_daily_rate;
DROP INDEX experts_experience;
DROP INDEX experts_last_name;
DROP INDEX expert_availability_expert;
DROP INDEX expert_availability_window;

-- The zone filter reads expert_zones again: "dep:69" is zone IN ('dep:69',
-- 'reg:84', 'national') (the département, its region, all of France) and
-- "reg:84" is zone IN ('reg:84', 'national', and each of its départements),
-- fourteen index lookups at most. expert_coverage, which held those areas
-- expanded for every expert (4.8 rows per expert), goes.
DROP TABLE expert_coverage;

-- The tables keyed by (expert_id, …) become WITHOUT ROWID: a rowid table
-- with a composite primary key is two b-trees (the rows, and the key as an
-- index), both written for every row, and these tables are read only
-- through their key or their one other index. Rebuilt, copied, renamed.
CREATE TABLE expert_skills_new (
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    skill_code TEXT NOT NULL REFERENCES skills (code),
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    PRIMARY KEY (expert_id, skill_code)
) WITHOUT ROWID;
INSERT INTO expert_skills_new SELECT expert_id, skill_code, level FROM expert_skills;
DROP TABLE expert_skills;
ALTER TABLE expert_skills_new RENAME TO expert_skills;
CREATE INDEX expert_skills_skill ON expert_skills (skill_code, level);

CREATE TABLE expert_zones_new (
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    zone TEXT NOT NULL,
    PRIMARY KEY (expert_id, zone)
) WITHOUT ROWID;
INSERT INTO expert_zones_new SELECT expert_id, zone FROM expert_zones;
DROP TABLE expert_zones;
ALTER TABLE expert_zones_new RENAME TO expert_zones;
CREATE INDEX expert_zones_zone ON expert_zones (zone, expert_id);

CREATE TABLE expert_spans_new (
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    days_per_week INTEGER NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    PRIMARY KEY (expert_id, days_per_week, start_date)
) WITHOUT ROWID;
INSERT INTO expert_spans_new SELECT expert_id, days_per_week, start_date, end_date FROM expert_spans;
DROP TABLE expert_spans;
ALTER TABLE expert_spans_new RENAME TO expert_spans;
CREATE INDEX expert_spans_window ON expert_spans (days_per_week, end_date, start_date, expert_id);

-- expert_spans keeps a span only when the next level up has no span equal
-- to it (see expert.spans): "available at >= n days" looks for a span at
-- level n or above. Most experts give the same days a week all year: their
-- spans were repeated at every level up to it.
DELETE FROM expert_spans WHERE EXISTS (SELECT 1 FROM expert_spans h
    WHERE h.expert_id = expert_spans.expert_id AND h.days_per_week = expert_spans.days_per_week + 1
    AND h.start_date = expert_spans.start_date AND h.end_date = expert_spans.end_date);
