-- Staged acronym definitions with both spans checked against the text.
WITH staged AS (
    SELECT a.*, d.text, d.n_chars
    FROM stg_acronyms AS a
    JOIN stg_documents AS d USING (doc_id)
)
SELECT
    * EXCLUDE (text, n_chars),
    short_start >= 0 AND short_end <= n_chars AND long_start >= 0 AND long_end <= n_chars
        AND substring(text, short_start + 1, short_end - short_start) = short_form
        AND substring(text, long_start + 1, long_end - long_start) = long_form AS offsets_in_text
FROM staged
