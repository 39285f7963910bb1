-- The keys among $values that the published resolution holds.
SELECT key FROM entity_keys WHERE key IN (SELECT unnest($values::VARCHAR[]))
