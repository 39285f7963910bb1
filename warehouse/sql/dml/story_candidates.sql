-- Published candidates as story clustering sees them: the documents named in the registered
-- relation story_wanted(doc_id), from the window's story_window (dml/story_window.sql) with their
-- signatures.
SELECT w.doc_id, w.content_hash, w.published_at, w.seen_at,
       g.signature, g.word_signature, g.n_shingles,
       w.entity_ids, w.story_id
FROM story_wanted
JOIN story_window AS w USING (doc_id)
JOIN doc_signatures AS g USING (doc_id)
ORDER BY w.doc_id;
