-- Who held which post, newest reports first.
SELECT person, position, organisation, kind, valid_from, valid_to, reported_at, doc_id
FROM v_positions
ORDER BY reported_at DESC NULLS LAST, person
LIMIT $limit;
