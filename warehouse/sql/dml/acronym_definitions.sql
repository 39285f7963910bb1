-- The acronym definitions live after this run publishes whose short form's key is among $values.
WITH live AS (
    SELECT short_form, long_form, long_normal, key, short_start, short_end, long_start, long_end
    FROM acronyms
    WHERE doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
    UNION ALL
    SELECT short_form, long_form, long_normal, key, short_start, short_end, long_start, long_end
    FROM stg_acronyms
)
SELECT l.*
FROM live AS l
JOIN entity_index.acronym_shorts AS s USING (short_form)
WHERE s.short_key IN (SELECT unnest($values::VARCHAR[]))
