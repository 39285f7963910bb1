-- Stage the entities recomputed from their published rows (not full_recompute): names and counts
-- from the name counts of their keys once the run publishes, documents and dates from
-- entity_changes. An entity with no mention left gets no row (publish deletes it).
INSERT INTO stg_entities
WITH members AS (
    SELECT key, canonical_key, entity_id FROM stg_key_map
    WHERE entity_id IN (SELECT entity_id FROM stg_entity_scope WHERE NOT full_recompute)
    UNION ALL
    SELECT key, canonical_key, entity_id FROM entity_keys
    WHERE entity_id IN (SELECT entity_id FROM stg_entity_scope WHERE NOT full_recompute)
      AND key NOT IN (SELECT key FROM stg_resolved_keys)
),
normals AS (
    SELECT key, normal, n FROM stg_key_normals
    UNION ALL
    SELECT key, normal, n FROM entity_index.key_normals
    WHERE key IN (SELECT key FROM members)
      AND key NOT IN (SELECT key FROM stg_resolved_keys WHERE touched)
),
name_votes AS (
    SELECT k.entity_id, any_value(k.canonical_key) AS canonical_key, n.normal, sum(n.n) AS n,
           bool_or(k.key = k.canonical_key) AS from_canonical
    FROM members AS k
    JOIN normals AS n USING (key)
    GROUP BY k.entity_id, n.normal
)
SELECT
    v.entity_id,
    split_part(any_value(v.canonical_key), ':', 1) AS type,
    any_value(v.canonical_key) AS canonical_key,
    -- as in stage_entities.sql: a form of the canonical key first, then the most frequent, then byte order
    first(v.normal ORDER BY v.from_canonical DESC, v.n DESC, v.normal) AS canonical_name,
    list_sort(list_distinct(list(v.normal))) AS aliases,
    any_value(c.n_docs) AS n_docs,
    sum(v.n) AS n_mentions,
    any_value(c.first_seen_date) AS first_seen_date,
    any_value(c.last_seen_date) AS last_seen_date
FROM name_votes AS v
JOIN entity_changes AS c USING (entity_id)
JOIN stg_entity_scope AS s USING (entity_id)
WHERE NOT s.full_recompute
GROUP BY v.entity_id
