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
DROP INDEX expert_zones_zone;
CREATE INDEX expert_zones_zone ON expert_zones (zone, expert_id);

-- expert_spans keeps a span only when the next level up has no span equal
-- to it (see expert.spans): "available at >= n days" looks for a span at
-- level n or above. Most experts give the same days a week all year: their
-- spans were repeated at every level up to it.
DELETE FROM expert_spans WHERE EXISTS (SELECT 1 FROM expert_spans h
    WHERE h.expert_id = expert_spans.expert_id AND h.days_per_week = expert_spans.days_per_week + 1
    AND h.start_date = expert_spans.start_date AND h.end_date = expert_spans.end_date);
