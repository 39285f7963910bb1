-- Audit frame of stg_places: a link has all of geonameid, name, feature and confidence or none of
-- them, and its entity is a LOC entity: restaged by the run, or published and left alone by it.
SELECT p.*,
       (p.geonameid IS NULL) = (p.confidence IS NULL)
           AND (p.geonameid IS NULL) = (p.feature IS NULL)
           AND (p.geonameid IS NULL) = (p.name IS NULL) AS link_complete,
       p.entity_id IN (SELECT entity_id FROM stg_entities WHERE type = 'LOC')
           OR p.entity_id IN (SELECT entity_id FROM entities WHERE type = 'LOC'
                              AND entity_id NOT IN (SELECT entity_id FROM stg_entity_scope)) AS entity_is_place
FROM stg_places AS p
