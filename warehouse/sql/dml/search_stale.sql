-- The documents the search index does not cover as published (v_search_stale) become search_batch.
CREATE OR REPLACE TEMP TABLE search_batch AS SELECT doc_id FROM v_search_stale;
