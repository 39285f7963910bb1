-- The keys among _values (value) that the published resolution holds.
SELECT key FROM entity_keys WHERE key IN (SELECT value FROM _values)
