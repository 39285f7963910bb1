"""Listings that fit 80 columns, in three formats, NULL shown as empty; run-id prefixes; --version.

The warehouse mixes documents with a title, a source and a date and documents with none of them,
plus a malformed JSONL line, ingested through the Python entry point ``newsetl.ingest``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import newsetl
from newsetl.cli import app
from newsetl.warehouse.db import writer

runner = CliRunner()
RECORDS = [
    {"id": "dated", "title": "Совет директоров собрался", "published_at": "2026-01-20T10:00:00", "source": "Пример",
     "text": "Совет директоров утвердил годовой отчёт компании."},
    {"id": "bare-1", "text": "Совет ветеранов провёл встречу в доме культуры."},
    {"id": "bare-2", "text": "Совет молодёжи обсудил летний лагерь и совет старшеклассников."},
]
BROKEN_LINE = '{"id": "broken", "text": "unterminated\n'
NULL_SPELLINGS = ("nan", "NaN", "None", "NaT", "<NA>")


@pytest.fixture(scope="module")
def mixed(prefect_harness, tmp_path_factory):
    """(data_dir, summary) of one run over the mixed JSONL."""
    root = tmp_path_factory.mktemp("mixed")
    feed = root / "feed.jsonl"
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS) + BROKEN_LINE, encoding="utf-8")
    summary = newsetl.ingest([feed], data_dir=root / "data", workers=1)
    assert summary["counts"]["new"] == 3 and summary["counts"]["quarantined"] == 1, summary
    return root / "data", summary


def cli(data_dir, *args):
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.output


def shell(data_dir, *args, columns=80):
    """The command run as a user runs it, in a terminal ``columns`` wide."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_")}, "COLUMNS": str(columns)}
    done = subprocess.run([sys.executable, "-m", "newsetl", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, env=env, timeout=120)
    return done


def assert_no_null_spelling(text: str) -> None:
    words = set(text.replace(",", " ").replace("|", " ").split())
    assert not words & set(NULL_SPELLINGS), text


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_search_shows_documents_without_title_source_or_date(mixed, fmt):
    output = cli(mixed[0], "search", "совет", "--format", fmt, "--limit", "10")
    if fmt == "json":
        hits = json.loads(output)
        assert {h["title"] for h in hits} == {"Совет директоров собрался", None}
        assert sum(h["published_at"] is None and h["source"] is None for h in hits) == 2
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(output)))
        assert len(rows) == 3 and sorted(r["title"] for r in rows) == ["", "", "Совет директоров собрался"]
    else:
        assert output.count("(untitled)") == 2 and output.count("no date") == 2 and output.count("unknown source") == 2
        assert "2026-01-20" in output and "Пример" in output
    assert_no_null_spelling(output)


def test_sql_shows_null_as_empty_in_every_format(mixed):
    query = "select source_id, title, source, published_at, n_words from v_documents order by source_id"
    table = cli(mixed[0], "sql", query)
    assert_no_null_spelling(table)
    rows = list(csv.DictReader(io.StringIO(cli(mixed[0], "sql", query, "--format", "csv"))))
    assert [(r["source_id"], r["title"], r["published_at"]) for r in rows] == [
        ("bare-1", "", ""), ("bare-2", "", ""), ("dated", "Совет директоров собрался", "2026-01-20 10:00:00")]
    records = json.loads(cli(mixed[0], "sql", query, "--format", "json"))
    assert records[0]["title"] is None and records[0]["published_at"] is None
    assert records[2]["published_at"] == "2026-01-20T10:00:00"


def test_sql_keeps_integers_whole_next_to_nulls(mixed):
    query = "select source_id, CASE WHEN title IS NULL THEN NULL ELSE n_words END AS words from v_documents order by source_id"
    rows = list(csv.reader(io.StringIO(cli(mixed[0], "sql", query, "--format", "csv"))))
    assert rows[1:] == [["bare-1", ""], ["bare-2", ""], ["dated", "6"]]


def test_runs_fit_80_columns_with_the_run_id_whole(mixed):
    data_dir, summary = mixed
    done = shell(data_dir, "runs")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), done.stdout
    assert any(line.startswith(summary["run_id"] + " ") for line in lines)
    assert_no_null_spelling(done.stdout)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_runs_in_csv_and_json_have_every_column(mixed, fmt):
    data_dir, summary = mixed
    output = cli(data_dir, "runs", "--format", fmt)
    rows = json.loads(output) if fmt == "json" else list(csv.DictReader(io.StringIO(output)))
    assert rows[0]["run_id"] == summary["run_id"]
    assert str(rows[0]["quarantined"]) == "1" and "documents.title_not_null" in rows[0]["warnings"]


def test_quarantine_fits_and_says_each_thing_once(mixed):
    data_dir, summary = mixed
    done = shell(data_dir, "quarantine", "--run", summary["run_id"][:6])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), done.stdout
    row = next(line for line in lines if line.startswith(summary["run_id"]))
    assert row.count("feed.jsonl") == 1 and "malformed_jsonl" in row
    assert "at at" not in done.stdout


def test_quarantine_json_has_the_plain_message(mixed):
    data_dir, summary = mixed
    rows = json.loads(cli(data_dir, "quarantine", "--format", "json", "--run", summary["run_id"]))
    assert len(rows) == 1 and rows[0]["reason_code"] == "malformed_jsonl"
    assert rows[0]["source_uri"] not in rows[0]["message"] and rows[0]["message"].startswith("line 4")


def test_export_csv_writes_nulls_as_empty_fields(mixed, tmp_path):
    cli(mixed[0], "export", "csv", str(tmp_path / "out"))
    rows = {r["source_id"]: r for r in csv.DictReader((tmp_path / "out" / "documents.csv").open(encoding="utf-8"))}
    assert rows["bare-1"]["title"] == "" and rows["bare-1"]["published_at"] == ""
    assert rows["dated"]["title"] == "Совет директоров собрался"


@pytest.fixture()
def two_runs(tmp_path):
    """A warehouse with runs abc1… and abc2…, one without a finish time."""
    data_dir = tmp_path / "data"
    with writer(data_dir / "newsetl.duckdb") as con:
        con.execute("""INSERT INTO ingest_runs (run_id, started_at, finished_at, status, inputs) VALUES
                       ('abc1000000000000', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:00:05', 'completed', ['a']),
                       ('abc2000000000000', TIMESTAMP '2026-01-02 10:00:00', NULL, 'running', ['b'])""")
    return data_dir


@pytest.mark.parametrize("prefix, message", [("abc", "ambiguous"), ("zzz", "no run id starts with 'zzz'")])
def test_a_run_prefix_must_name_exactly_one_run(two_runs, prefix, message):
    result = runner.invoke(app, ["quarantine", "--run", prefix, "--data-dir", str(two_runs)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    if prefix == "abc":
        assert "abc1000000000000" in lines[0] and "abc2000000000000" in lines[0]


def test_a_unique_prefix_resolves_and_a_running_run_shows_empty_cells(two_runs):
    result = runner.invoke(app, ["quarantine", "--run", "abc2", "--data-dir", str(two_runs)])
    assert result.exit_code == 0 and "nothing quarantined" in result.output
    done = shell(two_runs, "runs")
    assert done.returncode == 0, done.stderr
    running = next(line for line in done.stdout.splitlines() if line.startswith("abc2000000000000"))
    assert "running" in running
    assert_no_null_spelling(done.stdout)


def test_version_and_choices_in_help():
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output.startswith("newsetl ")
    for command, choices in (("runs", "table|csv|json"), ("sql", "table|csv|json"), ("export", "parquet|csv")):
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert choices in result.output, result.output
