-- Rebuild the entity table from every live mention, resolved through stg_key_map.
INSERT INTO stg_entities
WITH live_mentions AS (
    SELECT m.doc_id, m.normal, m.key, d.published_at
    FROM mentions AS m
    JOIN documents AS d USING (doc_id)
    WHERE m.doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
    UNION ALL
    SELECT m.doc_id, m.normal, m.key, d.published_at
    FROM stg_mentions AS m
    JOIN stg_documents AS d USING (doc_id)
),
resolved AS (
    SELECT l.*, k.entity_id, k.canonical_key
    FROM live_mentions AS l
    JOIN stg_key_map AS k USING (key)
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
