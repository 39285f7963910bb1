-- Short-form keys of the acronyms the run adds definitions to or removes definitions from.
SELECT DISTINCT s.short_key
FROM (
    SELECT short_form FROM stg_acronyms
    UNION
    SELECT a.short_form FROM acronyms AS a JOIN stg_document_runs AS r USING (doc_id)
) AS f
JOIN entity_index.acronym_shorts AS s USING (short_form)
