-- Which published documents each of the run's staged documents is compared with: those sharing an
-- LSH band key with it (near-duplicates, any date; at most $max_band_candidates per staged document,
-- the most shared keys first, then by doc_id), and those sharing at least $min_shared entities
-- with it within $window_days of its event time (rewrites of the same event; at most
-- $max_entity_candidates per staged document, the most shared first, then by doc_id). Documents the
-- run restages (updates) are left out: their new version is a new document. Entity ids go through
-- stg_key_map, the run's resolution. One row per (staged document, candidate).
-- The entity path joins on (entity, day): each staged entity is spread over the day buckets its
-- window reaches, so the join yields only pairs inside the window (not every document that ever
-- named a common entity) before the exact test. Only the mentions of published documents dated
-- on one of those days enter it, and they stream through (the run's side is the one held in
-- memory), so memory does not grow with the warehouse.
-- Parameters: $run_id, $stories_version, $window_days, $min_shared, $max_entity_candidates,
-- $max_band_candidates.
WITH run_start AS (
    SELECT started_at FROM ingest_runs WHERE run_id = $run_id
),
published AS (
    -- the comparable published documents: not restaged, in a story, with a current signature
    SELECT d.doc_id, coalesce(d.published_at, r.started_at) AS event_time
    FROM documents AS d
    LEFT JOIN ingest_runs AS r ON r.run_id = d.first_seen_run
    SEMI JOIN story_documents AS sd USING (doc_id)
    SEMI JOIN (SELECT doc_id FROM doc_signatures WHERE stories_version = $stories_version) AS g USING (doc_id)
    WHERE d.doc_id NOT IN (SELECT doc_id FROM stg_documents)
),
staged AS (
    SELECT s.doc_id, coalesce(s.published_at, r.started_at, (SELECT started_at FROM run_start)) AS event_time
    FROM stg_documents AS s
    LEFT JOIN documents AS d USING (doc_id)
    LEFT JOIN ingest_runs AS r ON r.run_id = d.first_seen_run
),
staged_entity_days AS (
    SELECT DISTINCT m.doc_id, k.entity_id, s.event_time,
           CAST(floor(epoch(s.event_time) / 86400) AS BIGINT) + r.shift AS day
    FROM stg_mentions AS m
    JOIN stg_key_map AS k USING (key)
    JOIN staged AS s USING (doc_id)
    CROSS JOIN range(-CAST(ceil($window_days) AS BIGINT), CAST(ceil($window_days) AS BIGINT) + 1) AS r(shift)
),
window_docs AS (
    -- the published documents on a day some staged document's window reaches
    SELECT doc_id, event_time, CAST(floor(epoch(event_time) / 86400) AS BIGINT) AS day
    FROM published
    WHERE CAST(floor(epoch(event_time) / 86400) AS BIGINT) IN (SELECT day FROM staged_entity_days)
),
published_mentions AS (
    SELECT m.doc_id, coalesce(k.entity_id, m.entity_id) AS entity_id
    FROM mentions AS m
    SEMI JOIN window_docs USING (doc_id)
    LEFT JOIN stg_key_map AS k USING (key)
),
by_band AS (
    SELECT new_doc, doc_id FROM (
        SELECT s.doc_id AS new_doc, p.doc_id, count(*) AS n_bands
        FROM stg_doc_bands AS s
        JOIN doc_bands AS p USING (band_key)
        SEMI JOIN published AS c ON c.doc_id = p.doc_id
        GROUP BY s.doc_id, p.doc_id
        QUALIFY row_number() OVER (PARTITION BY new_doc ORDER BY n_bands DESC, p.doc_id) <= $max_band_candidates
    )
),
by_entity AS (
    SELECT new_doc, doc_id FROM (
        SELECT s.doc_id AS new_doc, m.doc_id, count(DISTINCT m.entity_id) AS n_shared
        FROM published_mentions AS m
        JOIN window_docs AS p USING (doc_id)
        JOIN staged_entity_days AS s ON s.entity_id = m.entity_id AND s.day = p.day
        WHERE abs(epoch(s.event_time) - epoch(p.event_time)) <= $window_days * 86400
        GROUP BY s.doc_id, m.doc_id
        HAVING count(DISTINCT m.entity_id) >= $min_shared
        QUALIFY row_number() OVER (PARTITION BY new_doc ORDER BY n_shared DESC, m.doc_id) <= $max_entity_candidates
    )
),
pairs AS (
    SELECT new_doc, doc_id FROM by_band UNION SELECT new_doc, doc_id FROM by_entity
)
SELECT new_doc, doc_id FROM pairs ORDER BY new_doc, doc_id;
