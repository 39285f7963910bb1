-- The name counts of every key from every live mention (a rebuild).
INSERT INTO stg_key_normals
SELECT key, normal, count(*)::INTEGER AS n
FROM (
    SELECT key, normal FROM mentions WHERE doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
    UNION ALL
    SELECT key, normal FROM stg_mentions
)
GROUP BY key, normal
