-- Candidates for the run's staged documents: published documents that share an LSH band key with
-- one of them (near-duplicates, any date), or share at least $min_shared entities with one of them
-- within $window_days of its event time (rewrites of the same event; at most $max_entity_candidates
-- per staged document, the most shared first). Documents the run restages (updates) are left out:
-- their new version is a new document. Entity ids go through stg_key_map, the run's resolution.
-- Parameters: $run_id, $stories_version, $window_days, $min_shared, $max_entity_candidates.
WITH run_start AS (
    SELECT started_at FROM ingest_runs WHERE run_id = $run_id
),
published AS (
    SELECT d.doc_id, d.content_hash, d.published_at,
           coalesce(d.published_at, r.started_at) AS event_time, r.started_at AS seen_at
    FROM documents AS d
    LEFT JOIN ingest_runs AS r ON r.run_id = d.first_seen_run
    WHERE d.doc_id NOT IN (SELECT doc_id FROM stg_documents)
),
staged AS (
    SELECT s.doc_id, coalesce(s.published_at, d.seen_at, (SELECT started_at FROM run_start)) AS event_time
    FROM stg_documents AS s
    LEFT JOIN published AS d USING (doc_id)
),
staged_entities AS (
    SELECT DISTINCT m.doc_id, k.entity_id
    FROM stg_mentions AS m JOIN stg_key_map AS k USING (key)
),
published_entities AS (
    SELECT DISTINCT m.doc_id, coalesce(k.entity_id, m.entity_id) AS entity_id
    FROM mentions AS m LEFT JOIN stg_key_map AS k USING (key)
),
by_band AS (
    SELECT DISTINCT p.doc_id
    FROM stg_doc_bands AS s
    JOIN doc_bands AS p USING (band_key)
),
by_entity AS (
    SELECT doc_id FROM (
        SELECT s.doc_id AS new_doc, p.doc_id, count(*) AS n_shared
        FROM staged_entities AS s
        JOIN published_entities AS p USING (entity_id)
        JOIN staged AS sd ON sd.doc_id = s.doc_id
        JOIN published AS pd ON pd.doc_id = p.doc_id
        WHERE abs(epoch(sd.event_time) - epoch(pd.event_time)) <= $window_days * 86400
        GROUP BY s.doc_id, p.doc_id
        HAVING count(*) >= $min_shared
        QUALIFY row_number() OVER (PARTITION BY new_doc ORDER BY n_shared DESC, p.doc_id) <= $max_entity_candidates
    )
),
wanted AS (
    SELECT doc_id FROM by_band UNION SELECT doc_id FROM by_entity
)
SELECT p.doc_id, p.content_hash, p.published_at, p.seen_at,
       g.signature, g.word_signature, g.n_shingles,
       coalesce((SELECT list(e.entity_id ORDER BY e.entity_id) FROM published_entities AS e WHERE e.doc_id = p.doc_id),
                []::VARCHAR[]) AS entity_ids,
       sd.story_id
FROM wanted AS w
JOIN published AS p USING (doc_id)
JOIN doc_signatures AS g USING (doc_id)
JOIN story_documents AS sd USING (doc_id)
WHERE g.stories_version = $stories_version
ORDER BY p.doc_id;
