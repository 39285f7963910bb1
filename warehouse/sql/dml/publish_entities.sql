-- Publish the run's entity resolution: re-point every mention, replace entities and aliases.
UPDATE mentions SET entity_id = k.entity_id
FROM stg_key_map AS k
WHERE mentions.key = k.key AND mentions.entity_id <> k.entity_id;

UPDATE acronyms SET entity_id = k.entity_id
FROM stg_key_map AS k
WHERE acronyms.key = k.key AND acronyms.entity_id <> k.entity_id;

DELETE FROM entities;

INSERT INTO entities BY NAME SELECT * FROM stg_entities;

DELETE FROM entity_aliases;

INSERT INTO entity_aliases BY NAME SELECT * FROM stg_entity_aliases;

DELETE FROM entity_keys;

INSERT INTO entity_keys BY NAME SELECT * FROM stg_key_map;
