-- What the run changes in each entity recomputed from its published row: the mentions, documents
-- and date range it loses with the documents the run replaces (through the published resolution)
-- and gains with the staged ones. A temporary table of the resolving connection.
CREATE OR REPLACE TEMP TABLE entity_changes AS
WITH removed AS (
    SELECT k.entity_id, count(DISTINCT r.doc_id) AS n_docs,
           min(r.published_at) AS first_seen, max(r.published_at) AS last_seen
    FROM replaced_mentions AS r
    JOIN entity_keys AS k USING (key)
    GROUP BY k.entity_id
),
added AS (
    SELECT k.entity_id, count(DISTINCT m.doc_id) AS n_docs,
           min(d.published_at) AS first_seen, max(d.published_at) AS last_seen
    FROM stg_mentions AS m
    JOIN stg_documents AS d USING (doc_id)
    JOIN stg_key_map AS k USING (key)
    GROUP BY k.entity_id
)
SELECT s.entity_id,
       coalesce(e.n_docs, 0) - coalesce(r.n_docs, 0) + coalesce(a.n_docs, 0) AS n_docs,
       -- the published first date stays unless a replaced document held it; then a staged one as
       -- early or earlier takes over; otherwise only a full recompute can tell (NULL here)
       CASE WHEN r.first_seen IS NULL OR r.first_seen > e.first_seen_date THEN least(e.first_seen_date, a.first_seen)
            WHEN a.first_seen <= e.first_seen_date THEN a.first_seen END AS first_seen_date,
       CASE WHEN r.last_seen IS NULL OR r.last_seen < e.last_seen_date THEN greatest(e.last_seen_date, a.last_seen)
            WHEN a.last_seen >= e.last_seen_date THEN a.last_seen END AS last_seen_date,
       -- (an entity left with no document has no dates to know: it goes)
       (r.first_seen = e.first_seen_date AND (a.first_seen IS NULL OR a.first_seen > e.first_seen_date)
           OR r.last_seen = e.last_seen_date AND (a.last_seen IS NULL OR a.last_seen < e.last_seen_date))
           AND coalesce(e.n_docs, 0) - coalesce(r.n_docs, 0) + coalesce(a.n_docs, 0) > 0 AS dates_unknown
FROM stg_entity_scope AS s
LEFT JOIN entities AS e USING (entity_id)
LEFT JOIN removed AS r USING (entity_id)
LEFT JOIN added AS a USING (entity_id)
WHERE NOT s.full_recompute;

UPDATE stg_entity_scope SET full_recompute = true
WHERE entity_id IN (SELECT entity_id FROM entity_changes WHERE dates_unknown)
