-- The public SQL API: views and table macros users query. The physical tables behind them may
-- change; these names and columns are kept stable (see README, "SQL API").

-- Published documents without the raw-input bookkeeping.
CREATE OR REPLACE VIEW v_documents AS
SELECT
    doc_id, source_id, url, source_domain, coalesce(source_name, site_name, source_domain) AS source,
    title, author, published_at, published_at_evidence, language, n_chars, n_words, text,
    version, first_seen_run, last_seen_run
FROM documents;

-- Runs with the count identity checked (order by started_at for the newest first).
CREATE OR REPLACE VIEW v_runs AS
SELECT
    run_id, flow_run_id, status, started_at, finished_at, inputs,
    n_seen, n_new, n_unchanged, n_updated, n_duplicate, n_quarantined,
    n_seen = n_new + n_unchanged + n_updated + n_duplicate + n_quarantined AS counts_balance,
    validation_success, validation_warnings, docs_index, message,
    n_files, n_skipped, n_skipped_symlinks, n_skipped_records, skipped_records, n_not_analysed, strict
FROM ingest_runs;

-- What was rejected, and why (bytes left out: an input's are in raw_inputs under raw_hash, a
-- failed record's JSON in quarantine.raw).
CREATE OR REPLACE VIEW v_quarantine AS
SELECT q.quarantine_id, q.record_table, q.source_uri, q.source_id, q.doc_id, q.reason_code, q.message,
       coalesce(octet_length(q.raw), r.n_bytes) AS n_bytes, q.first_run_id, q.last_run_id, q.quarantined_at,
       q.raw_hash
FROM quarantine AS q
LEFT JOIN raw_inputs AS r USING (raw_hash);

-- Every mention with its entity and document.
CREATE OR REPLACE VIEW v_entity_mentions AS
SELECT
    e.entity_id, e.type, e.canonical_name,
    m.doc_id, d.title, d.published_at,
    m.surface, m.normal, m.char_start, m.char_end, m.sentence_no
FROM mentions AS m
JOIN entities AS e USING (entity_id)
JOIN documents AS d USING (doc_id);

-- Entities with their aliases and how widely they are mentioned.
CREATE OR REPLACE VIEW v_entities AS
SELECT entity_id, type, canonical_name, aliases, n_docs, n_mentions, first_seen_date, last_seen_date
FROM entities;

-- entity_mentions(name): the mentions of the entity whose canonical name or alias is `name`.
CREATE OR REPLACE MACRO entity_mentions(entity_name) AS TABLE
WITH wanted AS (
    SELECT entity_id FROM entities
    WHERE lower(canonical_name) = lower(entity_name)
       OR list_contains(list_transform(aliases, a -> lower(a)), lower(entity_name))
)
SELECT v.* FROM v_entity_mentions AS v
WHERE v.entity_id IN (SELECT entity_id FROM wanted)
ORDER BY v.published_at NULLS LAST, v.doc_id, v.char_start;

-- document_entities(doc): the entities of one document, most mentioned first.
CREATE OR REPLACE MACRO document_entities(doc) AS TABLE
SELECT e.entity_id, e.type, e.canonical_name, count(*) AS n_mentions,
       min(m.char_start) AS first_offset, list_distinct(list(m.surface)) AS surfaces
FROM mentions AS m
JOIN entities AS e USING (entity_id)
WHERE m.doc_id = doc
GROUP BY e.entity_id, e.type, e.canonical_name
ORDER BY n_mentions DESC, first_offset;

-- top_entities(from_date, to_date, entity_type, n): entities in the most documents published in
-- [from_date, to_date]; NULL bounds or type mean "any".
CREATE OR REPLACE MACRO top_entities(from_date, to_date, entity_type, n) AS TABLE
WITH in_range AS (
    SELECT doc_id FROM documents
    WHERE (from_date IS NULL OR published_at >= CAST(from_date AS TIMESTAMP))
      AND (to_date IS NULL OR published_at < CAST(to_date AS TIMESTAMP) + INTERVAL 1 DAY)
      AND (published_at IS NOT NULL OR (from_date IS NULL AND to_date IS NULL))
),
counted AS (
    SELECT m.entity_id, count(DISTINCT m.doc_id) AS n_docs, count(*) AS n_mentions
    FROM mentions AS m
    WHERE m.doc_id IN (SELECT doc_id FROM in_range)
    GROUP BY m.entity_id
)
SELECT e.entity_id, e.type, e.canonical_name, c.n_docs, c.n_mentions
FROM counted AS c
JOIN entities AS e USING (entity_id)
WHERE entity_type IS NULL OR e.type = entity_type
ORDER BY c.n_docs DESC, c.n_mentions DESC, e.canonical_name
LIMIT n;
