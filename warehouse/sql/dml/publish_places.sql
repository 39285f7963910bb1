-- Publish the run's place links (after publish_entities, in the same transaction): drop the links
-- of entities that are gone, replace the links staged again, add the new ones.
DELETE FROM places WHERE entity_id NOT IN (SELECT entity_id FROM entities WHERE type = 'LOC');

DELETE FROM places USING stg_places AS s WHERE places.entity_id = s.entity_id;

INSERT INTO places BY NAME SELECT * FROM stg_places;
