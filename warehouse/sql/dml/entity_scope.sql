-- Mark the re-resolved keys whose published mentions change entity (every key in a rebuild,
-- $rebuild); then the entities the run recomputes: those of its re-resolved keys, before and after
-- (and every published one in a rebuild).
-- Those that lose or gain such a key are recomputed from every mention of their keys (as is
-- everything in a rebuild), the others from their published rows and the run's changes.
UPDATE stg_resolved_keys SET repoint = $rebuild OR key IN (
    SELECT k.key FROM stg_key_map AS k JOIN entity_keys AS b USING (key) WHERE b.entity_id <> k.entity_id);

INSERT INTO stg_entity_scope
WITH before AS (
    SELECT key, entity_id FROM entity_keys WHERE key IN (SELECT key FROM stg_resolved_keys)
),
moved AS (
    SELECT entity_id FROM before WHERE key IN (SELECT key FROM stg_resolved_keys WHERE repoint)
    UNION
    SELECT entity_id FROM stg_key_map WHERE key IN (SELECT key FROM stg_resolved_keys WHERE repoint)
)
SELECT entity_id, $rebuild OR entity_id IN (SELECT entity_id FROM moved) AS full_recompute
FROM (SELECT entity_id FROM before
      UNION SELECT entity_id FROM stg_key_map
      UNION SELECT entity_id FROM entities WHERE $rebuild)
