-- Short-form keys of the acronym definitions, published or staged, whose long form's key is among
-- $values: the acronyms that can alias to those keys.
SELECT DISTINCT s.short_key
FROM (
    SELECT short_form, key FROM acronyms
    UNION ALL
    SELECT short_form, key FROM stg_acronyms
) AS a
JOIN entity_index.acronym_shorts AS s USING (short_form)
WHERE a.key IN (SELECT unnest($values::VARCHAR[]))
