-- Index the published documents of search_batch (none of them may be indexed already): tokens of
-- title + text as the fts extension makes them, each distinct word stemmed once. {texts} is where
-- their text is read: documents, or stg_documents while publish copies the staged window into
-- documents (the same rows; reading them there leaves the published text column unread).
CREATE OR REPLACE TEMP TABLE search_new_docs AS
SELECT d.doc_id,
       coalesce((SELECT max(doc_no) FROM search_docs), 0) + row_number() OVER (ORDER BY d.doc_id) AS doc_no,
       concat_ws(' ', d.title, d.text) AS body,
       search_version_key(d.doc_id, d.content_hash, d.title) AS version_key
FROM {texts} AS d
WHERE d.doc_id IN (SELECT doc_id FROM search_batch);

CREATE OR REPLACE TEMP TABLE search_new_postings AS
WITH words AS (
    SELECT doc_no, unnest(search_tokens(body)) AS word FROM search_new_docs
),
stems AS (
    SELECT word, stem(word, 'russian') AS term
    FROM (SELECT DISTINCT word FROM words WHERE word <> '')
)
SELECT w.doc_no, s.term, CAST(count(*) AS INTEGER) AS tf
FROM words AS w
JOIN stems AS s USING (word)
GROUP BY w.doc_no, s.term;

INSERT INTO search_docs (doc_id, doc_no, n_terms, version_key)
SELECT n.doc_id, n.doc_no, CAST(coalesce(sum(p.tf), 0) AS INTEGER), n.version_key
FROM search_new_docs AS n
LEFT JOIN search_new_postings AS p USING (doc_no)
GROUP BY n.doc_id, n.doc_no, n.version_key
ORDER BY n.doc_no;

INSERT INTO search_postings (doc_no, term, tf)
SELECT doc_no, term, tf FROM search_new_postings ORDER BY doc_no, term;

DROP TABLE search_new_postings;

DROP TABLE search_new_docs;
