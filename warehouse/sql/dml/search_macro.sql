-- search_documents(query_text, from_date, to_date, source_filter, language_filter, entity_filter): BM25-ranked documents.
-- Created after each index rebuild (it calls the index's match_bm25). NULL filters are ignored.
CREATE OR REPLACE MACRO search_documents(query_text, from_date, to_date, source_filter, language_filter, entity_filter) AS TABLE
WITH scored AS (
    SELECT d.*, fts_main_documents.match_bm25(d.doc_id, query_text) AS score
    FROM documents AS d
),
matched AS (
    SELECT * FROM scored WHERE score IS NOT NULL
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
