# stats.mk -- timing of median/percentile on 1,000,000 rows (sqlite3 CLI).
# help: bench-stats  time median() OVER (PARTITION BY) on 1M rows vs pure SQL

.PHONY: bench-stats
bench-stats: $(B)/territory.so
	rm -f $(B)/bench-stats.db
	sqlite3 $(B)/bench-stats.db \
	  "CREATE TABLE big(id INTEGER PRIMARY KEY, t INTEGER, x REAL); \
	   WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 1000000) \
	   INSERT INTO big(t, x) SELECT abs(random()) % 10000, \
	     CASE WHEN random() % 50 = 0 THEN NULL ELSE (random() % 1000000) / 100.0 END FROM c;"
	printf '%s\n' \
	  '.load $(B)/territory' \
	  '.timer on' \
	  "SELECT 'median OVER (PARTITION BY t), 10000 partitions', count(*), sum(m) FROM (SELECT median(x) OVER (PARTITION BY t) m FROM big);" \
	  "SELECT 'pure SQL row_number median joined back', count(*), sum(med) FROM (WITH r AS (SELECT t, x, row_number() OVER (PARTITION BY t ORDER BY x) rn, count(*) OVER (PARTITION BY t) c FROM big WHERE x IS NOT NULL), m AS (SELECT t, avg(x) med FROM r WHERE rn IN ((c+1)/2, (c+2)/2) GROUP BY t) SELECT big.t, m.med FROM big JOIN m USING (t));" \
	  "SELECT 'count(x) OVER (PARTITION BY t), the window machinery alone', count(*), sum(m) FROM (SELECT count(x) OVER (PARTITION BY t) m FROM big);" \
	  "SELECT 'median GROUP BY t', count(*), sum(m) FROM (SELECT median(x) m FROM big GROUP BY t);" \
	  "SELECT 'median OVER (), one partition of 1M', count(*), sum(m) FROM (SELECT median(x) OVER () m FROM big);" \
	  "SELECT 'median, 1001-row sliding frame', count(*), sum(m) FROM (SELECT median(x) OVER (ORDER BY id ROWS BETWEEN 500 PRECEDING AND 500 FOLLOWING) m FROM big);" \
	  "SELECT 'running median OVER (ORDER BY id), 1M rows', count(*), sum(m) FROM (SELECT median(x) OVER (ORDER BY id) m FROM big);" \
	| nice sqlite3 $(B)/bench-stats.db
