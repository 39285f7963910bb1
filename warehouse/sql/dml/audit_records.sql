-- Staged fact records of table {table} with their offsets checked against the text (the surface
-- check is done in Python, warehouse/audit.py).
WITH staged AS (
    SELECT r.*, d.n_chars
    FROM stg_{table} AS r
    JOIN stg_documents AS d USING (doc_id)
)
SELECT
    * EXCLUDE (n_chars),
    coalesce(char_start >= 0 AND char_end <= n_chars AND char_end >= char_start, false) AS offsets_in_text
FROM staged
