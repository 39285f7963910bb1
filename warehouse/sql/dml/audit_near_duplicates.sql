-- Audit frame of stg_near_duplicates: never its own copy; the copied document is published or staged.
SELECT n.*, n.doc_id <> n.near_duplicate_of AS not_self,
       n.near_duplicate_of IN (SELECT doc_id FROM documents UNION SELECT doc_id FROM stg_documents) AS target_exists
FROM stg_near_duplicates AS n
