-- The matching engine's change journal (package match). Every instance of
-- `vivier serve` keeps the experts in memory and applies, before each query
-- and on a ticker, the rows it has not seen (seq greater than the last it
-- applied), reloading those experts. Triggers fill it, so code that writes
-- experts never has to know; whatever else changes a ranking (missions,
-- reviews) inserts rows itself (match.Touch). expert_id 0 means "the
-- matching weights changed". AUTOINCREMENT so that a seq is never reused
-- after pruning.
CREATE TABLE expert_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    expert_id INTEGER NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX expert_changes_changed ON expert_changes (changed_at);

CREATE TRIGGER experts_journal_insert AFTER INSERT ON experts
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at) VALUES (NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;

CREATE TRIGGER experts_journal_update AFTER UPDATE ON experts
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at) VALUES (NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;

CREATE TRIGGER experts_journal_delete AFTER DELETE ON experts
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at) VALUES (OLD.id, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;

CREATE TRIGGER settings_journal_insert AFTER INSERT ON settings
WHEN NEW.key = 'match.weights'
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at) VALUES (0, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;

CREATE TRIGGER settings_journal_update AFTER UPDATE ON settings
WHEN NEW.key = 'match.weights'
BEGIN
    INSERT INTO expert_changes (expert_id, changed_at) VALUES (0, strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
