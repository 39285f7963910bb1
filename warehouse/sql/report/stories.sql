-- The largest stories ($story_ids, from largest_stories.sql), largest first. A constant list, so
-- the filter reaches v_stories' lateral joins and only these stories' documents are read.
SELECT *
FROM v_stories
WHERE list_contains($story_ids, story_id)
ORDER BY n_docs DESC, last_published_at DESC NULLS LAST, story_id;
