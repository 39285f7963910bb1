-- Publish the run's entity resolution as a delta (run after the record tables are published, in
-- the same transaction). Staged mentions and acronyms already carry their entity ids; published
-- ones change only when their key moved to another entity (repoint). Then the recomputed
-- entities, the re-resolved keys' rows of entity_keys and entity_aliases, and the touched keys'
-- name counts are replaced; everything else stays as published.
UPDATE mentions SET entity_id = k.entity_id
FROM (SELECT n.key, n.entity_id FROM stg_key_map AS n JOIN stg_resolved_keys AS r USING (key) WHERE r.repoint) AS k
WHERE mentions.key = k.key AND mentions.entity_id <> k.entity_id;

UPDATE acronyms SET entity_id = k.entity_id
FROM (SELECT n.key, n.entity_id FROM stg_key_map AS n JOIN stg_resolved_keys AS r USING (key) WHERE r.repoint) AS k
WHERE acronyms.key = k.key AND acronyms.entity_id <> k.entity_id;

DELETE FROM entities WHERE entity_id IN (SELECT entity_id FROM stg_entity_scope);

INSERT INTO entities BY NAME SELECT * FROM stg_entities;

DELETE FROM entity_aliases WHERE alias_key IN (SELECT key FROM stg_resolved_keys);

INSERT INTO entity_aliases BY NAME SELECT * FROM stg_entity_aliases;

DELETE FROM entity_keys WHERE key IN (SELECT key FROM stg_resolved_keys);

INSERT INTO entity_keys BY NAME SELECT * FROM stg_key_map;

DELETE FROM entity_index.key_normals WHERE key IN (SELECT key FROM stg_resolved_keys WHERE touched);

INSERT INTO entity_index.key_normals BY NAME SELECT * FROM stg_key_normals;

-- From now on the lookups cover every published key: later runs resolve a delta.
INSERT OR REPLACE INTO entity_index.state VALUES ('lookups_complete', 'true');

DELETE FROM stg_resolved_keys;

DELETE FROM stg_entity_scope;

DELETE FROM stg_key_normals
