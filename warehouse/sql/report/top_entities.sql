-- The most widely mentioned entities.
SELECT canonical_name, type, n_docs, n_mentions, first_seen_date, last_seen_date
FROM v_entities
ORDER BY n_docs DESC, n_mentions DESC, canonical_name
LIMIT $limit;
