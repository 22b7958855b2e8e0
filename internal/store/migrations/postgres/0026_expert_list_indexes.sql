-- Index for the coordinators' filtered expert list over a large pool
-- (the list sorted by update uses experts_status_updated, from 0024):
--   expert_availability_cover covers the "available during a window"
--                           filter (grouped by expert, no table lookups).
CREATE INDEX expert_availability_cover ON expert_availability (expert_id, start_date, end_date, days_per_week);
