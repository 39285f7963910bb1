-- After the run's assignments are in stg_story_documents (one row per staged document, is_first
-- false) and stg_near_duplicates: stage the full membership and the aggregates of every story the
-- run touches (joined, founded, or left by an updated document). Parameters: $run_id.
-- Run it after the document audit has removed quarantined rows from stg_documents.
DELETE FROM stg_story_documents WHERE doc_id NOT IN (SELECT doc_id FROM stg_documents);
DELETE FROM stg_near_duplicates WHERE doc_id NOT IN (SELECT doc_id FROM stg_documents);

-- Members that stay: published members of touched stories that this run does not restage.
INSERT INTO stg_story_documents
SELECT p.* FROM story_documents AS p
WHERE p.doc_id NOT IN (SELECT doc_id FROM stg_documents)
  AND p.story_id IN (
      SELECT story_id FROM stg_story_documents
      UNION SELECT story_id FROM story_documents WHERE doc_id IN (SELECT doc_id FROM stg_documents));

-- Who reported first: the earliest published document of each touched story (undated last).
UPDATE stg_story_documents SET is_first = ranked.rn = 1
FROM (
    SELECT m.doc_id, row_number() OVER (PARTITION BY m.story_id ORDER BY d.published_at NULLS LAST, m.doc_id) AS rn
    FROM stg_story_documents AS m
    JOIN (SELECT doc_id, published_at FROM stg_documents
          UNION ALL SELECT doc_id, published_at FROM documents
          WHERE doc_id IN (SELECT doc_id FROM stg_story_documents)
            AND doc_id NOT IN (SELECT doc_id FROM stg_documents)) AS d USING (doc_id)
) AS ranked
WHERE stg_story_documents.doc_id = ranked.doc_id;

DELETE FROM stg_stories;

-- Only the touched stories' published documents and mentions are read (not aggregated whole).
INSERT INTO stg_stories
WITH members AS (
    SELECT DISTINCT doc_id FROM stg_story_documents
    WHERE doc_id NOT IN (SELECT doc_id FROM stg_documents)
),
docs AS (
    SELECT doc_id, published_at, content_hash, coalesce(source_name, site_name, source_domain) AS source
    FROM stg_documents
    UNION ALL
    SELECT doc_id, published_at, content_hash, coalesce(source_name, site_name, source_domain)
    FROM documents SEMI JOIN members USING (doc_id)
),
entity_docs AS (
    SELECT DISTINCT m.doc_id, k.entity_id FROM stg_mentions AS m JOIN stg_key_map AS k USING (key)
    UNION
    SELECT DISTINCT m.doc_id, coalesce(k.entity_id, m.entity_id)
    FROM mentions AS m SEMI JOIN members USING (doc_id)
    LEFT JOIN stg_key_map AS k USING (key)
),
ranked_entities AS (
    SELECT sd.story_id, e.entity_id, count(*) AS n_docs
    FROM stg_story_documents AS sd JOIN entity_docs AS e USING (doc_id)
    GROUP BY sd.story_id, e.entity_id
    QUALIFY row_number() OVER (PARTITION BY sd.story_id ORDER BY count(*) DESC, e.entity_id) <= 5
),
top AS (
    SELECT story_id, list(entity_id ORDER BY n_docs DESC, entity_id) AS top_entities
    FROM ranked_entities GROUP BY story_id
),
founders AS (
    -- the founder fixes the id: story_id = sha256('story' US doc_id US content_hash)[:16]
    SELECT story_id, founder_doc_id, created_run FROM stories
    UNION ALL
    SELECT sd.story_id, sd.doc_id, $run_id
    FROM stg_story_documents AS sd JOIN stg_documents AS s USING (doc_id)
    WHERE sd.story_id = left(sha256('story' || chr(31) || s.doc_id || chr(31) || s.content_hash), 16)
      AND sd.story_id NOT IN (SELECT story_id FROM stories)
)
SELECT sd.story_id,
       coalesce(any_value(f.founder_doc_id), min(sd.doc_id)) AS founder_doc_id,
       arg_max(sd.doc_id, sd.is_first::INTEGER) AS first_doc_id,
       min(d.published_at) AS first_published_at,
       max(d.published_at) AS last_published_at,
       count(*) AS n_docs,
       count(DISTINCT d.source) AS n_sources,
       coalesce(any_value(t.top_entities), []::VARCHAR[]) AS top_entities,
       coalesce(any_value(f.created_run), $run_id) AS created_run,
       $run_id AS updated_run
FROM stg_story_documents AS sd
JOIN docs AS d USING (doc_id)
LEFT JOIN top AS t USING (story_id)
LEFT JOIN founders AS f USING (story_id)
GROUP BY sd.story_id;
