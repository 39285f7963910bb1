-- Full-text search: BM25 over titles and texts, kept in tables that follow the published documents
-- incrementally (warehouse/search.py). Tokens are lower-cased, split on anything but a-z, а-я, ё
-- and digits, and stemmed with the fts extension's Russian Snowball stemmer; no stopwords.
-- Idempotent: safe to run on every connection.

-- One row per indexed document: what the index covers. doc_no keys this indexing of the document
-- (a reindexed document gets a new, higher number), so its postings sit together and deleting
-- them skips the rest of the table by zone maps. version_key is search_version_key(doc_id,
-- content_hash, title) of the published row that was indexed. No key constraint: the index code deletes before
-- it inserts, and a primary-key index would make every checkpoint rewrite it whole.
CREATE TABLE IF NOT EXISTS search_docs (
    doc_id       VARCHAR NOT NULL,
    doc_no       BIGINT NOT NULL,
    n_terms      INTEGER NOT NULL,    -- document length: tokens of title and text
    version_key  UBIGINT NOT NULL
);

-- What the index must match for a published document: its id, its text (by hash) and its title, in
-- one 64-bit key, so that comparing the index with documents joins integers.
CREATE OR REPLACE MACRO search_version_key(doc_id, content_hash, title) AS hash(doc_id, content_hash, coalesce(title, ''));

-- Term frequencies: one row per (document, stemmed term) of title + text.
CREATE TABLE IF NOT EXISTS search_postings (
    doc_no  BIGINT NOT NULL,
    term    VARCHAR NOT NULL,
    tf      INTEGER NOT NULL
);

-- The postings by document id (for comparisons: doc_no depends on the indexing history).
CREATE OR REPLACE VIEW v_search_postings AS
SELECT d.doc_id, p.term, p.tf
FROM search_postings AS p
JOIN search_docs AS d USING (doc_no);

-- Documents the index does not cover as published: not indexed, indexed with another text or title,
-- or indexed but no longer published. Freshness is what the index covers, whatever runs completed.
CREATE OR REPLACE VIEW v_search_stale AS
SELECT d.doc_id
FROM documents AS d
ANTI JOIN search_docs AS s ON s.version_key = search_version_key(d.doc_id, d.content_hash, d.title)
UNION
SELECT s.doc_id
FROM search_docs AS s
ANTI JOIN documents AS d ON search_version_key(d.doc_id, d.content_hash, d.title) = s.version_key;

-- The DuckDB fts index of earlier versions is replaced by the tables above.
DROP SCHEMA IF EXISTS fts_main_documents CASCADE;

-- The tokens of a text, exactly as the fts extension's tokenizer splits them (empty strings included).
CREATE OR REPLACE MACRO search_tokens(s) AS
    string_split_regex(regexp_replace(lower(CAST(s AS VARCHAR)), '(\.|[^a-zа-яё0-9])+', ' ', 'g'), '\s+');

-- search_bm25(query_text): doc_id and BM25 score (k1 = 1.2, b = 0.75) of every document matching a
-- query term, over the whole indexed corpus. The formula is the fts extension's match_bm25:
-- idf = log10((N - df + 0.5) / (df + 0.5) + 1), tf part = tf (k1 + 1) / (tf + k1 (1 - b + b len / avgdl)).
CREATE OR REPLACE MACRO search_bm25(query_text) AS TABLE
WITH query_terms AS (
    SELECT DISTINCT stem(unnest(search_tokens(query_text)), 'russian') AS term
),
corpus AS (
    SELECT count(*) AS n_docs, sum(n_terms) / count(n_terms) AS avgdl FROM search_docs
),
hits AS (
    SELECT p.doc_no, p.tf, count(*) OVER (PARTITION BY p.term) AS df
    FROM search_postings AS p
    WHERE p.term IN (SELECT term FROM query_terms)
)
SELECT d.doc_id,
       sum((log((((c.n_docs - h.df) + 0.5) / (h.df + 0.5)) + 1))
           * ((h.tf * (1.2 + 1)) / (h.tf + (1.2 * ((1 - 0.75) + (0.75 * (d.n_terms / c.avgdl))))))) AS score
FROM hits AS h
JOIN search_docs AS d USING (doc_no)
CROSS JOIN corpus AS c
GROUP BY d.doc_id;

-- search_documents(query_text, from_date, to_date, source_filter, language_filter, entity_filter):
-- BM25-ranked documents. NULL filters are ignored. Exists on an empty warehouse too (no rows).
CREATE OR REPLACE MACRO search_documents(query_text, from_date, to_date, source_filter, language_filter, entity_filter) AS TABLE
WITH matched AS (
    SELECT d.*, s.score
    FROM search_bm25(query_text) AS s
    JOIN documents AS d USING (doc_id)
),
entity_docs AS (
    SELECT DISTINCT m.doc_id
    FROM mentions AS m
    JOIN entities AS e USING (entity_id)
    WHERE entity_filter IS NOT NULL
      AND (lower(e.canonical_name) = lower(entity_filter) OR list_contains(list_transform(e.aliases, a -> lower(a)), lower(entity_filter)))
),
filtered AS (
    SELECT * FROM matched
    WHERE (from_date IS NULL OR published_at >= CAST(from_date AS TIMESTAMP))
      AND (to_date IS NULL OR published_at < CAST(to_date AS TIMESTAMP) + INTERVAL 1 DAY)
      AND (source_filter IS NULL OR lower(coalesce(source_name, '')) = lower(source_filter)
           OR lower(coalesce(source_domain, '')) = lower(source_filter) OR lower(coalesce(site_name, '')) = lower(source_filter))
      AND (language_filter IS NULL OR language = language_filter)
      AND (entity_filter IS NULL OR doc_id IN (SELECT doc_id FROM entity_docs))
)
SELECT doc_id, title, published_at, coalesce(source_name, site_name, source_domain) AS source,
       language, round(score, 4) AS score, text
FROM filtered
ORDER BY score DESC, doc_id;
