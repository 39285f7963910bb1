-- Failed checks per run and severity, for the trend of data quality over runs.
SELECT d.run_id, min(r.started_at) AS started_at,
       count(*) FILTER (WHERE NOT d.success AND d.severity = 'critical') AS n_critical_failed,
       count(*) FILTER (WHERE NOT d.success AND d.severity = 'warning') AS n_warnings
FROM dq_results AS d
JOIN ingest_runs AS r USING (run_id)
GROUP BY d.run_id
ORDER BY started_at;
