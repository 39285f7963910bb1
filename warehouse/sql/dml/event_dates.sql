-- The date of each named event: the nearest day, month or year expression of its own sentence
-- (NULLs when it has none); one row per event. {events}, {dates} and {documents} name the tables
-- read: the window's staging at publish, the published tables once to fill event_dates in a
-- warehouse created before it (warehouse/events.py).
WITH candidates AS (
    SELECT
        e.doc_id, e.record_no, dt.surface AS date_surface, dt.start_date, dt.end_date, dt.granularity,
        abs(dt.char_start - e.char_start) AS distance,
        substring(d.text, least(dt.char_end, e.char_end) + 1,
                  greatest(0, greatest(dt.char_start, e.char_start) - least(dt.char_end, e.char_end))) AS between_text
    FROM {events} AS e
    JOIN {documents} AS d USING (doc_id)
    JOIN {dates} AS dt ON dt.doc_id = e.doc_id
    WHERE dt.start_date IS NOT NULL AND dt.granularity IN ('day', 'month', 'year')
      AND abs(dt.char_start - e.char_start) < 400
),
same_sentence AS (
    SELECT *, row_number() OVER (PARTITION BY doc_id, record_no ORDER BY
              CASE granularity WHEN 'day' THEN 0 WHEN 'month' THEN 1 ELSE 2 END, distance) AS rank
    FROM candidates
    WHERE NOT regexp_matches(between_text, '[.!?]\s+["«]?[А-ЯЁA-Z]|\n')
)
SELECT e.doc_id, e.record_no, s.date_surface, s.start_date AS date_from, s.end_date AS date_to, s.granularity
FROM {events} AS e
SEMI JOIN {documents} AS d USING (doc_id)
LEFT JOIN same_sentence AS s ON s.doc_id = e.doc_id AND s.record_no = e.record_no AND s.rank = 1
