-- The places API: one row per LOC entity with its GeoNames link (NULLs when it is not linked).
-- Stable names and columns (README, "SQL API"); the table behind it is in 006_places.sql.

CREATE OR REPLACE VIEW v_places AS
SELECT e.entity_id, e.canonical_name, e.n_docs,
       p.geonameid, p.country_code, p.latitude, p.longitude, p.confidence,
       p.feature, p.name AS geoname
FROM entities AS e
LEFT JOIN places AS p USING (entity_id)
WHERE e.type = 'LOC';
