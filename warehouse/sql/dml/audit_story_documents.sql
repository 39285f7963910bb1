-- Audit frame of stg_story_documents: every member's story is staged; one first report per story.
SELECT m.*, m.story_id IN (SELECT story_id FROM stg_stories) AS story_exists,
       count(*) FILTER (WHERE m.is_first) OVER (PARTITION BY m.story_id) = 1 AS one_first_per_story
FROM stg_story_documents AS m
