"""Tests for the Great Expectations audit step (newsetl.validation.runner + newsetl.schemas.suites).

Frames are built the way the warehouse hands them over: pandas 3 default dtypes
(``str`` strings, tz-aware timestamps, nullable booleans) or straight out of DuckDB.
"""
from __future__ import annotations

import gc
import json
import time
import warnings
import weakref
from datetime import datetime, timedelta, timezone

import duckdb
import pandas as pd
import pytest

from newsetl.validation import runner as quality
from newsetl.validation.runner import docs_index_path, validate_tables
from newsetl.schemas.suites import CRITICAL, SUITES, WARNING, Check, TableSuite, in_set, not_null, unique

HASH = "ab" * 32
PAST = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
FUTURE = datetime(2100, 1, 1, tzinfo=timezone.utc)


# --- row builders: one valid row per table, cases override fields -------------------


def document(doc_id: str, **overrides) -> dict:
    """A valid documents row; ``published_at_in_future`` is derived like the loader does."""
    row = {
        "doc_id": doc_id,
        "source_id": f"src/{doc_id}.txt",
        "source_uri": f"file:///in/{doc_id}.txt",
        "format": "txt",
        "text": "Москва, 1 марта. Текст новости.",
        "title": "Заголовок",
        "published_at": PAST,
        "published_at_evidence": "header",
        "language": "ru",
        "n_chars": 31,
        "n_words": 5,
        "content_hash": HASH,
    }
    row.update(overrides)
    return row


def documents_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with a UTC timestamp column and the precomputed future flag."""
    frame = pd.DataFrame(rows)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    frame["published_at_in_future"] = (frame["published_at"] > pd.Timestamp.now(tz="UTC")).astype("boolean")
    frame.loc[frame["published_at"].isna(), "published_at_in_future"] = pd.NA
    return frame


def mention(doc_id: str, char_start: int, **overrides) -> dict:
    """A valid mentions row starting at ``char_start``."""
    row = {
        "doc_id": doc_id,
        "entity_id": "PER:иванов",
        "type": "PER",
        "surface": "Иванова",
        "normal": "Иванов",
        "char_start": char_start,
        "char_end": char_start + 7,
        "offsets_in_text": True,
        "surface_matches_text": True,
        "entity_exists": True,
    }
    row.update(overrides)
    return row


def mentions_frame(rows: list[dict]) -> pd.DataFrame:
    """Mentions with nullable boolean flags, as DuckDB returns them."""
    frame = pd.DataFrame(rows)
    for flag in ("offsets_in_text", "surface_matches_text", "entity_exists"):
        frame[flag] = frame[flag].astype("boolean")
    return frame


def entity(entity_id: str, **overrides) -> dict:
    """A valid entities row."""
    row = {"entity_id": entity_id, "type": "ORG", "canonical_name": "Газпром", "n_docs": 2, "n_mentions": 3}
    row.update(overrides)
    return row


def acronym(doc_id: str, short_start: int, **overrides) -> dict:
    """A valid acronyms row."""
    row = {
        "doc_id": doc_id,
        "short_form": "СКБ",
        "long_form": "Совет коллективной безопасности",
        "entity_id": "ORG:скб",
        "short_start": short_start,
        "offsets_in_text": True,
    }
    row.update(overrides)
    return row


def ingest_run(run_id: str, **overrides) -> dict:
    """A valid ingest_runs row."""
    row = {"run_id": run_id, "n_units": 10, "n_documents": 9, "n_rejects": 1, "counts_balance": True}
    row.update(overrides)
    return row


def rows_by_check(report, table: str) -> dict[str, dict]:
    """The report's dq rows for ``table``, by check name."""
    return {row["check_name"]: row for row in report.rows() if row["table_name"] == table}


# --- documents ------------------------------------------------------------------------

DOCUMENT_CASES = [
    # (doc_id, overrides, failed critical checks)
    ("dup", {}, ["documents.doc_id_unique"]),
    ("empty-text", {"text": "", "n_chars": 0, "n_words": 0},
     ["documents.text_not_empty", "documents.n_chars_positive", "documents.n_words_positive"]),
    ("blank-text", {"text": " \n\t "}, ["documents.text_not_empty"]),
    ("null-text", {"text": None}, ["documents.text_not_null"]),
    ("future", {"published_at": FUTURE}, ["documents.published_at_not_in_future"]),
    ("pdf", {"format": "pdf"}, ["documents.format_known"]),
    ("bad-hash", {"content_hash": "ABC"}, ["documents.content_hash_is_sha256"]),
    ("no-evidence", {"published_at_evidence": "guess"}, ["documents.published_at_evidence_known"]),
    ("no-uri", {"source_uri": None}, ["documents.source_uri_not_null"]),
    # warnings only: never quarantined
    ("french", {"language": "fr"}, []),
    ("untitled", {"title": None}, []),
    ("undated", {"published_at": None, "published_at_evidence": "none"}, []),
]


# duckdb's .df() raises pandas' next-major deprecation warning (absent before pandas 3).
PANDAS_DEPRECATION = getattr(pd.errors, "Pandas4Warning", DeprecationWarning)


@pytest.fixture(scope="module")
def documents_report(tmp_path_factory):
    """One validation of good and bad documents (``dup`` appears twice)."""
    rows = [document("good")] + [document(doc_id, **overrides) for doc_id, overrides, _ in DOCUMENT_CASES]
    rows.append(document("dup"))
    frame = documents_frame(rows)
    data_dir = tmp_path_factory.mktemp("docs_data")
    untouched = frame.copy(deep=True)
    report = validate_tables({"documents": frame}, data_dir, "run-docs")
    pd.testing.assert_frame_equal(frame, untouched)  # the loader reuses the frame for quarantine
    return report, frame, data_dir


def test_documents_frame_uses_string_and_timestamp_dtypes(documents_report):
    _, frame, _ = documents_report
    assert pd.api.types.is_string_dtype(frame["doc_id"])
    assert isinstance(frame["published_at"].dtype, pd.DatetimeTZDtype)


def test_documents_failures_name_exact_rows_and_checks(documents_report):
    report, _, _ = documents_report
    expected = {(doc_id,): checks for doc_id, _, checks in DOCUMENT_CASES if checks}
    assert report.failures == {"documents": expected}
    assert report.success is False


def test_documents_warnings_are_reported_not_quarantined(documents_report):
    report, _, _ = documents_report
    assert report.warnings == ["documents.language_expected", "documents.title_not_null"]
    flagged = set(report.failures["documents"])
    assert {("french",), ("untitled",), ("undated",), ("good",)}.isdisjoint(flagged)
    language = rows_by_check(report, "documents")["documents.language_expected"]
    assert (language["severity"], language["success"], language["unexpected_count"]) == (WARNING, False, 1)
    assert json.loads(language["unexpected_sample"]) == [{"doc_id": "french"}]


def test_documents_dq_rows(documents_report):
    report, frame, _ = documents_report
    rows = rows_by_check(report, "documents")
    assert list(rows) == [check.name for check in SUITES["documents"].checks]
    unique = rows["documents.doc_id_unique"]
    assert unique == {
        "run_id": "run-docs",
        "table_name": "documents",
        "check_name": "documents.doc_id_unique",
        "expectation_type": "expect_column_values_to_be_unique",
        "severity": CRITICAL,
        "success": False,
        "unexpected_count": 2,
        "element_count": len(frame),
        "unexpected_sample": json.dumps([{"doc_id": "dup"}]),
        "validated_at": report.validated_at.replace(tzinfo=None),  # naive UTC for a TIMESTAMP column
    }
    assert rows["documents.doc_id_not_null"]["success"] is True
    assert rows["documents.doc_id_not_null"]["unexpected_sample"] == "[]"
    # column-type checks are table level on typed columns (no row count); on an object column
    # (pandas 2) GX checks each value's type and counts the rows that are not strings
    assert rows["documents.doc_id_is_str"]["success"] is True
    per_value = frame["doc_id"].dtype == object
    assert rows["documents.doc_id_is_str"]["unexpected_count"] == (0 if per_value else None)
    assert report.validated_at.tzinfo == timezone.utc
    assert abs(datetime.now(timezone.utc) - report.validated_at) < timedelta(minutes=5)


def test_documents_data_docs_built_under_data_dir(documents_report):
    report, _, data_dir = documents_report
    assert report.docs_index == docs_index_path(data_dir)
    assert report.docs_index.is_file()
    assert report.docs_index.is_relative_to(data_dir)
    assert "run-docs" in report.docs_index.read_text(encoding="utf-8")
    suite_page = report.docs_index.parent / "expectations" / "newsetl" / "documents.html"
    assert "documents.text_not_empty (critical)" in suite_page.read_text(encoding="utf-8")


def test_clean_documents_pass_silently(tmp_path, capfd):
    frame = documents_frame([document("a"), document("b", format="html", language="kk")])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = validate_tables({"documents": frame}, tmp_path, "run-clean")
    assert report.success is True
    assert report.failures == {"documents": {}}
    assert report.warnings == []
    assert all(row["success"] for row in report.rows())
    assert [str(w.message) for w in caught] == []
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # no progress bars, warnings or tracebacks


def test_context_keeps_progress_bars_and_analytics_off(tmp_path):
    validate_tables({"documents": documents_frame([document("a")])}, tmp_path, "run-cfg")
    config = (tmp_path / "gx" / "great_expectations.yml").read_text(encoding="utf-8")
    assert "analytics_enabled: false" in config
    assert "progress_bars:\n  globally: false\n  metric_calculations: false" in config


def test_documents_straight_from_duckdb(tmp_path):
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE staged (doc_id VARCHAR, source_uri VARCHAR, format VARCHAR, text VARCHAR, title VARCHAR,"
        " published_at TIMESTAMPTZ, published_at_evidence VARCHAR, language VARCHAR, n_chars INTEGER,"
        " n_words INTEGER, content_hash VARCHAR)"
    )
    con.execute(
        "INSERT INTO staged VALUES"
        " ('a', 'u', 'txt', 'Текст', 'T', TIMESTAMPTZ '2024-01-01 10:00:00+00', 'header', 'ru', 5, 1, ?),"
        " ('b', 'u', 'html', '', NULL, NULL, 'none', NULL, 0, 0, ?),"
        " ('c', 'u', 'jsonl', 'Текст', 'T', TIMESTAMPTZ '2999-01-01 00:00:00+00', 'jsonl_field', 'ru', 5, 1, ?)",
        [HASH, HASH, HASH],
    )
    query = "SELECT *, published_at > now() AS published_at_in_future FROM staged ORDER BY doc_id"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PANDAS_DEPRECATION)  # raised inside duckdb's .df()
        frame = con.sql(query).df()
    report = validate_tables({"documents": frame}, tmp_path, "run-duckdb")
    assert report.failures["documents"] == {
        ("b",): ["documents.text_not_empty", "documents.n_chars_positive", "documents.n_words_positive"],
        ("c",): ["documents.published_at_not_in_future"],
    }
    assert report.warnings == ["documents.title_not_null"]


def test_empty_staging_from_duckdb_passes(tmp_path):
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE stg_mentions (doc_id VARCHAR, entity_id VARCHAR, type VARCHAR, surface VARCHAR, normal VARCHAR,"
        " char_start INTEGER, char_end INTEGER, offsets_in_text BOOLEAN, surface_matches_text BOOLEAN,"
        " entity_exists BOOLEAN)"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PANDAS_DEPRECATION)
        frame = con.sql("SELECT * FROM stg_mentions").df()
    assert frame["doc_id"].dtype == object  # DuckDB hands empty VARCHAR columns over as object
    report = validate_tables({"mentions": frame}, tmp_path, "run-empty-duckdb")
    assert (report.success, report.warnings, report.failures) == (True, [], {"mentions": {}})


# --- mentions, entities, acronyms, ingest_runs ---------------------------------------

MENTION_CASES = [
    # (char_start, overrides, failed critical checks)
    (0, {}, []),
    (10, {"type": "MISC"}, ["mentions.type_known"]),
    (20, {"surface": ""}, ["mentions.surface_not_empty"]),
    (30, {"normal": None}, ["mentions.normal_not_null"]),
    (-1, {}, ["mentions.char_start_non_negative"]),
    (40, {"char_end": 40}, ["mentions.span_not_empty"]),
    (50, {"offsets_in_text": False, "surface_matches_text": False},
     ["mentions.offsets_in_text", "mentions.surface_matches_text"]),
    (60, {"surface_matches_text": None}, ["mentions.surface_matches_text_not_null"]),
    (70, {"entity_exists": False}, ["mentions.entity_exists"]),
]


def test_mentions_failures(tmp_path):
    rows = [mention("d1", start, **overrides) for start, overrides, _ in MENTION_CASES]
    frame = mentions_frame(rows)
    report = validate_tables({"mentions": frame}, tmp_path, "run-mentions")
    expected = {}
    for row, (_, _, checks) in zip(rows, MENTION_CASES):
        if checks:
            expected[("d1", row["char_start"], row["char_end"], row["type"])] = checks
    assert report.failures == {"mentions": expected}
    assert report.warnings == []
    span = rows_by_check(report, "mentions")["mentions.span_not_empty"]
    assert json.loads(span["unexpected_sample"]) == [
        {"doc_id": "d1", "char_start": 40, "char_end": 40, "type": "PER"}
    ]


def test_entities_failures_and_warnings(tmp_path):
    frame = pd.DataFrame([
        entity("ORG:газпром"),
        entity("ORG:dup"),
        entity("ORG:dup"),
        entity("MISC:x", type="MISC"),
        entity("ORG:blank", canonical_name="  "),
        entity("ORG:orphan", n_docs=0, n_mentions=0),
        entity("ORG:thin", n_docs=3, n_mentions=2),
    ])
    report = validate_tables({"entities": frame}, tmp_path, "run-entities")
    assert report.failures == {"entities": {
        ("ORG:dup",): ["entities.entity_id_unique"],
        ("MISC:x",): ["entities.type_known"],
        ("ORG:blank",): ["entities.canonical_name_not_empty"],
    }}
    assert report.warnings == ["entities.n_docs_positive", "entities.n_mentions_at_least_n_docs"]
    rows = rows_by_check(report, "entities")
    assert json.loads(rows["entities.n_mentions_at_least_n_docs"]["unexpected_sample"]) == [{"entity_id": "ORG:thin"}]


def test_acronyms_failures_and_warnings(tmp_path):
    frame = pd.DataFrame([
        acronym("d1", 5),
        acronym("d1", 50, short_form="G20"),
        acronym("d1", 80, short_form="Скб"),
        acronym("d2", 5, long_form=None),
        acronym("d2", 60, entity_id=None, offsets_in_text=False),
    ])
    report = validate_tables({"acronyms": frame}, tmp_path, "run-acronyms")
    assert report.failures == {"acronyms": {
        ("d2", 5): ["acronyms.long_form_not_null"],
        ("d2", 60): ["acronyms.entity_id_not_null", "acronyms.offsets_in_text"],
    }}
    assert report.warnings == ["acronyms.short_form_all_caps"]


def test_ingest_runs_count_identity(tmp_path):
    frame = pd.DataFrame([ingest_run("r1"), ingest_run("r2", n_rejects=5, counts_balance=False)])
    report = validate_tables({"ingest_runs": frame}, tmp_path, "run-ingest")
    assert report.failures == {"ingest_runs": {("r2",): ["ingest_runs.counts_balance"]}}


def test_empty_frames_and_unknown_tables(tmp_path):
    frames = {
        "documents": documents_frame([document("a")]).iloc[0:0],
        "mentions": mentions_frame([mention("d1", 0)]).iloc[0:0],
        "not_a_table": pd.DataFrame({"x": [1]}),
    }
    report = validate_tables(frames, tmp_path, "run-empty")
    assert report.success is True
    assert report.failures == {"documents": {}, "mentions": {}}
    rows = report.rows()
    assert {row["table_name"] for row in rows} == {"documents", "mentions"}
    assert len(rows) == len(SUITES["documents"].checks) + len(SUITES["mentions"].checks)
    assert {row["element_count"] for row in rows} == {0}


def test_missing_checked_column_fails_the_check_not_the_call(tmp_path):
    frame = mentions_frame([mention("d1", 0)]).drop(columns=["entity_exists"])
    report = validate_tables({"mentions": frame}, tmp_path, "run-missing")
    assert report.success is False
    assert set(report.errors) == {"mentions.entity_exists_not_null", "mentions.entity_exists"}
    assert "entity_exists" in report.errors["mentions.entity_exists"]
    assert report.failures == {"mentions": {}}


def test_missing_key_column_is_an_error(tmp_path):
    frame = pd.DataFrame([document("a")]).drop(columns=["doc_id"])
    with pytest.raises(ValueError, match="doc_id"):
        validate_tables({"documents": frame}, tmp_path, "run-nokey")


def test_second_call_on_same_data_dir_is_idempotent(tmp_path):
    frame = documents_frame([document("a"), document("a"), document("b", format="pdf")])
    first = validate_tables({"documents": frame}, tmp_path, "run-1")
    second = validate_tables({"documents": frame}, tmp_path, "run-2")
    assert first.failures == second.failures == {"documents": {
        ("a",): ["documents.doc_id_unique"],
        ("b",): ["documents.format_known"],
    }}
    assert [r["success"] for r in first.rows()] == [r["success"] for r in second.rows()]
    index = docs_index_path(tmp_path).read_text(encoding="utf-8")
    assert "run-1" in index and "run-2" in index
    suites_stored = list((tmp_path / "gx" / "expectations" / "newsetl").glob("*.json"))
    assert [p.name for p in suites_stored] == ["documents.json"]


def test_the_validated_frames_are_not_kept_after_the_call(tmp_path):
    """Great Expectations' engine caches every batch it validated; a window's rows must not stay."""
    frames = {"documents": documents_frame([document("a"), document("b")]),
              "mentions": mentions_frame([mention("a", 0), mention("b", 10)])}
    kept = [weakref.ref(frame) for frame in frames.values()]
    report = validate_tables(frames, tmp_path, "run-1")
    del frames
    gc.collect()
    assert report.success is True
    assert [ref() for ref in kept] == [None, None]


def test_data_docs_rebuilt_when_site_deleted(tmp_path):
    frame = documents_frame([document("a")])
    validate_tables({"documents": frame}, tmp_path, "run-1")
    index = docs_index_path(tmp_path)
    index.unlink()
    validate_tables({"documents": frame}, tmp_path, "run-2")
    text = index.read_text(encoding="utf-8")
    assert "run-1" in text and "run-2" in text


def test_data_docs_index_lists_the_results_of_the_kept_audits(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_DOCS_KEEP", "3")
    validate_tables({"documents": documents_frame([document("a")])}, tmp_path, "run-cfg")
    config = (tmp_path / "gx" / "great_expectations.yml").read_text(encoding="utf-8")
    assert f"validation_results_limit: {3 * len(SUITES)}" in config


# --- the registry -----------------------------------------------------------------------


def test_registry_names_and_row_level_critical_checks():
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )

    all_names = [check.name for suite in SUITES.values() for check in suite.checks]
    assert len(all_names) == len(set(all_names))
    for table, suite in SUITES.items():
        assert suite.table == table
        for check in suite.checks:
            assert check.name.startswith(f"{table}.")
            expectation = check.expectation()
            assert expectation.meta["check_name"] == check.name
            if check.severity == CRITICAL:  # quarantine needs the failing rows
                row_level = (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)
                assert isinstance(expectation, row_level), check.name


def test_a_suite_added_to_the_registry_is_validated(tmp_path, monkeypatch):
    import great_expectations as gx

    facts = TableSuite(
        table="facts",
        key_columns=["doc_id", "fact_start"],
        checks=[
            in_set("facts.kind_known", "kind", ["appointment", "career"]),
            Check("facts.person_not_null", CRITICAL, lambda: gx.expectations.ExpectColumnValuesToNotBeNull(column="person")),
        ],
    )
    monkeypatch.setitem(SUITES, "facts", facts)
    frame = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2"],
        "fact_start": [0, 40, 7],
        "kind": ["appointment", "birthday", "career"],
        "person": ["Иванов", "Петров", None],
    })
    report = validate_tables({"facts": frame}, tmp_path, "run-facts")
    assert report.failures == {"facts": {("d1", 40): ["facts.kind_known"], ("d2", 7): ["facts.person_not_null"]}}


def test_suite_definitions_reject_mistakes():
    with pytest.raises(ValueError, match="severity"):
        Check("documents.x", "fatal", ("ExpectColumnValuesToNotBeNull", {"column": "x"}))
    with pytest.raises(ValueError, match="duplicate"):
        TableSuite("t", ["id"], [not_null("t.id_not_null", "id"), unique("t.id_not_null", "id")])


# --- speed --------------------------------------------------------------------------------


def test_all_five_tables_with_1000_rows_timing(tmp_path):
    n = 1000
    frames = {
        "documents": documents_frame([document(f"doc{i}") for i in range(n)]),
        "mentions": mentions_frame([mention(f"doc{i // 5}", (i % 5) * 10) for i in range(n)]),
        "entities": pd.DataFrame([entity(f"ORG:{i}") for i in range(n)]),
        "acronyms": pd.DataFrame([acronym(f"doc{i}", 3) for i in range(n)]),
        "ingest_runs": pd.DataFrame([ingest_run(f"r{i}") for i in range(n)]),
    }
    validate_tables(frames, tmp_path, "run-warmup")  # first call pays for the GX import and site
    started = time.perf_counter()
    report = validate_tables(frames, tmp_path, "run-timed")
    elapsed = time.perf_counter() - started
    print(f"\nvalidate_tables: 5 tables x {n} rows, {len(report.rows())} checks in {elapsed:.2f} s")
    assert report.success is True
    assert elapsed < 30


# --- preparation in the background -----------------------------------------------------


def test_a_context_prepared_in_the_background_is_used_once_and_validates_the_same(tmp_path):
    frame = documents_frame([document("a"), document("a"), document("b", format="pdf")])
    quality.prepare_in_background(tmp_path / "prepared")
    pending = quality._PREPARING[str((tmp_path / "prepared").resolve())]
    with_prepared = validate_tables({"documents": frame}, tmp_path / "prepared", "run-1")
    assert pending.done() and str((tmp_path / "prepared").resolve()) not in quality._PREPARING
    without = validate_tables({"documents": frame}, tmp_path / "plain", "run-1")
    assert with_prepared.failures == without.failures == {"documents": {
        ("a",): ["documents.doc_id_unique"], ("b",): ["documents.format_known"]}}
    assert [r["success"] for r in with_prepared.rows()] == [r["success"] for r in without.rows()]
    stored = sorted(p.name for p in (tmp_path / "prepared" / "gx" / "expectations" / "newsetl").glob("*.json"))
    assert stored == sorted(f"{table}.json" for table in SUITES)  # the run's audit validates every table


def test_a_failed_background_preparation_fails_again_where_the_audit_can_report_it(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be")
    quality.prepare_in_background(blocked)
    with pytest.raises(OSError):
        validate_tables({"documents": documents_frame([document("a")])}, blocked, "run-1")
    assert str(blocked.resolve()) not in quality._PREPARING


def test_a_band_key_staged_twice_for_one_document_is_quarantined_by_its_pair(tmp_path):
    frame = pd.DataFrame({"band_key": [11, 11, 12, 11], "doc_id": ["a", "a", "a", "b"]})
    report = validate_tables({"doc_bands": frame}, tmp_path, "run-1")
    assert report.failures == {"doc_bands": {(11, "a"): ["doc_bands.band_key_doc_id_unique"]}}
    assert not report.success


def test_a_mention_key_staged_twice_is_quarantined(tmp_path):
    """The published record tables have no key constraint: the audit is what keeps their keys unique."""
    frame = mentions_frame([mention("d1", 0), mention("d1", 0), mention("d1", 0, type="ORG"), mention("d2", 0)])
    report = validate_tables({"mentions": frame}, tmp_path, "run-keys")
    assert report.failures == {"mentions": {("d1", 0, 7, "PER"): ["mentions.key_unique"]}}
    assert not report.success


def test_every_record_table_checks_its_key():
    from newsetl.schemas.suites import SUITES
    from newsetl.schemas.tables import RECORD_TABLES

    for name, table in RECORD_TABLES.items():
        keys = [check.build[1] for check in SUITES[name].checks
                if check.build[0] in ("ExpectCompoundColumnsToBeUnique", "ExpectColumnValuesToBeUnique")]
        whole_key = {"column_list": list(table.key_columns)}
        assert whole_key in keys or (len(table.key_columns) == 1 and {"column": table.key_columns[0]} in keys), name
