-- A confirmation link, once used, keeps pointing at the need it created
-- until it expires, so that reloading the page after confirming shows the
-- need received instead of creating it twice or answering « expired ». The
-- contact it held is cleared at that moment: the need holds it now.
ALTER TABLE need_submissions ADD COLUMN need_id INTEGER REFERENCES needs (id) ON DELETE CASCADE;
