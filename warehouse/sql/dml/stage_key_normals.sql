-- The name counts of the touched keys once the run publishes: published counts, less the replaced
-- documents' mentions, plus the staged ones.
INSERT INTO stg_key_normals
WITH touched AS (
    SELECT key FROM stg_resolved_keys WHERE touched
)
SELECT key, normal, sum(n)::INTEGER AS n
FROM (
    SELECT key, normal, n FROM entity_index.key_normals WHERE key IN (SELECT key FROM touched)
    UNION ALL
    SELECT key, normal, -count(*) FROM replaced_mentions GROUP BY key, normal
    UNION ALL
    SELECT key, normal, count(*) FROM stg_mentions GROUP BY key, normal
)
GROUP BY key, normal
HAVING sum(n) > 0
