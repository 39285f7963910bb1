-- The keys the run touches: those of its staged mentions and acronym definitions, and those of
-- the published ones of the documents it replaces.
INSERT INTO stg_resolved_keys (key, touched)
SELECT key, true AS touched FROM (
    SELECT key FROM stg_mentions
    UNION
    SELECT key FROM stg_acronyms
    UNION
    SELECT key FROM replaced_mentions
    UNION
    SELECT key FROM acronyms WHERE doc_id IN (SELECT doc_id FROM stg_document_runs)
)
