-- Staged acronym definitions with both spans' offsets checked (their surfaces are checked in
-- Python, warehouse/audit.py).
WITH staged AS (
    SELECT a.*, d.n_chars
    FROM stg_acronyms AS a
    JOIN stg_documents AS d USING (doc_id)
)
SELECT
    * EXCLUDE (n_chars),
    short_start >= 0 AND short_end <= n_chars AND long_start >= 0 AND long_end <= n_chars AS offsets_in_text
FROM staged
