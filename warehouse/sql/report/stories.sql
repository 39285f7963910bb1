-- Stories (clusters of documents), when the warehouse has them: any columns v_stories gives.
SELECT * FROM v_stories LIMIT $limit;
