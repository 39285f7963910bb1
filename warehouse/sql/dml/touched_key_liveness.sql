-- Whether each touched key is live once the run publishes: a mention carries it (its name counts)
-- or an acronym definition of a document the run keeps, or stages, does.
WITH touched AS (
    SELECT key FROM stg_resolved_keys WHERE touched
),
defined AS (
    SELECT key FROM acronyms
    WHERE key IN (SELECT key FROM touched) AND doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
    UNION
    SELECT key FROM stg_acronyms
)
SELECT key, key IN (SELECT key FROM stg_key_normals) OR key IN (SELECT key FROM defined) AS is_live
FROM touched
