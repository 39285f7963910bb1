"""The search index: BM25 tables kept in step with ``documents``, exact against DuckDB's fts extension.

Documents are published here straight into ``documents`` (the flow's publish does the same: delete
the old row, insert the new one), so each test controls exactly what the index has to follow.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from newsetl.extractors.documents.html import clean_html
from newsetl.extractors.documents.plaintext import parse_plaintext
from newsetl.warehouse import search
from newsetl.warehouse.db import reader, writer

ROOT = Path(__file__).resolve().parents[2]
FACTRU = ROOT / "tests" / "data" / "factru-dev" / "documents.jsonl"
FTS_PRAGMA = ("PRAGMA create_fts_index('documents', 'doc_id', 'title', 'text', stemmer='russian', "
              "stopwords='none', strip_accents=0, lower=1, ignore='(\\.|[^a-zа-яё0-9])+', overwrite=1)")
QUERIES = ["президент россии", "послужного списка", "Москва", "министерство обороны", "2015 год",
           "e-mail т.е. ёлка", "ОДКБ генеральный секретарь", "снегопады в горах", "нет-такого-слова-вовсе"]
# Texts whose tokens test the edges of the tokenizer: case, ё, digits, Latin, dots, hyphens, no tokens at all.
EDGE_DOCS = [
    ("edge-case", "ЁЛКА и Ёж", "Ёлка, ёлки; ЕЛКА. Т.е. e-mail: INFO@example.com, 3.14 и 2026-01-29!"),
    ("edge-latin", "Mixed Ћирилица café", "NATO и НАТО — naïve «кавычки» CO2 №5"),
    ("edge-empty", None, "— … !!! ***"),
    ("edge-repeats", "список", "список списка списку списком списке списки списков"),
]


N_SAMPLES = 6  # the corpus starts with the two seed texts and the four sample pages


@functools.lru_cache(maxsize=1)
def corpus() -> tuple[tuple[str, str | None, str], ...]:
    """(doc_id, title, text): the samples, the factRuEval texts and an edited, titled copy of each, edge texts."""
    docs = []
    for path in sorted((ROOT / "samples" / "seeds").glob("*.txt")):
        parsed = parse_plaintext(path.read_text(encoding="utf-8"))
        docs.append((f"seed-{path.stem}", parsed.title, parsed.body))
    for path in sorted((ROOT / "samples" / "html").glob("*.html")):
        page = clean_html(path.read_text(encoding="utf-8"))
        docs.append((f"html-{path.stem}", page.title, page.body))
    records = [json.loads(line) for line in FACTRU.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs += [(f"factru-{r['id']}", None, r["text"]) for r in records]
    docs += [(f"factru-{r['id']}-copy", f"Заметка {n}: {r['text'][:40]}", f"{r['text']}\nВыпуск {n}. Москва.")
             for n, r in enumerate(records)]
    return tuple(docs + EDGE_DOCS)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """A connection to a warehouse holding the whole corpus, indexed both by refresh_index and by the fts extension."""
    with writer(tmp_path_factory.mktemp("search") / "warehouse.duckdb") as connection:
        publish(connection, corpus())
        assert search.refresh_index(connection) == len(corpus())
        connection.execute(FTS_PRAGMA)
        yield connection


@pytest.fixture
def con(tmp_path):
    """A write connection to a new, empty warehouse."""
    with writer(tmp_path / "warehouse.duckdb") as connection:
        yield connection


def publish(con, docs) -> None:
    """Publish ``(doc_id, title, text)`` rows as the flow does: the old row goes, the new one comes in."""
    rows = [{"doc_id": d, "title": t, "text": x} for d, t, x in docs]
    if not rows:
        return
    unpublish(con, [r["doc_id"] for r in rows])
    con.execute(
        """INSERT INTO documents (doc_id, source_id, source_uri, format, raw_hash, content_hash, title,
                                  published_at_evidence, text, n_chars, n_words, extractor_version,
                                  first_seen_run, last_seen_run)
           SELECT doc_id, doc_id, doc_id, 'jsonl', md5(text), sha256(text), title, 'none', text,
                  length(text), 0, 'test', 'run', 'run'
           FROM (SELECT unnest($rows, recursive := true))""",
        {"rows": rows},
    )


def unpublish(con, doc_ids) -> None:
    """Remove documents from ``documents``."""
    con.execute("DELETE FROM documents WHERE list_contains($ids, doc_id)", {"ids": list(doc_ids)})


def scores(con, query: str) -> dict[str, float]:
    """Unrounded BM25 scores of the search tables."""
    return dict(con.execute("SELECT doc_id, score FROM search_bm25(?)", [query]).fetchall())


def fts_scores(con, query: str, build: bool = True) -> dict[str, float]:
    """Scores of the fts extension's ``match_bm25`` over the same documents (its index built first unless ``build`` is false)."""
    if build:
        con.execute(FTS_PRAGMA)
    return dict(con.execute(
        "SELECT doc_id, s FROM (SELECT doc_id, fts_main_documents.match_bm25(doc_id, ?) AS s FROM documents) WHERE s IS NOT NULL",
        [query]).fetchall())


def index_state(con) -> tuple[list, list]:
    """What the index holds, independent of doc_no: postings by doc_id, and each document's length and version."""
    postings = con.execute("SELECT doc_id, term, tf FROM v_search_postings ORDER BY ALL").fetchall()
    docs = con.execute("SELECT doc_id, n_terms, version_key FROM search_docs ORDER BY ALL").fetchall()
    return postings, docs


def assert_same_scores(got: dict[str, float], expected: dict[str, float]) -> None:
    assert set(got) == set(expected)
    assert all(abs(got[d] - expected[d]) < 1e-6 for d in expected), {d: (got[d], expected[d]) for d in expected}


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_the_fts_extension(indexed, query):
    expected = fts_scores(indexed, query, build=False)
    assert_same_scores(scores(indexed, query), expected)
    if query != "нет-такого-слова-вовсе":
        assert expected, "the query must match something for the comparison to mean anything"


def test_document_lengths_and_corpus_size_equal_the_fts_extension(indexed):
    theirs = indexed.execute("SELECT name, len FROM fts_main_documents.docs ORDER BY name").fetchall()
    ours = indexed.execute("SELECT doc_id, n_terms FROM search_docs ORDER BY doc_id").fetchall()
    assert ours == theirs
    assert dict(ours)["edge-empty"] == 0


BASE = 200
# Changes made to a warehouse whose first BASE corpus documents are indexed: (name, publish, unpublish).
CHANGES = [
    ("insert", lambda docs: docs[BASE:BASE + 60], lambda docs: []),
    ("update_text", lambda docs: [(d, t, x + "\nДобавлено: министерство обороны сообщило.") for d, t, x in docs[:20]],
     lambda docs: []),
    ("update_title", lambda docs: [(d, f"Новый заголовок {d}", x) for d, t, x in docs[20:30]], lambda docs: []),
    ("delete", lambda docs: [], lambda docs: [d for d, _, _ in docs[30:45]]),
    ("mixed", lambda docs: docs[BASE:] + [(d, t, x.replace("а", "о", 3)) for d, t, x in docs[50:70]],
     lambda docs: [d for d, _, _ in docs[:10]]),
]


@pytest.mark.parametrize("name, changed, removed", CHANGES, ids=[c[0] for c in CHANGES])
def test_incremental_refresh_equals_full_rebuild(con, name, changed, removed):
    docs = list(corpus())
    publish(con, docs[:BASE])
    search.refresh_index(con)
    publish(con, changed(docs))
    unpublish(con, removed(docs))
    assert not search.index_is_current(con)

    assert search.refresh_index(con) == len(changed(docs)) + len(removed(docs))
    assert search.index_is_current(con)
    incremental_state, incremental_scores = index_state(con), {q: scores(con, q) for q in QUERIES}
    assert search.reindex_all(con) == con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert index_state(con) == incremental_state
    for query in QUERIES:  # sums of floats may differ in the last bit with the order of addition
        assert_same_scores(scores(con, query), incremental_scores[query])
    query = " ".join(QUERIES[:4])
    assert_same_scores(scores(con, query), fts_scores(con, query))


def stage_published(con, doc_ids) -> None:
    """Put the published rows of ``doc_ids`` into ``stg_documents``, as publish has them when it indexes."""
    con.execute("DELETE FROM stg_documents")
    con.execute("INSERT INTO stg_documents BY NAME SELECT * FROM documents WHERE list_contains($ids, doc_id)",
                {"ids": list(doc_ids)})


@pytest.mark.parametrize("name, changed", [("insert", CHANGES[0][1]), ("update_text", CHANGES[1][1]),
                                           ("update_title", CHANGES[2][1])])
def test_indexing_from_staging_equals_a_rebuild_from_documents(con, name, changed):
    docs = list(corpus())
    publish(con, docs[:BASE])
    search.refresh_index(con)
    window = changed(docs)
    publish(con, window)
    stage_published(con, [d for d, _, _ in window])
    blank = "SET text = 'не индексировать', title = NULL WHERE doc_id IN (SELECT doc_id FROM stg_documents)"
    con.execute("UPDATE documents " + blank)  # the published text must not be read

    assert search.index_documents(con, [d for d, _, _ in window], from_staging=True) == len(window)
    from_staging = index_state(con)
    con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM stg_documents)")
    con.execute("INSERT INTO documents BY NAME SELECT * FROM stg_documents")
    search.reindex_all(con)
    assert from_staging == index_state(con)
    assert search.index_is_current(con)


def test_refresh_with_nothing_changed_does_nothing(con):
    publish(con, corpus()[:50])
    search.refresh_index(con)
    before = index_state(con)
    assert search.refresh_index(con) == 0
    assert index_state(con) == before


def test_index_and_unindex_touch_exactly_the_given_documents(con):
    docs = list(corpus()[:5])
    publish(con, docs)
    assert search.index_documents(con, [docs[0][0], docs[1][0]]) == 2
    assert {r[0] for r in con.execute("SELECT doc_id FROM search_docs").fetchall()} == {docs[0][0], docs[1][0]}
    assert sorted(r[0] for r in con.execute("SELECT doc_id FROM v_search_stale").fetchall()) == sorted(d for d, _, _ in docs[2:])

    assert search.index_documents(con, [docs[0][0]]) == 1  # reindexing replaces, never duplicates
    assert con.execute("SELECT count(*), count(DISTINCT doc_id) FROM search_docs").fetchone() == (2, 2)

    search.unindex_documents(con, [docs[1][0]])
    assert [r[0] for r in con.execute("SELECT doc_id FROM search_docs").fetchall()] == [docs[0][0]]

    unpublish(con, [docs[0][0]])
    search.index_documents(con, [docs[0][0]])  # no longer published: its entry goes
    assert con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM search_postings").fetchone()[0] == 0


def test_publish_without_index_refresh_is_repaired_by_the_next_refresh(con):
    """A run killed between publish and the index refresh: the next refresh finds what is missing,
    though that run itself changes no document."""
    publish(con, corpus()[:20])
    search.refresh_index(con)
    late = ("killed-run", "Сводка погоды", "Метеорологи предупредили о сильных снегопадах в горах.")
    publish(con, [late])  # ...and the process dies here
    assert search.search(con, "снегопады").empty
    assert not search.index_is_current(con)

    assert search.refresh_index(con) == 1
    assert list(search.search(con, "снегопады")["doc_id"]) == ["killed-run"]
    assert search.index_is_current(con)


def test_an_interrupted_refresh_changes_nothing_and_the_next_one_repairs(con, monkeypatch):
    docs = list(corpus()[:30])
    publish(con, docs[:20])
    search.refresh_index(con)
    before = index_state(con)
    publish(con, docs[20:] + [(d, t, x + " Обновлено.") for d, t, x in docs[:5]])
    real_read_dml = search.read_dml

    def dies_before_indexing(name: str) -> str:
        if name == "search_index":  # old entries were already deleted in this transaction
            raise KeyboardInterrupt("killed")
        return real_read_dml(name)

    monkeypatch.setattr(search, "read_dml", dies_before_indexing)
    with pytest.raises(KeyboardInterrupt):
        search.refresh_index(con)
    assert index_state(con) == before
    monkeypatch.setattr(search, "read_dml", real_read_dml)
    assert search.refresh_index(con) == 15
    assert search.index_is_current(con)


@pytest.mark.parametrize("query", ["послужного списка", "послужной список", "ПОСЛУЖНЫМ СПИСКОМ", "послужные списки"])
def test_stemming_finds_inflected_forms(con, query):
    publish(con, corpus()[:N_SAMPLES])
    search.refresh_index(con)
    hits = search.search(con, query)
    assert hits.iloc[0]["doc_id"] == "seed-000_2c1546299e15fb88"  # «У нашей Организации хороший послужной список»
    assert hits.iloc[0]["score"] > 0
    assert "[послужной]" in hits.iloc[0]["snippet"].lower()  # Snowball stems «список» and «списка» apart


SEARCH_COLUMNS = ["doc_id", "title", "published_at", "source", "language", "score", "text"]


def test_the_search_macro_answers_on_an_empty_warehouse(tmp_path):
    path = tmp_path / "empty.duckdb"
    with writer(path) as con:
        described = con.execute(
            "DESCRIBE SELECT * FROM search_documents('что угодно', NULL, NULL, NULL, NULL, NULL)").fetchall()
        assert [row[0] for row in described] == SEARCH_COLUMNS
        assert search.index_is_current(con)
    with reader(path) as con:
        assert con.execute("SELECT count(*) FROM search_documents('что угодно', NULL, NULL, NULL, NULL, NULL)").fetchone() == (0,)
        assert search.search(con, "что угодно").empty


def test_search_documents_ranks_by_the_rounded_score(indexed):
    rows = indexed.execute(
        "SELECT doc_id, score FROM search_documents('министерство обороны', NULL, NULL, NULL, NULL, NULL)").fetchall()
    exact = scores(indexed, "министерство обороны")
    assert [d for d, _ in rows] == sorted(exact, key=lambda d: (-round(exact[d], 4), d))
    assert all(score == round(exact[d], 4) for d, score in rows)
