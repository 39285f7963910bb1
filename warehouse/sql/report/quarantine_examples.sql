-- Up to $per_reason newest examples of each quarantine reason.
SELECT reason_code, source_uri, record_table, message, last_run_id
FROM quarantine
QUALIFY row_number() OVER (PARTITION BY reason_code ORDER BY quarantined_at DESC, source_uri) <= $per_reason
ORDER BY reason_code, source_uri;
