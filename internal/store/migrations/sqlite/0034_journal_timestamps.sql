-- The change journal's triggers write changed_at in the layout in which the
-- driver writes a time.Time ('2006-01-02 15:04:05.999999999-07:00': the
-- fraction without its trailing zeros, then the offset, +00:00 in UTC), so
-- that a time.Time parameter compares with it as text the way it compares
-- with a TIMESTAMPTZ on PostgreSQL, and package match needs no engine
-- branch. They wrote '2006-01-02 15:04:05.000', which sorts before the
-- driver's text of the same instant.
DROP TRIGGER experts_journal_insert;
DROP TRIGGER experts_journal_update;
DROP TRIGGER experts_journal_delete;
DROP TRIGGER settings_journal_insert;
DROP TRIGGER settings_journal_update;

CREATE TRIGGER experts_journal_insert AFTER INSERT ON experts
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at)
    VALUES (NEW.id, rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.') || '+00:00');
END;

CREATE TRIGGER experts_journal_update AFTER UPDATE ON experts
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at)
    VALUES (NEW.id, rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.') || '+00:00');
END;

CREATE TRIGGER experts_journal_delete AFTER DELETE ON experts
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at)
    VALUES (OLD.id, rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.') || '+00:00');
END;

CREATE TRIGGER settings_journal_insert AFTER INSERT ON settings
WHEN NEW.key = 'match.weights'
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at)
    VALUES (0, rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.') || '+00:00');
END;

CREATE TRIGGER settings_journal_update AFTER UPDATE ON settings
WHEN NEW.key = 'match.weights'
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at)
    VALUES (0, rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.') || '+00:00');
END;

-- The rows already written, in the new layout. (The '.' stops the first
-- rtrim: '10.000' becomes '10.', then '10'.)
UPDATE expert_changes SET changed_at = rtrim(rtrim(changed_at, '0'), '.') || '+00:00'
WHERE changed_at NOT LIKE '%+00:00';
