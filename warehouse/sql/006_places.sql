-- Places: LOC entities linked offline to GeoNames (extractors/places). One row per LOC entity the
-- linker has seen; an unlinked place keeps its row with geonameid, name, feature, country_code,
-- coordinates, population and confidence all NULL, so it is not linked again until its basis changes.

CREATE TABLE IF NOT EXISTS places (
    entity_id       VARCHAR PRIMARY KEY,
    geonameid       BIGINT,                -- GeoNames id; NULL when not linked
    name            VARCHAR,               -- the GeoNames name (English), e.g. 'Moscow'
    country_code    VARCHAR,               -- ISO 3166 alpha-2; NULL for continents
    latitude        DOUBLE,                -- a country is located at its capital
    longitude       DOUBLE,
    feature         VARCHAR,               -- 'country', 'city', 'continent'
    population      BIGINT,
    confidence      DOUBLE,                -- in [0, 1]; NULL when not linked
    linker_version  VARCHAR NOT NULL,      -- linker and gazetteer version of the link
    link_basis      VARCHAR NOT NULL       -- fingerprint of name, aliases and context countries
);

CREATE TABLE IF NOT EXISTS stg_places AS SELECT * FROM places WITH NO DATA;
