-- The entities the run recomputes: those of its re-resolved keys, before and after.
INSERT OR IGNORE INTO stg_entity_scope
SELECT entity_id FROM entity_keys WHERE key IN (SELECT key FROM stg_resolved_keys)
UNION
SELECT entity_id FROM stg_key_map
