-- smart: each goal with its SMART flags and the problems that failed it
-- param: owner = all owners (a goal owner, as written in goal.owner)
-- param: product = all products (a product, as written in goal.product)
-- param: failing = 0 (1: only the goals that fail at least one letter)
--
-- Runs smart_check over the goal table (rules: docs, "SMART goals").  A
-- goal's policy is its own min_growth / max_growth / max_days when given,
-- else the settings smart.min_growth / smart.max_growth / smart.max_days,
-- else the built-in defaults (0, 1.0, 366).  Two results.  First, one row
-- per goal: score (letters passed, 0-5), flags ('SM-RT': '-' for a failed
-- letter) and problems, the sentences of smart_check joined by '. ', each
-- carrying the numbers that failed it.  Second, how many of those goals
-- pass all five letters and how many fail each letter.
DROP TABLE IF EXISTS temp.smart_arg;
DROP TABLE IF EXISTS temp.smart_goal;

-- The parameter, checked on its own first: raise_error stops the report with
-- our own message, whatever the tables hold.
CREATE TEMP TABLE temp.smart_arg AS
SELECT CASE
         WHEN :failing IS NULL OR :failing IN (0, 1) THEN coalesce(:failing, 0)
         ELSE raise_error('smart: failing must be 0 or 1, got ' || :failing)
       END AS failing;

-- The goals asked for with their check, run once for both results.
CREATE TEMP TABLE temp.smart_goal AS
WITH c AS (
  SELECT * FROM smart_check('
    SELECT id, owner, product, metric, baseline, target, potential,
           start_date, due_date,
           coalesce(min_growth, (SELECT value FROM settings WHERE key = ''smart.min_growth'')) AS min_growth,
           coalesce(max_growth, (SELECT value FROM settings WHERE key = ''smart.max_growth'')) AS max_growth,
           coalesce(max_days, (SELECT value FROM settings WHERE key = ''smart.max_days'')) AS max_days
      FROM goal')
)
SELECT g.id, g.owner, g.product, g.metric, g.baseline, g.target, g.due_date,
       c.score, c.flags, c.problems,
       c.specific, c.measurable, c.ambitious, c.realistic, c.timed
  FROM temp.smart_arg a CROSS JOIN c JOIN goal g ON g.id = c.id
 WHERE (:owner IS NULL OR g.owner = :owner)
   AND (:product IS NULL OR g.product = :product)
   AND (a.failing = 0 OR c.score < 5);

SELECT id, owner, product, metric, baseline, target, due_date, score, flags,
       (SELECT group_concat(j.value, '. ') FROM json_each(problems) j) AS problems
  FROM temp.smart_goal
 ORDER BY id;

SELECT count(*) AS goals,
       coalesce(sum(score = 5), 0) AS smart,
       coalesce(sum(1 - specific), 0) AS not_specific,
       coalesce(sum(1 - measurable), 0) AS not_measurable,
       coalesce(sum(1 - ambitious), 0) AS not_ambitious,
       coalesce(sum(1 - realistic), 0) AS not_realistic,
       coalesce(sum(1 - timed), 0) AS not_timed
  FROM temp.smart_goal;

DROP TABLE temp.smart_goal;
DROP TABLE temp.smart_arg;
