-- Every mention key as the warehouse will hold it after this run publishes.
WITH kept AS (
    SELECT type, key, normal FROM mentions
    WHERE doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
),
staged AS (
    SELECT type, key, normal FROM stg_mentions
)
SELECT type, key, mode(normal) AS normal, count(*) AS n
FROM (SELECT * FROM kept UNION ALL SELECT * FROM staged)
GROUP BY type, key
