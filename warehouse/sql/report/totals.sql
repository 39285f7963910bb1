-- What the warehouse holds, one row of counts.
SELECT (SELECT count(*) FROM documents) AS documents,
       (SELECT count(*) FROM documents WHERE published_at IS NULL) AS undated_documents,
       (SELECT count(*) FROM entities) AS entities,
       (SELECT count(*) FROM mentions) AS mentions,
       (SELECT count(*) FROM occupations) AS positions,
       (SELECT count(*) FROM named_events) AS events,
       (SELECT count(*) FROM quarantine) AS quarantined,
       (SELECT count(*) FROM ingest_runs) AS runs;
