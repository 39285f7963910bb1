-- Entities: mentions in documents, the entities they resolve to, acronym definitions.

CREATE TABLE IF NOT EXISTS mentions (
    doc_id             VARCHAR NOT NULL,
    char_start         INTEGER NOT NULL,
    char_end           INTEGER NOT NULL,
    type               VARCHAR NOT NULL,
    surface            VARCHAR NOT NULL,
    normal             VARCHAR NOT NULL,
    sentence_no        INTEGER NOT NULL,
    key                VARCHAR NOT NULL,      -- resolution key before corpus-level aliasing
    entity_id          VARCHAR NOT NULL,
    extractor_version  VARCHAR NOT NULL   -- key: (doc_id, char_start, char_end, type); no constraint (001_core.sql)
);

CREATE TABLE IF NOT EXISTS acronyms (
    doc_id             VARCHAR NOT NULL,
    short_form         VARCHAR NOT NULL,
    long_form          VARCHAR NOT NULL,
    long_normal        VARCHAR NOT NULL,
    key                VARCHAR NOT NULL,      -- resolution key of the long form
    entity_id          VARCHAR NOT NULL,
    short_start        INTEGER NOT NULL,
    short_end          INTEGER NOT NULL,
    long_start         INTEGER NOT NULL,
    long_end           INTEGER NOT NULL,
    extractor_version  VARCHAR NOT NULL   -- key: (doc_id, short_start)
);

-- Corpus-level resolution: an alias key (acronym, initials, bare surname) -> canonical key.
CREATE TABLE IF NOT EXISTS entity_aliases (
    alias_key      VARCHAR PRIMARY KEY,
    canonical_key  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    entity_id        VARCHAR PRIMARY KEY,
    type             VARCHAR NOT NULL,
    canonical_key    VARCHAR NOT NULL,
    canonical_name   VARCHAR NOT NULL,
    aliases          VARCHAR[] NOT NULL,
    n_docs           INTEGER NOT NULL,
    n_mentions       INTEGER NOT NULL,
    first_seen_date  TIMESTAMP,
    last_seen_date   TIMESTAMP
);

CREATE TABLE IF NOT EXISTS stg_mentions AS SELECT * FROM mentions WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_acronyms AS SELECT * FROM acronyms WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_entities AS SELECT * FROM entities WITH NO DATA;

-- Every acronym definition as the warehouse will hold it after the staged run publishes: the
-- published ones of the documents the run does not replace, and the staged ones.
CREATE OR REPLACE VIEW stg_live_acronyms AS
SELECT short_form, long_form, long_normal, key, short_start, short_end, long_start, long_end
FROM acronyms
WHERE doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
UNION ALL
SELECT short_form, long_form, long_normal, key, short_start, short_end, long_start, long_end
FROM stg_acronyms;

-- Resolution staged for the run: every live mention key -> its entity.
CREATE TABLE IF NOT EXISTS stg_key_map (
    key            VARCHAR PRIMARY KEY,
    canonical_key  VARCHAR NOT NULL,
    entity_id      VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS stg_entity_aliases AS SELECT * FROM entity_aliases WITH NO DATA;

-- Incremental resolution reads the mentions of the documents a run replaces and of some keys by a
-- scan of mentions, not an index (an index is rewritten whole at every checkpoint: 001_core.sql).

-- Incremental resolution (warehouse/entities.py) stages a delta: the keys it re-resolved (publish
-- replaces their rows of entity_keys and entity_aliases with stg_key_map and stg_entity_aliases;
-- `touched`: the run adds or removes mentions or definitions of the key, so publish also replaces
-- its name counts with stg_key_normals; `repoint`: its published mentions and acronyms change
-- entity) and the entities it recomputed (publish replaces them with stg_entities, which holds
-- those of them that still have a mention; `full_recompute`: from every mention of its keys, else
-- from the published row and the run's changes).
-- (No primary keys: each is filled once per resolution with distinct rows, and emptying a table
-- with an index costs an index delete per row.)
CREATE TABLE IF NOT EXISTS stg_resolved_keys (
    key      VARCHAR NOT NULL,
    touched  BOOLEAN NOT NULL,
    repoint  BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS stg_entity_scope (
    entity_id       VARCHAR NOT NULL,
    full_recompute  BOOLEAN NOT NULL
);

-- What a run needs to find and recompute what its changes affect without reading the corpus.
-- Internal: the schema is not part of the published warehouse (and is not exported).
CREATE SCHEMA IF NOT EXISTS entity_index;
-- Every person key with its surname (resolve.parse_person_key); a pure function of the key, so a
-- row of a key no longer live is harmless.
CREATE TABLE IF NOT EXISTS entity_index.person_surnames (
    key      VARCHAR PRIMARY KEY,
    surname  VARCHAR NOT NULL
);
-- Every acronym short form with its key ("ОДКБ" -> "ORG:одкб"); a pure function of the form.
CREATE TABLE IF NOT EXISTS entity_index.acronym_shorts (
    short_form  VARCHAR PRIMARY KEY,
    short_key   VARCHAR NOT NULL
);
-- How many published mentions carry each key with each normal form (kept in step with mentions
-- at publish): the canonical names and aliases of an entity come from its keys' rows.
CREATE TABLE IF NOT EXISTS entity_index.key_normals (
    key     VARCHAR NOT NULL,
    normal  VARCHAR NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (key, normal)
);
CREATE TABLE IF NOT EXISTS stg_key_normals AS SELECT * FROM entity_index.key_normals WITH NO DATA;
-- 'lookups_complete' once the tables above cover every published key (set at publish);
-- 'last_resolution': what the latest resolution did (JSON).
CREATE TABLE IF NOT EXISTS entity_index.state (
    name   VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
