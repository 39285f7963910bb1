-- Failed checks per run and severity, for the trend of data quality over the runs the history
-- shows (the newest $limit): a feed's dq_results gain ~180 rows per audit, for months.
WITH shown AS (
    SELECT run_id, started_at FROM ingest_runs ORDER BY started_at DESC LIMIT $limit
),
recent AS (
    -- dq_results are appended in time order: a bound on validated_at skips older row groups
    SELECT * FROM dq_results
    WHERE validated_at >= (SELECT min(started_at) FROM shown) - INTERVAL 1 DAY
)
SELECT d.run_id, s.started_at,
       count(*) FILTER (WHERE NOT d.success AND d.severity = 'critical') AS n_critical_failed,
       count(*) FILTER (WHERE NOT d.success AND d.severity = 'warning') AS n_warnings
FROM recent AS d
JOIN shown AS s USING (run_id)
GROUP BY d.run_id, s.started_at
ORDER BY s.started_at;
