-- The latest stories (newest last publication first) with their sizes and sources, for
-- `newsetl stories`. A story is in range when any of its documents is published in
-- [$date_from, $date_to]; $entity (canonical name or alias) keeps stories with a document that
-- mentions it. NULL parameters are ignored.
WITH wanted_entity AS (
    SELECT entity_id FROM entities
    WHERE lower(canonical_name) = lower($entity)
       OR list_contains(list_transform(aliases, a -> lower(a)), lower($entity))
),
in_range AS (
    SELECT DISTINCT sd.story_id
    FROM story_documents AS sd
    JOIN documents AS d USING (doc_id)
    WHERE ($date_from IS NULL OR d.published_at >= CAST($date_from AS TIMESTAMP))
      AND ($date_to IS NULL OR d.published_at < CAST($date_to AS TIMESTAMP) + INTERVAL 1 DAY)
      AND (d.published_at IS NOT NULL OR ($date_from IS NULL AND $date_to IS NULL))
      AND ($entity IS NULL OR sd.doc_id IN (
          SELECT m.doc_id FROM mentions AS m WHERE m.entity_id IN (SELECT entity_id FROM wanted_entity)))
)
SELECT v.story_id, v.title, v.n_docs, v.n_sources, v.sources, v.first_published_at, v.last_published_at,
       v.top_entities
FROM v_stories AS v
WHERE v.story_id IN (SELECT story_id FROM in_range)
ORDER BY v.last_published_at DESC NULLS LAST, v.n_docs DESC, v.story_id
LIMIT $limit;
