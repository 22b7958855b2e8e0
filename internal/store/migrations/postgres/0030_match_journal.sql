-- The matching engine's change journal (package match). Every instance of
-- `vivier serve` keeps the experts in memory and applies, before each query
-- and on a ticker, the rows it has not seen (seq greater than the last it
-- applied), reloading those experts. Triggers fill it, so code that writes
-- experts never has to know; whatever else changes a ranking (missions,
-- reviews) inserts rows itself (match.Touch). expert_id 0 means "the
-- matching weights changed".
--
-- A sequence hands out seq before commit, so two transactions could commit
-- out of seq order and a reader could see seq 11 before seq 10 exists for
-- it, then never look back. The trigger function therefore takes a
-- transaction-level advisory lock before writing: writers of the journal
-- commit one after the other, in seq order.
CREATE TABLE expert_changes (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    expert_id BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX expert_changes_changed ON expert_changes (changed_at);

CREATE FUNCTION match_journal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(727275);
    IF TG_TABLE_NAME = 'settings' THEN
        IF NEW.key = 'match.weights' THEN
            INSERT INTO expert_changes (expert_id, changed_at) VALUES (0, now());
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO expert_changes (expert_id, changed_at) VALUES (OLD.id, now());
    ELSE
        INSERT INTO expert_changes (expert_id, changed_at) VALUES (NEW.id, now());
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER experts_journal AFTER INSERT OR UPDATE OR DELETE ON experts
    FOR EACH ROW EXECUTE FUNCTION match_journal();

CREATE TRIGGER settings_journal AFTER INSERT OR UPDATE ON settings
    FOR EACH ROW EXECUTE FUNCTION match_journal();
