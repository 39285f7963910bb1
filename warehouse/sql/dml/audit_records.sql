-- Staged fact records of table {table} with their offsets and surface checked against the text.
WITH staged AS (
    SELECT r.*, d.text AS doc_text, d.n_chars
    FROM stg_{table} AS r
    JOIN stg_documents AS d USING (doc_id)
)
SELECT
    * EXCLUDE (doc_text, n_chars),
    coalesce(char_start >= 0 AND char_end <= n_chars AND char_end >= char_start, false) AS offsets_in_text,
    coalesce({surface_check}, false) AS surface_matches_text
FROM staged
