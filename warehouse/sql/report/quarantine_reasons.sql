-- Quarantine by reason: how many rows, of which tables, and when last seen.
SELECT reason_code, count(*) AS n_rows, string_agg(DISTINCT record_table, ', ' ORDER BY record_table) AS tables,
       max(quarantined_at) AS last_seen, arg_max(last_run_id, quarantined_at) AS last_run_id
FROM quarantine
GROUP BY reason_code
ORDER BY n_rows DESC, reason_code;
