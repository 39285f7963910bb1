-- The stories API: one row per story, its documents, and the documents of one story.
-- Stable names and columns (README, "SQL API"); the tables behind them are in 004_stories.sql.

-- One row per story: the first report's title, size, sources, time span and top entities.
-- Sources and entity names are lateral joins on the story, so a filter on story_id (the report's
-- largest stories) reads only those stories' documents instead of aggregating every story.
CREATE OR REPLACE VIEW v_stories AS
SELECT s.story_id, d.title, s.n_docs, src.sources, s.n_sources,
       s.first_published_at, s.last_published_at,
       en.top_entities, s.top_entities AS top_entity_ids,
       s.first_doc_id
FROM stories AS s
LEFT JOIN documents AS d ON d.doc_id = s.first_doc_id
LEFT JOIN LATERAL (
    SELECT coalesce(list(DISTINCT m.source ORDER BY m.source) FILTER (WHERE m.source IS NOT NULL),
                    []::VARCHAR[]) AS sources
    FROM story_documents AS sd
    JOIN (SELECT doc_id, coalesce(source_name, site_name, source_domain) AS source FROM documents) AS m USING (doc_id)
    WHERE sd.story_id = s.story_id
) AS src ON true
LEFT JOIN LATERAL (
    SELECT coalesce(list(e.canonical_name ORDER BY t.rank), []::VARCHAR[]) AS top_entities
    FROM unnest(s.top_entities) WITH ORDINALITY AS t(entity_id, rank)
    JOIN entities AS e ON e.entity_id = t.entity_id
) AS en ON true;

-- Every document of every story, with the document it is a near-duplicate of.
CREATE OR REPLACE VIEW v_story_documents AS
SELECT sd.story_id, sd.doc_id, d.title, coalesce(d.source_name, d.site_name, d.source_domain) AS source,
       d.published_at, sd.similarity, sd.is_first,
       nd.near_duplicate_of, nd.similarity AS near_duplicate_similarity
FROM story_documents AS sd
JOIN documents AS d USING (doc_id)
LEFT JOIN near_duplicates AS nd USING (doc_id);

-- story_documents(story): the documents of one story, the first report first.
CREATE OR REPLACE MACRO story_documents(story) AS TABLE
SELECT * FROM v_story_documents
WHERE story_id = story
ORDER BY is_first DESC, published_at NULLS LAST, doc_id;
