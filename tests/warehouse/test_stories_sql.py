"""The stories DDL, views, staging and publishing SQL on an in-memory warehouse.

Runs are simulated: the test stages documents, mentions, the key map and the workers' signature
rows the way the ingest does, then calls ``warehouse.stories`` (stage, publish) and publishes the
documents and mentions itself.
"""
from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "extractors" / "stories"))
from story_variants import entity_ids, entity_key, header_footer, load_texts, reworded, same_topic_pairs  # noqa: E402

from newsetl.extractors.stories import story_rows  # noqa: E402
from newsetl.warehouse.db import ensure_schema, insert_frame, load_fts  # noqa: E402
from newsetl.warehouse.stories import latest_stories, publish_stories, stage_stories  # noqa: E402

DAY0 = datetime(2026, 1, 20, 9, 0)
STORY_TABLES = ("doc_signatures", "doc_bands", "near_duplicates", "stories", "story_documents")
STAGED = ("stg_documents", "stg_mentions", "stg_key_map", "stg_doc_signatures", "stg_doc_bands",
          "stg_near_duplicates", "stg_story_documents", "stg_stories")


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with every DDL and view file applied."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    load_fts(con)
    ensure_schema(con)
    return con


def document_row(doc_id: str, text: str, published_at: datetime | None, source: str, run_id: str) -> dict:
    """A staged ``documents`` row with the fields stories use."""
    return {"doc_id": doc_id, "source_id": doc_id, "source_uri": f"{doc_id}.txt", "format": "txt",
            "raw_hash": f"raw-{doc_id}", "content_hash": f"content-{doc_id}-{len(text)}",
            "title": f"Заголовок {doc_id}", "source_name": source, "published_at": published_at,
            "published_at_evidence": "header" if published_at else "none", "text": text, "n_chars": len(text),
            "n_words": len(text.split()), "extractor_version": "test", "version": 1,
            "first_seen_run": run_id, "last_seen_run": run_id}


def run(con, run_id: str, started_at: datetime, docs: list[tuple]) -> list:
    """Stage ``(doc_id, text, published_at, source, surfaces)`` documents as one run, assign
    stories, publish; returns the assignments."""
    assignments = stage(con, run_id, started_at, docs)
    publish_documents_and_entities(con)
    publish_stories(con)
    for table in STAGED:
        con.execute(f"DELETE FROM {table}")
    return assignments


def stage(con, run_id: str, started_at: datetime, docs: list[tuple]) -> list:
    """Stage a run's documents, mentions, key map and signature rows; assign stories."""
    con.execute("INSERT INTO ingest_runs (run_id, started_at, status, inputs) VALUES (?, ?, 'running', [])",
                [run_id, started_at])
    mentions, signatures, bands = [], [], []
    for doc_id, text, _, _, surfaces in docs:
        for number, key in enumerate(sorted(entity_ids(text, surfaces))):
            mentions.append({"doc_id": doc_id, "char_start": number, "char_end": number + 1, "type": "ORG",
                             "surface": key, "normal": key, "sentence_no": 0, "key": f"ORG:{key}",
                             "entity_id": "", "extractor_version": "test"})
        rows = story_rows(doc_id, text)
        signatures += rows["doc_signatures"]
        bands += rows["doc_bands"]
    insert_frame(con, "stg_documents", pd.DataFrame([document_row(d, t, p, s, run_id) for d, t, p, s, _ in docs]))
    insert_frame(con, "stg_mentions", pd.DataFrame(mentions))
    insert_frame(con, "stg_doc_signatures", pd.DataFrame(signatures))
    insert_frame(con, "stg_doc_bands", pd.DataFrame(bands))
    con.execute("""INSERT INTO stg_key_map SELECT DISTINCT key, key, 'e-' || key
                   FROM (SELECT key FROM stg_mentions UNION SELECT key FROM mentions)""")
    return stage_stories(con, run_id)


def publish_documents_and_entities(con) -> None:
    """The minimal publish of documents, their mentions, signatures and band keys, and entities,
    which the stories tables rely on (the real publish does this for every record table)."""
    con.execute("""DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM stg_documents);
                   INSERT INTO documents BY NAME SELECT * FROM stg_documents;
                   DELETE FROM doc_signatures WHERE doc_id IN (SELECT doc_id FROM stg_documents);
                   INSERT INTO doc_signatures BY NAME SELECT * FROM stg_doc_signatures;
                   DELETE FROM doc_bands WHERE doc_id IN (SELECT doc_id FROM stg_documents);
                   INSERT INTO doc_bands BY NAME SELECT * FROM stg_doc_bands;
                   DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM stg_documents);
                   INSERT INTO mentions BY NAME SELECT * EXCLUDE (entity_id), 'e-' || key AS entity_id FROM stg_mentions;
                   DELETE FROM entities;
                   INSERT INTO entities SELECT entity_id, 'ORG', key, any_value(normal), [any_value(normal)],
                          count(DISTINCT doc_id), count(*), NULL, NULL FROM mentions GROUP BY entity_id, key;""")


@pytest.fixture(scope="module")
def texts():
    """An original, a text on the same topic, and an unrelated one (real texts)."""
    all_texts = load_texts()
    original, same_topic = same_topic_pairs(all_texts, min_shared=3)[0]
    unrelated = next(t for t in all_texts
                     if not entity_ids(t.text, t.entity_surfaces) & entity_ids(original.text, original.entity_surfaces))
    return original, same_topic, unrelated


@pytest.fixture()
def warehouse(texts):
    """Run 1: the original, its rewrite, the same-topic and the unrelated text."""
    original, same_topic, unrelated = texts
    con = connect()
    run(con, "run-1", DAY0, [
        ("orig", original.text, DAY0, "ТАСС", original.entity_surfaces),
        ("rewrite", reworded(original.text), DAY0 + timedelta(hours=5), "Интерфакс", original.entity_surfaces),
        ("topic", same_topic.text, DAY0 + timedelta(hours=1), "РИА", same_topic.entity_surfaces),
        ("other", unrelated.text, DAY0 + timedelta(days=1), "РИА", unrelated.entity_surfaces),
    ])
    yield con
    con.close()


def story_of(con, doc_id: str) -> str:
    return con.execute("SELECT story_id FROM story_documents WHERE doc_id = ?", [doc_id]).fetchone()[0]


def test_schema_applies_twice_and_every_story_table_has_a_staging_twin():
    con = connect()
    ensure_schema(con)
    for table in STORY_TABLES:
        columns = con.execute(f"SELECT * FROM {table} LIMIT 0").description
        twin = con.execute(f"SELECT * FROM stg_{table} LIMIT 0").description
        assert [c[0] for c in columns] == [c[0] for c in twin]


def test_first_run_builds_stories(warehouse):
    stories = warehouse.execute("SELECT story_id, n_docs, title, sources, first_published_at FROM v_stories ORDER BY n_docs DESC, story_id").fetchall()
    assert [s[1] for s in stories] == [2, 1, 1]
    story_id, _, title, sources, first = stories[0]
    assert story_id == story_of(warehouse, "orig") == story_of(warehouse, "rewrite")
    assert title == "Заголовок orig" and sources == ["Интерфакс", "ТАСС"] and first == DAY0
    assert story_of(warehouse, "topic") != story_id


def test_story_documents_macro_lists_the_first_report_first(warehouse):
    rows = warehouse.execute("SELECT doc_id, is_first, similarity, near_duplicate_of FROM story_documents(?)",
                             [story_of(warehouse, "orig")]).fetchall()
    assert rows[0][:2] == ("orig", True) and rows[0][2] == 1.0
    assert rows[1][0] == "rewrite" and rows[1][1] is False and rows[1][3] is None


def test_top_entities_are_names_of_entities_in_most_documents(warehouse, texts):
    original = texts[0]
    [(names, ids)] = warehouse.execute("SELECT top_entities, top_entity_ids FROM v_stories WHERE story_id = ?",
                                       [story_of(warehouse, "orig")]).fetchall()
    assert 1 <= len(ids) <= 5 and len(names) == len(ids)
    assert set(names) <= {entity_key(s) for s in original.entity_surfaces}


def test_a_copy_in_a_later_run_joins_the_story_through_its_band_keys(warehouse, texts):
    original = texts[0]
    story_id = story_of(warehouse, "orig")
    [assignment] = run(warehouse, "run-2", DAY0 + timedelta(days=1), [
        ("copy", header_footer(original.text), DAY0 + timedelta(days=1), "Вестник", original.entity_surfaces)])
    assert assignment.story_id == story_id and assignment.near_duplicate_of == "orig"
    row = warehouse.execute("SELECT near_duplicate_of, near_duplicate_similarity, is_first FROM v_story_documents "
                            "WHERE doc_id = 'copy'").fetchone()
    assert row[0] == "orig" and row[1] >= 0.5 and row[2] is False
    assert warehouse.execute("SELECT n_docs, n_sources, founder_doc_id, created_run, updated_run FROM stories "
                             "WHERE story_id = ?", [story_id]).fetchone() == (3, 3, "orig", "run-1", "run-2")


def test_an_earlier_report_found_later_becomes_first_but_keeps_the_story_id(warehouse, texts):
    original = texts[0]
    story_id = story_of(warehouse, "orig")
    run(warehouse, "run-2", DAY0 + timedelta(days=2), [
        ("early", header_footer(original.text), DAY0 - timedelta(hours=3), "Вестник", original.entity_surfaces)])
    assert story_of(warehouse, "early") == story_id
    assert warehouse.execute("SELECT first_doc_id, first_published_at FROM stories WHERE story_id = ?",
                             [story_id]).fetchone() == ("early", DAY0 - timedelta(hours=3))
    assert warehouse.execute("SELECT count(*) FROM story_documents WHERE story_id = ? AND is_first",
                             [story_id]).fetchone()[0] == 1


def snapshot(con) -> dict[str, list]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in STORY_TABLES}


def test_a_rerun_with_nothing_staged_changes_nothing(warehouse):
    before = snapshot(warehouse)
    assert run(warehouse, "run-2", DAY0 + timedelta(days=1), []) == []
    assert snapshot(warehouse) == before


def test_reprocessing_the_same_documents_keeps_story_ids(warehouse, texts):
    original, same_topic, unrelated = texts
    before = warehouse.execute("SELECT doc_id, story_id FROM story_documents ORDER BY doc_id").fetchall()
    run(warehouse, "run-2", DAY0 + timedelta(days=1), [
        ("orig", original.text, DAY0, "ТАСС", original.entity_surfaces),
        ("topic", same_topic.text, DAY0 + timedelta(hours=1), "РИА", same_topic.entity_surfaces),
    ])
    assert warehouse.execute("SELECT doc_id, story_id FROM story_documents ORDER BY doc_id").fetchall() == before
    assert warehouse.execute("SELECT count(*) FROM stories").fetchone()[0] == 3


def test_an_updated_document_moves_and_an_empty_story_disappears(warehouse, texts):
    _, _, unrelated = texts
    old_story = story_of(warehouse, "topic")
    run(warehouse, "run-2", DAY0 + timedelta(days=1), [
        ("topic", unrelated.text + "\n\nДополнено.", DAY0 + timedelta(days=1), "РИА", unrelated.entity_surfaces)])
    assert story_of(warehouse, "topic") == story_of(warehouse, "other")
    assert warehouse.execute("SELECT count(*) FROM stories WHERE story_id = ?", [old_story]).fetchone()[0] == 0
    assert warehouse.execute("SELECT n_docs FROM stories WHERE story_id = ?",
                             [story_of(warehouse, "other")]).fetchone()[0] == 2
    assert warehouse.execute("SELECT near_duplicate_of FROM near_duplicates WHERE doc_id = 'topic'").fetchone() == ("other",)


def test_story_candidates_are_found_by_band_key_and_by_shared_entities(texts):
    from newsetl.warehouse.stories import candidates

    original = texts[0]
    con = connect()
    run(con, "run-1", DAY0, [("orig", original.text, DAY0, "ТАСС", original.entity_surfaces)])
    con.execute("INSERT INTO ingest_runs (run_id, started_at, status, inputs) VALUES ('run-2', ?, 'running', [])", [DAY0])
    for doc_id, text in (("copy", header_footer(original.text)), ("rewrite", reworded(original.text))):
        rows = story_rows(doc_id, text)
        insert_frame(con, "stg_documents", pd.DataFrame([document_row(doc_id, text, DAY0, "X", "run-2")]))
        insert_frame(con, "stg_doc_signatures", pd.DataFrame(rows["doc_signatures"]))
        insert_frame(con, "stg_doc_bands", pd.DataFrame(rows["doc_bands"]))
    con.execute("INSERT INTO stg_key_map SELECT DISTINCT key, key, entity_id FROM mentions")
    assert [c.doc_id for c in candidates(con, "run-2")] == ["orig"]          # the copy's band keys
    con.execute("DELETE FROM stg_doc_bands WHERE doc_id = 'copy'")
    assert candidates(con, "run-2") == []                                     # rewrite: no band, no entities staged
    con.execute("""INSERT INTO stg_mentions SELECT 'rewrite', char_start, char_end, type, surface, normal,
                   sentence_no, key, '', extractor_version FROM mentions WHERE doc_id = 'orig'""")
    [found] = candidates(con, "run-2")                                        # shared entities, same day
    assert found.doc_id == "orig" and found.story_id == story_of(con, "orig") and len(found.signature) == 256


@pytest.mark.parametrize(("published_after", "paired"), [
    (timedelta(days=2, hours=23), True),      # inside the 3-day window, three calendar days later
    (timedelta(days=3), True),                # on its edge
    (timedelta(days=3, minutes=1), False),    # just outside
    (-timedelta(days=2, hours=20), True),     # earlier than the published one, inside
    (-timedelta(days=3, hours=1), False),
])
def test_shared_entities_pair_documents_only_inside_the_window(texts, published_after, paired):
    from newsetl.warehouse.stories import candidate_pairs

    original = texts[0]
    con = connect()
    run(con, "run-1", DAY0, [("orig", original.text, DAY0, "ТАСС", original.entity_surfaces)])
    con.execute("INSERT INTO ingest_runs (run_id, started_at, status, inputs) VALUES ('run-2', ?, 'running', [])", [DAY0])
    insert_frame(con, "stg_documents", pd.DataFrame([document_row("rewrite", reworded(original.text),
                                                                  DAY0 + published_after, "X", "run-2")]))
    con.execute("""INSERT INTO stg_mentions SELECT 'rewrite', char_start, char_end, type, surface, normal,
                   sentence_no, key, '', extractor_version FROM mentions WHERE doc_id = 'orig'""")
    con.execute("INSERT INTO stg_key_map SELECT DISTINCT key, key, entity_id FROM mentions")
    assert candidate_pairs(con, "run-2") == ({"rewrite": ["orig"]} if paired else {})


@pytest.mark.parametrize("cap", [1, 2, 50])
def test_band_key_candidates_are_the_most_shared_up_to_the_cap(texts, cap):
    """A staged document meets at most ``max_band_candidates`` published ones through band keys:
    those sharing the most keys with it, then by doc id (as the run's own index keeps them)."""
    from dataclasses import replace

    from newsetl.extractors.stories import STORY
    from newsetl.extractors.stories.signature import band_keys
    from newsetl.warehouse.stories import candidate_pairs

    original = texts[0]
    published = {"z-copy": header_footer(original.text), "m-orig": original.text,
                 "a-part": original.text[: len(original.text) // 2]}
    con = connect()
    run(con, "run-1", DAY0, [(doc_id, text, DAY0, "ТАСС", []) for doc_id, text in published.items()])
    con.execute("INSERT INTO ingest_runs (run_id, started_at, status, inputs) VALUES ('run-2', ?, 'running', [])", [DAY0])
    new_text = header_footer(original.text) + " Дополнено."
    rows = story_rows("new", new_text)
    insert_frame(con, "stg_documents", pd.DataFrame([document_row("new", new_text, DAY0, "X", "run-2")]))
    insert_frame(con, "stg_doc_signatures", pd.DataFrame(rows["doc_signatures"]))
    insert_frame(con, "stg_doc_bands", pd.DataFrame(rows["doc_bands"]))
    new_keys = set(band_keys(rows["doc_signatures"][0]["signature"]))
    shared = {doc_id: len(new_keys & set(band_keys(story_rows(doc_id, text)["doc_signatures"][0]["signature"])))
              for doc_id, text in published.items()}
    ranked = sorted((d for d in shared if shared[d]), key=lambda d: (-shared[d], d))
    assert len(set(shared.values())) > 1  # the ranking is not decided by doc id alone
    pairs = candidate_pairs(con, "run-2", replace(STORY, max_band_candidates=cap))
    assert pairs == {"new": sorted(ranked[:cap])}


# (candidates of documents a, b, c, d in processing order, max candidates per chunk, expected chunks)
CHUNKS = [
    ({"a": ["p1", "p2"], "b": ["p3"], "c": ["p4"], "d": []}, 3, ["ab", "cd"]),
    ({"a": ["p1", "p2"], "b": ["p2"], "c": ["p1", "p3"], "d": ["p4"]}, 3, ["abc", "d"]),  # shared ones count once
    ({"a": ["p1", "p2", "p3", "p4"], "b": ["p5"], "c": [], "d": ["p6"]}, 2, ["a", "bcd"]),  # too many: alone
    ({"a": [], "b": [], "c": [], "d": []}, 1, ["abcd"]),
    ({"a": ["p1"], "b": ["p2"], "c": ["p3"], "d": ["p4"]}, 1, ["a", "b", "c", "d"]),
    ({"a": ["p1"], "b": ["p2"], "c": ["p3"], "d": ["p4"]}, 100, ["abcd"]),
]


@pytest.mark.parametrize(("pairs", "limit", "expected"), CHUNKS)
def test_chunks_hold_at_most_the_candidate_budget(pairs, limit, expected):
    from newsetl.extractors.stories import StoryDoc
    from newsetl.warehouse.stories import chunks

    ordered = [StoryDoc(doc_id=d, signature=[]) for d in "abcd"]
    got = ["".join(doc.doc_id for doc in chunk) for chunk in chunks(ordered, pairs, limit)]
    assert got == expected


def test_chunked_assignment_equals_assigning_the_whole_run_at_once(warehouse, texts):
    """Each chunk loads only its own documents' candidates; the outcome may not depend on the chunks."""
    from newsetl.extractors.stories import assign_stories
    from newsetl.warehouse.stories import assign_staged, candidates, new_docs

    original, same_topic, unrelated = texts
    con = warehouse
    staged = [("copy", header_footer(original.text), DAY0 + timedelta(hours=2), "Вестник", original.entity_surfaces),
              ("copy2", header_footer(original.text) + " Конец.", DAY0 + timedelta(hours=3), "Б", original.entity_surfaces),
              ("topic2", reworded(same_topic.text), DAY0 + timedelta(hours=4), "В", same_topic.entity_surfaces),
              ("other2", reworded(unrelated.text), DAY0 + timedelta(days=1), "Г", unrelated.entity_surfaces)]
    at_once = stage(con, "run-2", DAY0 + timedelta(days=1), staged)
    assert {a.doc_id for a in at_once} == {"copy", "copy2", "topic2", "other2"}
    assert at_once == assign_staged(con, "run-2", max_candidates=1) == assign_staged(con, "run-2", max_candidates=3)
    assert at_once == assign_stories(new_docs(con, "run-2"), candidates(con, "run-2"))
    by_doc = {a.doc_id: a for a in at_once}
    assert by_doc["copy"].story_id == story_of(con, "orig") and by_doc["copy2"].near_duplicate_of in ("orig", "copy")


def test_a_window_gathers_its_candidates_once_however_many_chunks(warehouse, texts, monkeypatch):
    """The chunks read the window's candidates from one temporary table, built once (one scan of the
    published mentions and documents per window, not per chunk) and dropped afterwards."""
    from newsetl.warehouse import stories

    original, same_topic, _ = texts
    stage(warehouse, "run-2", DAY0 + timedelta(days=1), [
        ("copy", header_footer(original.text), DAY0 + timedelta(hours=2), "Вестник", original.entity_surfaces),
        ("topic2", reworded(same_topic.text), DAY0 + timedelta(hours=4), "В", same_topic.entity_surfaces)])
    statements: list[str] = []
    real_read_sql = stories.read_sql
    monkeypatch.setattr(stories, "read_sql", lambda name: (statements.append(name), real_read_sql(name))[1])
    assignments = stories.assign_staged(warehouse, "run-2", max_candidates=1)
    assert [a.story_id for a in assignments] == [story_of(warehouse, "orig"), story_of(warehouse, "topic")]
    assert statements.count("dml/story_window.sql") == 1
    assert statements.count("dml/story_candidates.sql") == 2  # one chunk per staged document
    assert not warehouse.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'story_window'").fetchone()[0]


@pytest.mark.parametrize(("date_from", "date_to", "entity", "expected_sizes"), [
    (None, None, None, [1, 2, 1]),                      # newest last publication first
    (date(2026, 1, 21), None, None, [1]),
    (None, date(2026, 1, 20), None, [2, 1]),
    (None, None, "нет такой сущности", []),
])
def test_latest_stories_filters(warehouse, date_from, date_to, entity, expected_sizes):
    frame = latest_stories(warehouse, date_from, date_to, entity, limit=10)
    assert list(frame["n_docs"]) == expected_sizes


def test_latest_stories_by_entity(warehouse):
    name = warehouse.execute("SELECT top_entities[1] FROM v_stories WHERE story_id = ?",
                             [story_of(warehouse, "orig")]).fetchone()[0]
    frame = latest_stories(warehouse, None, None, name, limit=10)
    assert story_of(warehouse, "orig") in set(frame["story_id"])
    assert list(frame.columns) == ["story_id", "title", "n_docs", "n_sources", "sources", "first_published_at",
                                   "last_published_at", "top_entities"]


def test_audit_frames_have_every_suite_column_and_pass_their_flags(texts):
    from newsetl.schemas.suites import STORY_TABLES, SUITES
    from newsetl.warehouse.audit import audit_frames

    original, same_topic, _ = texts
    con = connect()
    stage(con, "run-1", DAY0, [("orig", original.text, DAY0, "ТАСС", original.entity_surfaces),
                               ("copy", header_footer(original.text), DAY0, "Вестник", original.entity_surfaces),
                               ("topic", same_topic.text, DAY0, "РИА", same_topic.entity_surfaces)])
    frames = audit_frames(con)
    for table, suite in ((t, SUITES[t]) for t in STORY_TABLES):
        columns = {name for check in suite.checks for key, kw in check.build[1].items() if key.startswith("column")
                   for name in (kw if isinstance(kw, list) else [kw])}
        assert columns <= set(frames[table].columns), table
    assert frames["doc_signatures"]["signature_length_ok"].all()
    assert frames["near_duplicates"][["not_self", "target_exists"]].all().all()
    assert len(frames["near_duplicates"]) == 1
    assert frames["story_documents"][["story_exists", "one_first_per_story"]].all().all()
    assert sorted(frames["stories"]["n_docs"]) == [1, 2]
