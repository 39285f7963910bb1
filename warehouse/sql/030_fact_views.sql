-- Public SQL API for what the text says: posts over time, events by month, interviews, sources.
-- Entities are reached through entity_keys, so these views follow corpus-level resolution.

-- Who held which post when. valid_from/valid_to: when the post was held (valid time);
-- reported_at: when the document was published.
CREATE OR REPLACE VIEW v_positions AS
SELECT
    coalesce(pe.canonical_name, o.person) AS person,
    pk.entity_id AS person_entity_id,
    o.position,
    coalesce(oe.canonical_name, o.org) AS organisation,
    ok.entity_id AS org_entity_id,
    o.kind,
    o.start_date AS valid_from,
    o.end_date AS valid_to,
    d.published_at AS reported_at,
    o.doc_id, o.evidence, o.char_start, o.char_end
FROM occupations AS o
JOIN documents AS d USING (doc_id)
LEFT JOIN entity_keys AS pk ON pk.key = o.person_key
LEFT JOIN entities AS pe ON pe.entity_id = pk.entity_id
LEFT JOIN entity_keys AS ok ON ok.key = o.org_key
LEFT JOIN entities AS oe ON oe.entity_id = ok.entity_id;

-- positions_of(name): the posts of one person (canonical name or alias), in time order.
CREATE OR REPLACE MACRO positions_of(person_name) AS TABLE
WITH wanted AS (
    SELECT entity_id FROM entities
    WHERE type = 'PER' AND (lower(canonical_name) = lower(person_name)
       OR list_contains(list_transform(aliases, a -> lower(a)), lower(person_name)))
)
SELECT * FROM v_positions
WHERE person_entity_id IN (SELECT entity_id FROM wanted)
ORDER BY coalesce(valid_from, CAST(reported_at AS DATE)) NULLS LAST, position;

-- Named events with the date expression of their own sentence (nearest one), if any: the dating
-- is kept at publish in event_dates (dml/event_dates.sql), so this view reads no document text.
CREATE OR REPLACE VIEW v_named_events AS
SELECT
    e.doc_id, e.record_no, e.name, e.kind,
    coalesce(e.year, year(s.date_from)) AS year,
    CASE WHEN s.granularity IN ('day', 'month') THEN strftime(s.date_from, '%Y-%m') END AS month,
    s.date_surface, s.date_from, s.date_to,
    d.published_at, e.char_start, e.char_end
FROM named_events AS e
JOIN documents AS d USING (doc_id)
LEFT JOIN event_dates AS s ON s.doc_id = e.doc_id AND s.record_no = e.record_no;

-- Events per month and kind (events without a month fall under their year, month NULL).
CREATE OR REPLACE VIEW v_events_by_month AS
SELECT year, month, kind, count(*) AS n_events, list(name ORDER BY name) AS names,
       list(DISTINCT doc_id) AS doc_ids
FROM v_named_events
GROUP BY year, month, kind
ORDER BY year NULLS LAST, month NULLS LAST, kind;

-- Interview turns with the speaker's entity when the speaker is a known person.
CREATE OR REPLACE VIEW v_interview_turns AS
SELECT t.doc_id, t.turn_no, t.speaker, e.canonical_name AS speaker_entity, k.entity_id AS speaker_entity_id,
       t.is_question, t.text, t.char_start, t.char_end
FROM interview_turns AS t
LEFT JOIN entity_keys AS k ON k.key = t.speaker_key
LEFT JOIN entities AS e ON e.entity_id = k.entity_id;

-- Each question of an interview with the answer that follows it.
CREATE OR REPLACE VIEW v_interview_qa AS
WITH questions AS (
    SELECT *,
           row_number() OVER (PARTITION BY doc_id ORDER BY turn_no) AS question_no,
           lead(turn_no) OVER (PARTITION BY doc_id ORDER BY turn_no) AS next_question_turn
    FROM v_interview_turns
    WHERE is_question
),
answers AS (
    SELECT * FROM v_interview_turns WHERE NOT is_question
)
SELECT
    q.doc_id, q.question_no, q.speaker AS asked_by, q.text AS question,
    string_agg(a.text, chr(10) || chr(10) ORDER BY a.turn_no) AS answer,
    first(a.speaker ORDER BY a.turn_no) AS answered_by,
    first(a.speaker_entity ORDER BY a.turn_no) AS answered_by_entity,
    q.char_start AS question_start, max(a.char_end) AS answer_end
FROM questions AS q
LEFT JOIN answers AS a
       ON a.doc_id = q.doc_id AND a.turn_no > q.turn_no
      AND (q.next_question_turn IS NULL OR a.turn_no < q.next_question_turn)
GROUP BY q.doc_id, q.question_no, q.speaker, q.text, q.char_start
ORDER BY q.doc_id, q.question_no;

-- Where a story comes from: the outlet and original source it is credited to, and quoted speakers.
CREATE OR REPLACE VIEW v_story_sources AS
SELECT a.doc_id, d.title, d.url, d.source_domain, a.kind, a.source,
       e.canonical_name AS source_entity, k.entity_id AS source_entity_id,
       a.evidence, a.char_start, a.char_end
FROM attributions AS a
JOIN documents AS d USING (doc_id)
LEFT JOIN entity_keys AS k ON k.key = a.source_key
LEFT JOIN entities AS e ON e.entity_id = k.entity_id;
