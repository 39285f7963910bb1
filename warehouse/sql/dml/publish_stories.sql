-- Publish the run's near-duplicates and stories (after publish_documents, the record tables —
-- signatures and band keys among them — and publish_entities, in the same transaction). stg_story_documents holds the full membership
-- of every story the run touched (dml/stage_stories.sql); a touched story with no member left is
-- removed.
DELETE FROM near_duplicates WHERE doc_id IN (SELECT doc_id FROM stg_doc_signatures);
INSERT INTO near_duplicates BY NAME SELECT * FROM stg_near_duplicates;

DELETE FROM stories WHERE story_id IN (
    SELECT story_id FROM story_documents WHERE doc_id IN (SELECT doc_id FROM stg_story_documents)
    UNION SELECT story_id FROM stg_stories);
DELETE FROM story_documents WHERE doc_id IN (SELECT doc_id FROM stg_story_documents);

INSERT INTO story_documents BY NAME SELECT * FROM stg_story_documents;
INSERT INTO stories BY NAME SELECT * FROM stg_stories;
