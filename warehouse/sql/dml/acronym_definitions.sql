-- The acronym definitions live after this run publishes whose short form's key is among $values.
SELECT l.*
FROM stg_live_acronyms AS l
JOIN entity_index.acronym_shorts AS s USING (short_form)
WHERE s.short_key IN (SELECT unnest($values::VARCHAR[]))
