-- Columns and indexes for the expert and need lists (packages expert and
-- need), computed in Go on every write so that filters and sorting stay
-- plain indexed comparisons on both engines:
--   experts.sort_name        folded "last first" (lower case, no accents),
--                            compared byte by byte (COLLATE "C") so that
--                            ordering by name is the same as on SQLite;
--   experts.home_departement the département of the home commune, or '';
--   experts.archived_at      when the expert was last archived (anonymisation
--                            after the retention period counts from it);
--   needs.departement, needs.epci_siren  where the place of the need lies,
--                            for the département filter and pooling.
ALTER TABLE experts ADD COLUMN sort_name TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE experts ADD COLUMN home_departement TEXT NOT NULL DEFAULT '';
ALTER TABLE experts ADD COLUMN archived_at TIMESTAMPTZ;
CREATE INDEX experts_sort_name ON experts (sort_name, id);
CREATE INDEX experts_status_sort_name ON experts (status, sort_name, id);
CREATE INDEX experts_status_updated ON experts (status, updated_at, id);
CREATE INDEX experts_home_departement ON experts (home_departement);
CREATE INDEX experts_daily_rate ON experts (daily_rate, id);
CREATE INDEX experts_experience ON experts (experience_years, id);
CREATE INDEX experts_archived_at ON experts (archived_at);
-- "Available during a window": periods ending after the window starts,
-- read from the index alone.
CREATE INDEX expert_availability_window ON expert_availability (end_date, start_date, days_per_week, expert_id);

ALTER TABLE needs ADD COLUMN departement TEXT NOT NULL DEFAULT '';
ALTER TABLE needs ADD COLUMN epci_siren TEXT NOT NULL DEFAULT '';
CREATE INDEX needs_departement ON needs (departement, status);
CREATE INDEX needs_epci ON needs (epci_siren, status);
