-- Published person keys whose surname is among _values (value).
SELECT p.key
FROM entity_index.person_surnames AS p
WHERE p.surname IN (SELECT value FROM _values)
  AND p.key IN (SELECT key FROM entity_keys)
