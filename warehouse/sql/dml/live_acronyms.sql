-- Every acronym definition as the warehouse will hold it after this run publishes.
SELECT short_form, long_form, long_normal, key, short_start, short_end, long_start, long_end
FROM acronyms
WHERE doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
UNION ALL
SELECT short_form, long_form, long_normal, key, short_start, short_end, long_start, long_end
FROM stg_acronyms
