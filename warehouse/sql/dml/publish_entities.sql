-- Publish the run's entity resolution as a delta: re-point the mentions and acronyms of the
-- re-resolved keys, replace the recomputed entities and the re-resolved keys' rows of entity_keys
-- and entity_aliases; everything else stays as published.
UPDATE mentions SET entity_id = k.entity_id
FROM stg_key_map AS k
WHERE mentions.key = k.key AND mentions.entity_id <> k.entity_id;

UPDATE acronyms SET entity_id = k.entity_id
FROM stg_key_map AS k
WHERE acronyms.key = k.key AND acronyms.entity_id <> k.entity_id;

DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM stg_entity_scope);

INSERT INTO entities BY NAME SELECT * FROM stg_entities;

DELETE FROM entity_aliases WHERE alias_key IN (SELECT key FROM stg_resolved_keys);

INSERT INTO entity_aliases BY NAME SELECT * FROM stg_entity_aliases;

DELETE FROM entity_keys WHERE key IN (SELECT key FROM stg_resolved_keys);

INSERT INTO entity_keys BY NAME SELECT * FROM stg_key_map;

-- From now on the lookups cover every published key: later runs resolve a delta.
INSERT OR REPLACE INTO entity_index.state VALUES ('lookups_complete', 'true');

DELETE FROM stg_resolved_keys;

DELETE FROM stg_entity_scope
