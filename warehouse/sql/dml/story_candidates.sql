-- Published candidates as story clustering sees them: the documents named in the registered
-- relation story_wanted(doc_id), with signature, dates, entity ids (through stg_key_map, the run's
-- resolution) and story. seen_at is when the warehouse first saw the document.
WITH entity_lists AS (
    SELECT m.doc_id, list(DISTINCT coalesce(k.entity_id, m.entity_id) ORDER BY coalesce(k.entity_id, m.entity_id)) AS entity_ids
    FROM mentions AS m
    LEFT JOIN stg_key_map AS k USING (key)
    WHERE m.doc_id IN (SELECT doc_id FROM story_wanted)
    GROUP BY m.doc_id
)
SELECT d.doc_id, d.content_hash, d.published_at, r.started_at AS seen_at,
       g.signature, g.word_signature, g.n_shingles,
       coalesce(e.entity_ids, []::VARCHAR[]) AS entity_ids,
       sd.story_id
FROM story_wanted AS w
JOIN documents AS d USING (doc_id)
LEFT JOIN ingest_runs AS r ON r.run_id = d.first_seen_run
JOIN doc_signatures AS g USING (doc_id)
JOIN story_documents AS sd USING (doc_id)
LEFT JOIN entity_lists AS e USING (doc_id)
ORDER BY d.doc_id;
