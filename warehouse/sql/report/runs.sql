-- The newest runs (up to $limit), oldest first, for the history charts and table.
SELECT run_id, status, started_at, finished_at,
       round(epoch(finished_at - started_at), 1) AS seconds,
       n_seen, n_new, n_unchanged, n_updated, n_duplicate, n_quarantined,
       validation_success, coalesce(validation_warnings, []) AS validation_warnings, docs_index, message
FROM (SELECT * FROM ingest_runs ORDER BY started_at DESC LIMIT $limit)
ORDER BY started_at;
