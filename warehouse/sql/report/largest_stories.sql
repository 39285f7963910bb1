-- The ids of the largest stories (most documents, then the latest), for report/stories.sql.
SELECT story_id
FROM stories
ORDER BY n_docs DESC, last_published_at DESC NULLS LAST, story_id
LIMIT $limit;
