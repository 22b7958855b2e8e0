-- Indexes for the coordinators' filtered expert list over a large pool:
--   experts_status_updated  the list of one status sorted by last update
--                           reads the index backwards instead of sorting;
--   expert_availability_cover covers the "available during a window"
--                           filter (grouped by expert, no table lookups).
CREATE INDEX experts_status_updated ON experts (status, updated_at, id);
CREATE INDEX expert_availability_cover ON expert_availability (expert_id, start_date, end_date, days_per_week);
