-- Recompute the entities of stg_entity_scope marked full_recompute from every live mention of
-- their keys: the keys the run re-resolved (stg_key_map) and the published keys of those entities
-- it left alone. An entity with no live mention left gets no row (publish deletes it).
INSERT INTO stg_entities
WITH members AS (
    SELECT key, canonical_key, entity_id FROM stg_key_map
    WHERE entity_id IN (SELECT entity_id FROM stg_entity_scope WHERE full_recompute)
    UNION ALL
    SELECT key, canonical_key, entity_id FROM entity_keys
    WHERE entity_id IN (SELECT entity_id FROM stg_entity_scope WHERE full_recompute)
      AND key NOT IN (SELECT key FROM stg_resolved_keys)
),
-- the members' published mentions first (one pass over mentions), then their documents' dates
member_mentions AS MATERIALIZED (
    SELECT doc_id, normal, key FROM mentions
    WHERE key IN (SELECT key FROM members) AND doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
),
live_mentions AS (
    SELECT m.doc_id, m.normal, m.key, d.published_at
    FROM member_mentions AS m
    JOIN documents AS d USING (doc_id)
    UNION ALL
    SELECT m.doc_id, m.normal, m.key, d.published_at
    FROM stg_mentions AS m
    JOIN stg_documents AS d USING (doc_id)
    WHERE m.key IN (SELECT key FROM members)
),
resolved AS (
    SELECT l.*, k.entity_id, k.canonical_key
    FROM live_mentions AS l
    JOIN members AS k USING (key)
),
name_votes AS (
    SELECT entity_id, normal, count(*) AS n, bool_or(key = canonical_key) AS from_canonical
    FROM resolved
    GROUP BY entity_id, normal
),
-- The canonical name: a form of the canonical key first, then the most frequent form; ties go to
-- the form that sorts first (byte order), so two builds of the same input pick the same name.
best_names AS (
    SELECT entity_id, first(normal ORDER BY from_canonical DESC, n DESC, normal) AS canonical_name
    FROM name_votes
    GROUP BY entity_id
)
SELECT
    r.entity_id,
    split_part(any_value(r.canonical_key), ':', 1) AS type,
    any_value(r.canonical_key) AS canonical_key,
    any_value(b.canonical_name) AS canonical_name,
    list_sort(list_distinct(list(r.normal))) AS aliases,
    count(DISTINCT r.doc_id) AS n_docs,
    count(*) AS n_mentions,
    min(r.published_at) AS first_seen_date,
    max(r.published_at) AS last_seen_date
FROM resolved AS r
JOIN best_names AS b USING (entity_id)
GROUP BY r.entity_id
