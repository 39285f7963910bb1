-- A window's published candidates as story clustering sees them, all but their signatures: the
-- documents named in the registered relation story_wanted(doc_id), with dates, entity ids (through
-- stg_key_map, the run's resolution) and story, in the temporary table story_window. Built once per
-- window, so that its chunks (dml/story_candidates.sql) read only these rows and the signatures,
-- instead of each scanning every published mention and document. seen_at is when the warehouse
-- first saw the document.
CREATE OR REPLACE TEMP TABLE story_window AS
WITH entity_lists AS (
    SELECT m.doc_id, list(DISTINCT coalesce(k.entity_id, m.entity_id) ORDER BY coalesce(k.entity_id, m.entity_id)) AS entity_ids
    FROM mentions AS m
    LEFT JOIN stg_key_map AS k USING (key)
    WHERE m.doc_id IN (SELECT doc_id FROM story_wanted)
    GROUP BY m.doc_id
)
SELECT d.doc_id, d.content_hash, d.published_at, r.started_at AS seen_at,
       coalesce(e.entity_ids, []::VARCHAR[]) AS entity_ids,
       sd.story_id
FROM story_wanted AS w
JOIN documents AS d USING (doc_id)
LEFT JOIN ingest_runs AS r ON r.run_id = d.first_seen_run
JOIN story_documents AS sd USING (doc_id)
LEFT JOIN entity_lists AS e USING (doc_id);
