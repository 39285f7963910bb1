"""Querying the warehouse: full-text search, the read-only SQL command, exports, reads during writes."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from newsetl.cli import app
from newsetl.warehouse.db import reader
from newsetl.warehouse.search import SearchFilters, search

INTERVIEW_SOURCE = "seeds/000_2c1546299e15fb88.txt"
runner = CliRunner()


def cli(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def doc_id_of(warehouse, source_id: str) -> str:
    with reader(warehouse) as con:
        return con.execute("SELECT doc_id FROM documents WHERE source_id = ?", [source_id]).fetchone()[0]


@pytest.mark.parametrize("query", ["послужной список", "послужного списка", "ПОСЛУЖНЫМ СПИСКОМ"])
def test_search_finds_the_interview_by_inflected_forms(sample_warehouse, query):
    _, warehouse = sample_warehouse
    with reader(warehouse) as con:
        hits = search(con, query)
    assert hits.iloc[0]["doc_id"] == doc_id_of(warehouse, INTERVIEW_SOURCE)
    assert hits.iloc[0]["score"] > 0
    assert "[послужной]" in hits.iloc[0]["snippet"].lower() or "[послужной" in hits.iloc[0]["snippet"].lower()


@pytest.mark.parametrize(
    "filters, expect_interview",
    [
        (SearchFilters(date_from=date(2026, 1, 1)), True),
        (SearchFilters(date_to=date(2025, 12, 31)), False),
        (SearchFilters(source="centrasia.org"), True),
        (SearchFilters(source="wday.ru"), False),
        (SearchFilters(language="ru"), True),
        (SearchFilters(language="en"), False),
        (SearchFilters(entity="ОДКБ"), True),
        (SearchFilters(entity="Организация Договора о коллективной безопасности"), True),
        (SearchFilters(entity="Instagram"), False),
    ],
)
def test_filters_narrow_the_results(sample_warehouse, filters, expect_interview):
    _, warehouse = sample_warehouse
    interview = doc_id_of(warehouse, INTERVIEW_SOURCE)
    with reader(warehouse) as con:
        everything = set(search(con, "организация", limit=100)["doc_id"])
        narrowed = set(search(con, "организация", filters, limit=100)["doc_id"])
    assert narrowed <= everything
    assert (interview in narrowed) is expect_interview


def test_date_filter_excludes_documents_without_dates_and_outside_range(sample_warehouse):
    _, warehouse = sample_warehouse
    with reader(warehouse) as con:
        hits = search(con, "организация", SearchFilters(date_from=date(2026, 1, 1)), limit=100)
        dates = con.execute("SELECT doc_id, published_at FROM documents").fetchall()
    published = dict(dates)
    assert len(hits) >= 1
    assert all(published[d] is not None and published[d].year >= 2026 for d in hits["doc_id"])


HOSTILE = ["'; drop table documents; --", '"послужной" OR 1=1', "\\'\\\"", "список " * 20000, "", "%_*"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_harmless(sample_warehouse, query):
    data_dir, warehouse = sample_warehouse
    with reader(warehouse) as con:
        before = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    result = cli("search", query, "--data-dir", str(data_dir), "--source", "x' OR '1'='1")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "no matches" in result.output  # the hostile source filter matches nothing
    with reader(warehouse) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == before


def test_cli_search_prints_title_date_source_and_snippet(sample_warehouse):
    data_dir, _ = sample_warehouse
    result = cli("search", "послужного списка", "--from", "2026-01-01", "--entity", "ОДКБ", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    assert "У нашей Организации хороший послужной список" in result.output
    assert "2026-01-29" in result.output and "centrasia.org" in result.output


def test_sql_command_formats(sample_warehouse):
    data_dir, _ = sample_warehouse
    query = "select canonical_name, n_docs from entities where canonical_name = 'Таалатбек Масадыков'"
    as_json = cli("sql", query, "--format", "json", "--data-dir", str(data_dir))
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == [{"canonical_name": "Таалатбек Масадыков", "n_docs": 2}]
    as_csv = cli("sql", query, "--format", "csv", "--data-dir", str(data_dir))
    assert as_csv.output.splitlines() == ["canonical_name,n_docs", "Таалатбек Масадыков,2"]


def test_sql_command_reads_from_a_file(sample_warehouse, tmp_path):
    data_dir, _ = sample_warehouse
    query_file = tmp_path / "q.sql"
    query_file.write_text("select count(*) as n from v_documents where language = 'ru'", encoding="utf-8")
    result = cli("sql", "--file", str(query_file), "--format", "csv", "--data-dir", str(data_dir))
    assert result.output.splitlines() == ["n", "6"]


def test_sql_command_is_read_only(sample_warehouse):
    data_dir, warehouse = sample_warehouse
    result = cli("sql", "drop table documents", "--data-dir", str(data_dir))
    assert result.exit_code == 1
    assert "read-only" in result.output.lower() and "Traceback" not in result.output
    with reader(warehouse) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 6


@pytest.mark.parametrize(
    "query, message",
    [("", "empty"), ("   ", "empty"), ("select nonsense from nowhere", "nowhere"),
     ("copy (select 42) to '/tmp/newsetl-should-not-exist.csv'", "disabled"),
     ("select * from read_text('/etc/hostname')", "disabled")],
)
def test_sql_command_refuses_bad_or_outside_queries_in_one_line(sample_warehouse, query, message):
    data_dir, _ = sample_warehouse
    result = cli("sql", query, "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in result.output.lower()
    assert not Path("/tmp/newsetl-should-not-exist.csv").exists()


def test_sql_output_shows_brackets_literally(sample_warehouse):
    data_dir, _ = sample_warehouse
    result = cli("sql", "select '[/x] [bold]' as odd", "--data-dir", str(data_dir))
    assert result.exit_code == 0 and "[/x] [bold]" in result.output


def test_export_to_a_file_path_is_a_one_line_error(sample_warehouse, tmp_path):
    data_dir, _ = sample_warehouse
    target = tmp_path / "taken"
    target.write_text("a file, not a folder")
    result = cli("export", "csv", str(target), "--data-dir", str(data_dir))
    assert result.exit_code == 1 and "cannot export" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_round_trips_row_counts(sample_warehouse, tmp_path, fmt):
    data_dir, warehouse = sample_warehouse
    result = cli("export", fmt, str(tmp_path / "out"), "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    with reader(warehouse) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name NOT LIKE 'stg_%'").fetchall()]
        expected = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    assert {"documents", "mentions", "entities", "ingest_runs", "quarantine"} <= set(expected)
    reader_fn = "read_parquet" if fmt == "parquet" else "read_csv_auto"
    fresh = duckdb.connect()
    for table, n in expected.items():
        path = tmp_path / "out" / f"{table}.{fmt}"
        assert fresh.execute(f"SELECT count(*) FROM {reader_fn}(?)", [str(path)]).fetchone()[0] == n, table
    if fmt == "parquet":
        described = fresh.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(tmp_path / "out" / "documents.parquet")]).fetchall()
        types = {row[0]: row[1] for row in described}
        assert types["published_at"] == "TIMESTAMP" and types["n_words"] == "INTEGER"


def test_new_document_is_searchable_right_after_ingest(prefect_harness, tmp_path):
    from newsetl.flows.ingest import ingest

    data_dir = tmp_path / "data"
    first = tmp_path / "first.jsonl"
    first.write_text(json.dumps({"id": "a", "text": "Совет директоров утвердил годовой отчёт компании."}, ensure_ascii=False), encoding="utf-8")
    ingest(paths=[str(first)], data_dir=str(data_dir), workers=1)
    second = tmp_path / "second.jsonl"
    second.write_text(json.dumps({"id": "b", "text": "Метеорологи предупредили о сильных снегопадах в горах."}, ensure_ascii=False), encoding="utf-8")
    summary = ingest(paths=[str(second)], data_dir=str(data_dir), workers=1)
    warehouse = Path(summary["warehouse"])
    with reader(warehouse) as con:
        hits = search(con, "снегопад")
    assert list(hits["doc_id"]) == [doc_id_of(warehouse, "b")]


def test_search_while_a_writer_holds_the_warehouse_answers_or_says_busy(sample_warehouse):
    data_dir, warehouse = sample_warehouse
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(warehouse)!r})
            print("locked", flush=True)
            time.sleep(6)
            con.close()
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        busy = subprocess.run(
            [sys.executable, "-m", "newsetl", "search", "послужной список", "--data-dir", str(data_dir)],
            capture_output=True, text=True, env={**_env(), "NEWSETL_LOCK_WAIT": "1"},
        )
        assert busy.returncode == 3
        assert "busy" in busy.stderr and "retry" in busy.stderr
        assert "Traceback" not in busy.stderr + busy.stdout
        assert len(busy.stderr.strip().splitlines()) == 1
        waited = subprocess.run(
            [sys.executable, "-m", "newsetl", "search", "послужной список", "--data-dir", str(data_dir)],
            capture_output=True, text=True, env={**_env(), "NEWSETL_LOCK_WAIT": "30"},
        )
        assert waited.returncode == 0, waited.stderr
        assert "У нашей Организации хороший послужной список" in waited.stdout
    finally:
        holder.wait(timeout=30)
    with reader(warehouse) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 6


def _env() -> dict:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_")}
