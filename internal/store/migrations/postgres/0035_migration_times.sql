-- schema_migrations is created by the migration runner with the same
-- statement on both engines, so on PostgreSQL its applied_at came out a
-- TIMESTAMP without time zone, where every other instant is a TIMESTAMPTZ.
-- The runner writes UTC, so the stored values are read as UTC.
ALTER TABLE schema_migrations ALTER COLUMN applied_at TYPE TIMESTAMPTZ USING applied_at AT TIME ZONE 'UTC';
