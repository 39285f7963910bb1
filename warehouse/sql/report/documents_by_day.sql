-- Documents per publication day; undated documents are counted in totals.sql instead.
SELECT CAST(published_at AS DATE) AS day, count(*) AS n_documents
FROM documents
WHERE published_at IS NOT NULL
GROUP BY day
ORDER BY day;
