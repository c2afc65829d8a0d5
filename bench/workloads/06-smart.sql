-- workload: smart
-- needs: smart_check
-- note: every goal, default policy; flags compared, problems text not compared
-- a:
SELECT id, specific, measurable, ambitious, realistic, timed, score, flags
  FROM smart_check('SELECT id, owner, product, metric, baseline, target, potential,
                           start_date, due_date FROM goal');
-- b:
-- the rules of docs/src/60-smart.md with the default policy (min_growth 0,
-- max_growth 1.0, max_days 366) and smart_check's relative slack of 1e-9
SELECT id, s, m, a, r, t, s + m + a + r + t,
       CASE s WHEN 1 THEN 'S' ELSE '-' END || CASE m WHEN 1 THEN 'M' ELSE '-' END ||
       CASE a WHEN 1 THEN 'A' ELSE '-' END || CASE r WHEN 1 THEN 'R' ELSE '-' END ||
       CASE t WHEN 1 THEN 'T' ELSE '-' END
  FROM (
    SELECT id,
           (trim(ifnull(owner, ''), ' ' || char(9, 10, 13)) <> ''
            AND trim(ifnull(product, ''), ' ' || char(9, 10, 13)) <> ''
            AND lower(trim(metric, ' ' || char(9))) IN ('sales', 'units', 'share', 'growth',
                'collections', 'hospitals', 'doctors', 'coverage', 'visits')) AS s,
           (target IS NOT NULL AND baseline IS NOT NULL AND
            CASE WHEN lower(trim(metric, ' ' || char(9))) IN ('share', 'coverage')
                 THEN target > 0 AND target <= 1 AND baseline >= 0 AND baseline <= 1
                 WHEN lower(trim(metric, ' ' || char(9))) = 'growth' THEN 1
                 ELSE target >= 0 AND baseline >= 0 END) AS m,
           ifnull(target > baseline, 0) AS a,
           ifnull(target IS NOT NULL AND baseline IS NOT NULL
                  AND (potential IS NULL
                       OR target <= potential + 1e-9 * max(abs(target), abs(potential), 1))
                  AND (baseline <= 0
                       OR target <= 2 * baseline + 1e-9 * max(abs(target), abs(2 * baseline), 1)),
                  0) AS r,
           ifnull(due_date > start_date
                  AND julianday(due_date) - julianday(start_date) + 1 <= 366, 0) AS t
      FROM goal);
-- floor:
SELECT id, owner, product, metric, baseline, target, potential, start_date, due_date FROM goal;
