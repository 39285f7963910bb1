-- The keys the run touches, and whether each is live once the run publishes: the keys of its staged
-- mentions and acronym definitions (live), and those of the documents it replaces (live if some
-- mention or definition of a document the run keeps still carries them).
WITH staged AS (
    SELECT key FROM stg_mentions
    UNION
    SELECT key FROM stg_acronyms
),
replaced_only AS (
    SELECT m.key FROM mentions AS m JOIN stg_document_runs AS r USING (doc_id)
    UNION
    SELECT a.key FROM acronyms AS a JOIN stg_document_runs AS r USING (doc_id)
    EXCEPT
    SELECT key FROM staged
),
kept AS (
    SELECT key FROM mentions
    WHERE key IN (SELECT key FROM replaced_only) AND doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
    UNION
    SELECT key FROM acronyms
    WHERE key IN (SELECT key FROM replaced_only) AND doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
)
SELECT key, true AS is_live FROM staged
UNION ALL
SELECT key, key IN (SELECT key FROM kept) AS is_live FROM replaced_only
