-- Published activity reports (package report). Publishing the report of a
-- year stores its figures as they were computed that day, with the version
-- of the formulas: later edits of the records do not change it. Publishing
-- it again is explicit, with a reason, and adds a version; the latest one
-- is the report shown. The content holds no personal data (see the package
-- doc), so erasing a person never needs to edit it.
CREATE TABLE report_snapshots (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    formulas TEXT NOT NULL,                -- report.FormulasVersion when published
    content TEXT NOT NULL,                 -- the report, JSON
    reason TEXT NOT NULL DEFAULT '',       -- why it was published again
    published_by INTEGER REFERENCES users (id),
    published_at TIMESTAMP NOT NULL,
    UNIQUE (year, version)
);
