-- The latest audited run's checks per table: critical failures and warnings counted apart.
WITH latest AS (SELECT run_id FROM dq_results ORDER BY validated_at DESC LIMIT 1)
SELECT table_name, any_value(run_id) AS run_id, count(*) AS n_checks,
       count(*) FILTER (WHERE NOT success AND severity = 'critical') AS n_critical_failed,
       count(*) FILTER (WHERE NOT success AND severity = 'warning') AS n_warnings,
       max(element_count) AS n_rows
FROM dq_results
WHERE run_id IN (SELECT run_id FROM latest)
GROUP BY table_name
ORDER BY n_critical_failed DESC, n_warnings DESC, table_name;
