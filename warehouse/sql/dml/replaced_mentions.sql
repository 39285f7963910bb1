-- The published mentions of the documents the run replaces, with their published dates (one read
-- of mentions per run; a temporary table of the resolving connection).
CREATE OR REPLACE TEMP TABLE replaced_mentions AS
SELECT m.doc_id, m.key, m.normal, d.published_at
FROM mentions AS m
JOIN documents AS d USING (doc_id)
WHERE m.doc_id IN (SELECT doc_id FROM stg_document_runs)
