-- Published person keys whose surname is among $values.
SELECT p.key
FROM entity_index.person_surnames AS p
WHERE p.surname IN (SELECT unnest($values::VARCHAR[]))
  AND p.key IN (SELECT key FROM entity_keys)
