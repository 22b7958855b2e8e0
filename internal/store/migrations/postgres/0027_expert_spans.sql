-- The "available during a window" filter of the expert list (package
-- expert) as an index range instead of date arithmetic over every period
-- overlapping the window:
--   expert_spans  for each expert and each level of days per week (1 to 5),
--                 the continuous spans of days the expert is available at
--                 that level or more: periods at >= n days a week, those
--                 that follow each other without a gap merged. An expert
--                 is available during [a, b] at >= n when one span of level
--                 n starts on or before a and ends on or after b. Written
--                 by the expert package with the periods, on every save.
-- And two indexes in the order of the list's sorts by rate and by
-- experience (unknown last), so that a broad filter's page is read in
-- order, stopping after one page, rather than sorting the whole pool.
CREATE TABLE expert_spans (
    expert_id BIGINT NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    days_per_week INTEGER NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    start_date DATE NOT NULL,
    end_date DATE NOT NULL,
    PRIMARY KEY (expert_id, days_per_week, start_date)
);
CREATE INDEX expert_spans_window ON expert_spans (days_per_week, end_date, start_date, expert_id);

-- The spans of the periods already stored (gaps and islands: a period
-- starts a new span unless the previous one at that level ends the day
-- before).
INSERT INTO expert_spans (expert_id, days_per_week, start_date, end_date)
SELECT expert_id, n, min(start_date), max(end_date) FROM (
    SELECT expert_id, n, start_date, end_date,
        sum(brk) OVER (PARTITION BY expert_id, n ORDER BY start_date) AS grp
    FROM (
        SELECT a.expert_id, l.n, a.start_date, a.end_date,
            CASE WHEN lag(a.end_date) OVER (PARTITION BY a.expert_id, l.n ORDER BY a.start_date) = a.start_date - 1
                THEN 0 ELSE 1 END AS brk
        FROM expert_availability a
        JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) l
            ON a.days_per_week >= l.n
    ) x
) y
GROUP BY expert_id, n, grp;

CREATE INDEX experts_rate_order ON experts ((daily_rate IS NULL), daily_rate, id);
CREATE INDEX experts_experience_order ON experts ((experience_years IS NULL), experience_years DESC, id);
