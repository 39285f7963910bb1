"""Near-duplicates and stories through the real ingest flow: copies made here from real texts."""
from __future__ import annotations

import json

import duckdb
import pytest

from conftest import ROOT

DEVSET = ROOT / "tests" / "data" / "factru-dev" / "documents.jsonl"


def devset_texts() -> list[str]:
    """The factRuEval texts with at least six paragraphs' worth of words."""
    lines = DEVSET.read_text(encoding="utf-8").splitlines()
    return [t for t in (json.loads(line)["text"] for line in lines) if len(t.split()) > 250]


def record(record_id: str, text: str, day: int, source: str, hour: int = 9) -> str:
    return json.dumps({"id": record_id, "text": text, "source": source, "title": f"Новость {record_id}",
                       "published_at": f"2026-03-{day:02d}T{hour:02d}:00:00"}, ensure_ascii=False) + "\n"


def with_header_footer(text: str, outlet: str = "Вестник") -> str:
    return f"Агентство «{outlet}» сообщает.\n\n" + text + "\n\nПодписывайтесь на наш канал."


def with_edited_sentence(text: str) -> str:
    first_stop = text.index(".") + 1
    return "По уточнённым данным, всё произошло именно так." + text[first_stop:]


@pytest.fixture(scope="module")
def story_runs(prefect_harness, tmp_path_factory):
    """Run 1: an original, two copies and an unrelated text; run 2: the same again plus a
    third copy published a day later."""
    from newsetl.flows.ingest import ingest

    original, unrelated = devset_texts()[:2]
    root = tmp_path_factory.mktemp("stories")
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "feed.jsonl").write_text(
        record("orig", original, 1, "ТАСС") + record("copy-header", with_header_footer(original), 1, "Вестник", hour=12)
        + record("copy-edit", with_edited_sentence(original), 2, "РИА") + record("other", unrelated, 1, "ТАСС"),
        encoding="utf-8")
    data_dir = root / "data"
    first = ingest(paths=[str(inbox)], data_dir=str(data_dir), workers=1)
    with duckdb.connect(str(data_dir / "newsetl.duckdb"), read_only=True) as con:
        before = con.execute("SELECT story_id, doc_id FROM v_story_documents ORDER BY doc_id").fetchall()
    (inbox / "later.jsonl").write_text(record("copy-later", with_header_footer(original, "Интерфакс"), 3, "Интерфакс"),
                                       encoding="utf-8")
    second = ingest(paths=[str(inbox)], data_dir=str(data_dir), workers=1)
    con = duckdb.connect(str(data_dir / "newsetl.duckdb"), read_only=True)
    yield {"first": first, "second": second, "before": before, "con": con}
    con.close()


def doc_ids(con, *source_ids: str) -> list[str]:
    rows = con.execute("SELECT doc_id FROM documents WHERE source_id IN (SELECT unnest(?)) ORDER BY source_id",
                       [list(source_ids)]).fetchall()
    return [r[0] for r in rows]


def story_of(con, source_id: str) -> str | None:
    row = con.execute("""SELECT sd.story_id FROM v_story_documents sd JOIN documents d USING (doc_id)
                         WHERE d.source_id = ?""", [source_id]).fetchone()
    return row[0] if row else None


def test_copies_join_the_original_and_stay_published(story_runs):
    con = story_runs["con"]
    assert story_runs["first"]["counts"]["new"] == 4  # near-duplicates are information, not rejects
    story = story_of(con, "orig")
    assert story is not None
    assert {story_of(con, s) for s in ("copy-header", "copy-edit", "copy-later")} == {story}
    assert story_of(con, "other") != story


def test_near_duplicates_name_their_original_with_a_similarity(story_runs):
    con = story_runs["con"]
    rows = con.execute("""SELECT d.source_id, o.source_id, n.similarity FROM near_duplicates n
                          JOIN documents d ON d.doc_id = n.doc_id JOIN documents o ON o.doc_id = n.near_duplicate_of
                          ORDER BY 1""").fetchall()
    by_copy = {copy: (original, similarity) for copy, original, similarity in rows}
    assert set(by_copy) == {"copy-edit", "copy-header", "copy-later"}
    assert all(0.5 <= similarity <= 1.0 for _, similarity in by_copy.values())
    assert "other" not in by_copy


def test_story_row_names_the_first_report_and_span(story_runs):
    con = story_runs["con"]
    story = story_of(con, "orig")
    n_docs, first, last = con.execute(
        "SELECT n_docs, first_published_at, last_published_at FROM v_stories WHERE story_id = ?", [story]).fetchone()
    assert n_docs == 4
    assert (first.day, last.day) == (1, 3)
    firsts = con.execute("SELECT d.source_id FROM story_documents(?) s JOIN documents d USING (doc_id) WHERE s.is_first",
                         [story]).fetchall()
    assert firsts == [("orig",)]


def test_rerun_keeps_story_ids_and_a_later_copy_joins(story_runs):
    con = story_runs["con"]
    before = dict((doc, story) for story, doc in story_runs["before"])
    after = dict(con.execute("SELECT doc_id, story_id FROM v_story_documents").fetchall())
    assert all(after[doc] == story for doc, story in before.items())
    assert story_runs["second"]["counts"]["new"] == 1 and story_runs["second"]["counts"]["unchanged"] == 4
