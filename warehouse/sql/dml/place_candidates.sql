-- The LOC entities to (re)link: those the run's entity resolution staged (new or changed), and any
-- live LOC entity without a link of the current linker version; each with the canonical names of
-- the other places in its documents and its stored link. Works whether resolution staged the
-- whole entity table or only a delta: staged entities and keys override the published ones.
-- Only the documents naming a candidate are joined with themselves, and each (place, other name)
-- pair is made distinct before its list is built: a place named in thousands of documents would
-- otherwise hold every repetition in memory (measured: -34 MB on a window of 2,000 at 20k).
WITH live_entities AS (
    SELECT entity_id, type, canonical_name, aliases FROM stg_entities
    UNION ALL
    SELECT entity_id, type, canonical_name, aliases FROM entities
    WHERE entity_id NOT IN (SELECT entity_id FROM stg_entity_scope)
),
key_map AS (
    SELECT key, entity_id FROM stg_key_map
    UNION ALL
    SELECT key, entity_id FROM entity_keys WHERE key NOT IN (SELECT key FROM stg_resolved_keys)
),
candidates AS (
    SELECT entity_id FROM stg_entities WHERE type = 'LOC'
    UNION
    SELECT e.entity_id
    FROM live_entities AS e
    LEFT JOIN places AS p USING (entity_id)
    WHERE e.type = 'LOC' AND (p.entity_id IS NULL OR p.linker_version <> $linker_version)
),
live_mentions AS (
    SELECT doc_id, key FROM mentions
    WHERE doc_id NOT IN (SELECT doc_id FROM stg_document_runs)
    UNION ALL
    SELECT doc_id, key FROM stg_mentions
),
candidate_docs AS (
    SELECT DISTINCT l.doc_id
    FROM live_mentions AS l
    JOIN key_map AS k USING (key)
    WHERE k.entity_id IN (SELECT entity_id FROM candidates)
),
doc_places AS (
    SELECT DISTINCT l.doc_id, e.entity_id, e.canonical_name
    FROM live_mentions AS l
    JOIN key_map AS k USING (key)
    JOIN live_entities AS e ON e.entity_id = k.entity_id AND e.type = 'LOC'
    WHERE l.doc_id IN (SELECT doc_id FROM candidate_docs)
),
contexts AS (
    SELECT entity_id, list_sort(list(canonical_name)) AS context
    FROM (
        SELECT DISTINCT a.entity_id, b.canonical_name
        FROM doc_places AS a
        JOIN doc_places AS b ON b.doc_id = a.doc_id AND b.entity_id <> a.entity_id
        WHERE a.entity_id IN (SELECT entity_id FROM candidates) AND b.canonical_name IS NOT NULL
    )
    GROUP BY entity_id
)
SELECT e.entity_id, e.canonical_name, e.aliases, coalesce(c.context, []::VARCHAR[]) AS context,
       p.link_basis, p.linker_version
FROM live_entities AS e
JOIN candidates USING (entity_id)
LEFT JOIN contexts AS c USING (entity_id)
LEFT JOIN places AS p USING (entity_id)
ORDER BY e.entity_id
