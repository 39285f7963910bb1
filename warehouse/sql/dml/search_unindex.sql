-- Remove the documents of search_batch from the search index (their postings, then their row).
DELETE FROM search_postings
WHERE doc_no IN (SELECT doc_no FROM search_docs WHERE doc_id IN (SELECT doc_id FROM search_batch));

DELETE FROM search_docs WHERE doc_id IN (SELECT doc_id FROM search_batch);
