-- A rebuild re-resolves every key: the published and the staged ones (all touched).
INSERT INTO stg_resolved_keys (key, touched)
SELECT key, true FROM (
    SELECT key FROM entity_keys
    UNION SELECT alias_key FROM entity_aliases
    UNION SELECT key FROM entity_index.key_normals
    UNION SELECT key FROM stg_key_map
    UNION SELECT alias_key FROM stg_entity_aliases
)
