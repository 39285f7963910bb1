-- Every failed check of the latest audited run, critical first, with counts and a sample.
WITH latest AS (SELECT run_id FROM dq_results ORDER BY validated_at DESC LIMIT 1)
SELECT table_name, check_name, severity, expectation_type, unexpected_count, element_count,
       unexpected_sample, run_id
FROM dq_results
WHERE run_id IN (SELECT run_id FROM latest) AND NOT success
ORDER BY severity = 'warning', table_name, check_name;
