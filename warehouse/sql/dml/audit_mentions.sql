-- Staged mentions with offset and entity checks precomputed (the surface check is done in Python,
-- warehouse/audit.py: DuckDB's substring walks the text from its start, mentions × length). The entity must exist once
-- the run publishes: recomputed by the run (stg_entities), or published and left alone.
WITH staged AS (
    SELECT m.*, d.n_chars
    FROM stg_mentions AS m
    JOIN stg_documents AS d USING (doc_id)
)
SELECT
    * EXCLUDE (n_chars),
    char_start >= 0 AND char_end <= n_chars AND char_end > char_start AS offsets_in_text,
    entity_id IN (SELECT entity_id FROM stg_entities)
        OR (entity_id IN (SELECT entity_id FROM entities)
            AND entity_id NOT IN (SELECT entity_id FROM stg_entity_scope)) AS entity_exists
FROM staged
