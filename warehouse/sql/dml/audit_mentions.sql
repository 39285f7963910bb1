-- Staged mentions with offset, surface and entity checks precomputed. The entity must exist once
-- the run publishes: recomputed by the run (stg_entities), or published and left alone.
WITH staged AS (
    SELECT m.*, d.text, d.n_chars
    FROM stg_mentions AS m
    JOIN stg_documents AS d USING (doc_id)
)
SELECT
    * EXCLUDE (text, n_chars),
    char_start >= 0 AND char_end <= n_chars AND char_end > char_start AS offsets_in_text,
    substring(text, char_start + 1, char_end - char_start) = surface AS surface_matches_text,
    entity_id IN (SELECT entity_id FROM stg_entities)
        OR (entity_id IN (SELECT entity_id FROM entities)
            AND entity_id NOT IN (SELECT entity_id FROM stg_entity_scope)) AS entity_exists
FROM staged
