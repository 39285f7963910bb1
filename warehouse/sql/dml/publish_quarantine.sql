-- Publish the run's quarantine: new rows in, rows seen before get this run as their last run,
-- and rows staged without bytes (documents that failed validation) get their input bytes.
UPDATE quarantine SET last_run_id = s.last_run_id
FROM stg_quarantine AS s
WHERE quarantine.quarantine_id = s.quarantine_id;

INSERT OR IGNORE INTO quarantine BY NAME
SELECT DISTINCT ON (quarantine_id) * FROM stg_quarantine;

UPDATE quarantine SET raw = r.raw
FROM raw_inputs AS r
WHERE quarantine.raw IS NULL AND quarantine.raw_hash = r.raw_hash;
