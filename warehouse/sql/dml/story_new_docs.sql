-- The run's staged documents as story clustering sees them: signature, dates, entity ids.
-- seen_at is when the warehouse first saw the document (for an update, its first run), used as
-- the event time of an undated document. Parameters: $run_id.
SELECT s.doc_id, s.content_hash, s.published_at,
       coalesce(first_run.started_at, this_run.started_at) AS seen_at,
       g.signature, g.word_signature, g.n_shingles,
       coalesce((SELECT list(DISTINCT k.entity_id ORDER BY k.entity_id)
                 FROM stg_mentions AS m JOIN stg_key_map AS k USING (key)
                 WHERE m.doc_id = s.doc_id), []::VARCHAR[]) AS entity_ids
FROM stg_documents AS s
JOIN stg_doc_signatures AS g USING (doc_id)
LEFT JOIN documents AS d USING (doc_id)
LEFT JOIN ingest_runs AS first_run ON first_run.run_id = d.first_seen_run
LEFT JOIN ingest_runs AS this_run ON this_run.run_id = $run_id
ORDER BY s.doc_id;
