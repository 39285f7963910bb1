-- Near-duplicates and stories: MinHash signatures, LSH band keys, and the story clusters.
-- Signatures and band keys are computed per document in the worker (extractors/stories); a new
-- document finds its candidates with an equality join on band_key (dml/story_candidate_pairs.sql), so
-- nothing is recomputed over the corpus. stories_version names the signature parameters: rows of
-- another version are not comparable and are recomputed when the document is reprocessed.
-- No table here has a key constraint or index (see 001_core.sql): the keys, in comments, hold
-- because publish replaces the rows of the documents and stories a run touches, and the audit
-- checks the staged keys.

CREATE TABLE IF NOT EXISTS doc_signatures (
    doc_id           VARCHAR NOT NULL,        -- key
    signature        UINTEGER[] NOT NULL,     -- MinHash of the word shingles (empty: no words)
    word_signature   UINTEGER[] NOT NULL,     -- MinHash of the word stems
    n_shingles       INTEGER NOT NULL,
    n_words          INTEGER NOT NULL,
    stories_version  VARCHAR NOT NULL
);

-- One row per (LSH band key, document); band keys already carry their band number. ~85 rows per
-- document, so no key or index: DuckDB holds an index whole in memory whenever rows are added, and
-- at 5k documents the primary key alone cost ~100 MB in every publish (growing with the corpus).
-- (band_key, doc_id) stays unique by construction: the audit checks the staged rows, and publish
-- deletes a document's old rows before it inserts the new ones. Lookups by band key are hash joins
-- against the run's few staged keys. A warehouse created before keeps its key and index.
CREATE TABLE IF NOT EXISTS doc_bands (
    band_key  BIGINT NOT NULL,
    doc_id    VARCHAR NOT NULL
);

-- A near-duplicate is information, not a rejection: both documents stay published.
CREATE TABLE IF NOT EXISTS near_duplicates (
    doc_id             VARCHAR NOT NULL,     -- key
    near_duplicate_of  VARCHAR NOT NULL,
    similarity         DOUBLE NOT NULL,      -- estimated Jaccard, or containment for a shortened copy
    run_id             VARCHAR NOT NULL,
    stories_version    VARCHAR NOT NULL
);

-- One row per story; the aggregates are recomputed at publish for the stories a run touched.
CREATE TABLE IF NOT EXISTS stories (
    story_id            VARCHAR NOT NULL,     -- key: hash of the founding document's doc_id and content hash
    founder_doc_id      VARCHAR NOT NULL,     -- the document that founded it (fixes the id)
    first_doc_id        VARCHAR NOT NULL,     -- the earliest published document: who reported first
    first_published_at  TIMESTAMP,
    last_published_at   TIMESTAMP,
    n_docs              INTEGER NOT NULL,
    n_sources           INTEGER NOT NULL,
    top_entities        VARCHAR[] NOT NULL,   -- entity ids in most of the story's documents
    created_run         VARCHAR NOT NULL,
    updated_run         VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS story_documents (
    story_id    VARCHAR NOT NULL,
    doc_id      VARCHAR NOT NULL,             -- key: a document is in exactly one story
    similarity  DOUBLE NOT NULL,              -- to the story's best-matching document; 1.0 for its founder
    is_first    BOOLEAN NOT NULL,             -- the story's earliest published document
    run_id      VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS stg_doc_signatures AS SELECT * FROM doc_signatures WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_doc_bands AS SELECT * FROM doc_bands WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_near_duplicates AS SELECT * FROM near_duplicates WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_stories AS SELECT * FROM stories WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_story_documents AS SELECT * FROM story_documents WITH NO DATA;
