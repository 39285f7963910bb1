-- What the text says: structure, interview turns, named events, dates, occupations, attributions.
-- Every record has char offsets into documents.text, its extractor version, and record_no, its
-- position among the document's records of that table (the key with doc_id).

CREATE TABLE IF NOT EXISTS leads (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    text VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

CREATE TABLE IF NOT EXISTS genres (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    kind VARCHAR NOT NULL, evidence VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

CREATE TABLE IF NOT EXISTS sections (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    section_no INTEGER NOT NULL, heading VARCHAR NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,      -- the heading
    body_start INTEGER NOT NULL, body_end INTEGER NOT NULL,      -- the section's body
    para_start INTEGER NOT NULL, para_end INTEGER NOT NULL,      -- paragraph range of the body
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

CREATE TABLE IF NOT EXISTS interview_turns (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    turn_no INTEGER NOT NULL, speaker VARCHAR NOT NULL, speaker_key VARCHAR,
    is_question BOOLEAN NOT NULL, text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

CREATE TABLE IF NOT EXISTS named_events (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    name VARCHAR NOT NULL, kind VARCHAR NOT NULL, year INTEGER,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

CREATE TABLE IF NOT EXISTS dates (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    surface VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    start_date DATE, end_date DATE, granularity VARCHAR NOT NULL,
    is_relative BOOLEAN NOT NULL, resolved BOOLEAN NOT NULL, duration VARCHAR, is_future BOOLEAN NOT NULL,
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

-- The date of each published named event (dml/event_dates.sql: the nearest date expression of its
-- own sentence; NULLs when it has none), one row per event. Derived from named_events, dates and
-- the document text at publish (warehouse/events.py), so v_named_events reads no text.
CREATE TABLE IF NOT EXISTS event_dates (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,  -- key: the named event's
    date_surface VARCHAR, date_from DATE, date_to DATE, granularity VARCHAR
);

-- Valid time (start_date, end_date) is when the post was held; the document's published_at is
-- when it was reported.
CREATE TABLE IF NOT EXISTS occupations (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    person_key VARCHAR NOT NULL, person VARCHAR NOT NULL, position VARCHAR NOT NULL,
    org_key VARCHAR, org VARCHAR, start_date DATE, end_date DATE, kind VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL, char_start INTEGER NOT NULL, char_end INTEGER NOT NULL,
    position_start INTEGER NOT NULL, position_end INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

CREATE TABLE IF NOT EXISTS attributions (
    doc_id VARCHAR NOT NULL, record_no INTEGER NOT NULL,
    kind VARCHAR NOT NULL, source VARCHAR NOT NULL, source_key VARCHAR,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, evidence VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL  -- key: (doc_id, record_no); no constraint (001_core.sql)
);

-- The published resolution of every mention key (facts refer to entities through these keys).
CREATE TABLE IF NOT EXISTS entity_keys AS SELECT * FROM stg_key_map WITH NO DATA;

CREATE TABLE IF NOT EXISTS stg_leads AS SELECT * FROM leads WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_genres AS SELECT * FROM genres WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_sections AS SELECT * FROM sections WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_interview_turns AS SELECT * FROM interview_turns WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_named_events AS SELECT * FROM named_events WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_dates AS SELECT * FROM dates WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_occupations AS SELECT * FROM occupations WITH NO DATA;
CREATE TABLE IF NOT EXISTS stg_attributions AS SELECT * FROM attributions WITH NO DATA;
