-- Documents per source (name, else site, else domain); documents with none count as NULL.
SELECT source, count(*) AS n_documents
FROM v_documents
GROUP BY source
ORDER BY n_documents DESC, source NULLS LAST
LIMIT $limit;
