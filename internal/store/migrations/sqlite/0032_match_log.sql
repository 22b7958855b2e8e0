-- Every ranking shown or exported (package match, LogRanking): ranking
-- people for work is a high-risk use under the EU AI Act, so a human decides
-- and the record says who saw which ranking, when, for which need, with
-- which weights, and the top results with their components.
CREATE TABLE match_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor TEXT NOT NULL,                   -- the actor's name as shown, kept if the user is erased
    purpose TEXT NOT NULL,                 -- "shown", "exported", "explained"…
    need_id INTEGER REFERENCES needs (id) ON DELETE SET NULL,
    request TEXT NOT NULL,                 -- the request as JSON
    weights TEXT NOT NULL,                 -- JSON
    excluded TEXT NOT NULL,                -- JSON counts by reason
    results TEXT NOT NULL,                 -- JSON: the top matches with their components
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX match_log_need ON match_log (need_id, id);
CREATE INDEX match_log_created ON match_log (created_at);
