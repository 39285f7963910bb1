-- Whether a table or view named $name exists in the main schema (1 or 0).
SELECT count(*) > 0 FROM (
    SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main'
    UNION ALL
    SELECT view_name FROM duckdb_views() WHERE schema_name = 'main'
) WHERE name = $name;
