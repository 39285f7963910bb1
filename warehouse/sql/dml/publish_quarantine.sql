-- Publish the run's quarantine: new rows in, rows seen before get this run as their last run.
-- Input bytes are stored once, in raw_inputs (quarantine.raw_hash refers to them); quarantine.raw
-- only holds a failed record as JSON.
UPDATE quarantine SET last_run_id = s.last_run_id
FROM stg_quarantine AS s
WHERE quarantine.quarantine_id = s.quarantine_id;

INSERT OR IGNORE INTO quarantine BY NAME
SELECT DISTINCT ON (quarantine_id) * FROM stg_quarantine;
