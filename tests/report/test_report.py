"""The HTML report: built read-only from the warehouse, self-contained, right on an empty warehouse."""
from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from newsetl.cli import app
from newsetl.config import resolve_settings
from newsetl.report.build import build_report
from newsetl.warehouse.db import reader, writer
from newsetl.warehouse.report import RUNS_SHOWN, TOP_N, report_frames

runner = CliRunner()
REMOTE = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def sample_report(sample_warehouse, tmp_path_factory):
    """The report of the samples' warehouse, as text, with the facts it should show."""
    data_dir, warehouse = sample_warehouse
    out = tmp_path_factory.mktemp("report") / "report.html"
    path = build_report(resolve_settings(data_dir, warehouse), out=out)
    with reader(warehouse) as con:
        run_id, = con.execute("SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1").fetchone()
        n_docs, = con.execute("SELECT count(*) FROM documents").fetchone()
        top_entity, = con.execute("SELECT canonical_name FROM v_entities ORDER BY n_docs DESC, n_mentions DESC LIMIT 1").fetchone()
    return path.read_text(encoding="utf-8"), run_id, n_docs, top_entity


def test_report_shows_the_run_the_documents_and_the_top_entity(sample_report):
    page, run_id, n_docs, top_entity = sample_report
    assert run_id in page
    assert re.search(rf"<span class=\"muted\">documents</span><b>{n_docs}</b>", page)
    assert top_entity in page
    for heading in ("Latest run", "Run history", "Validation", "Quarantine", "What the warehouse holds",
                    "v_positions", "v_events_by_month", "file size"):
        assert heading in page, heading


def test_report_is_self_contained(sample_report):
    page = sample_report[0]
    assert not REMOTE.search(page), REMOTE.search(page).group(0)
    assert page.count("<script") >= 2 and "Plotly.newPlot" in page  # plotly.js itself is inline


def test_validation_section_separates_warnings_from_critical_failures(sample_report):
    page = sample_report[0]
    section = page.split('id="validation"')[1].split("</section>")[0]
    critical, warnings = section.split("Critical failures")[1].split("Warnings</span>")
    assert "documents.title_not_null" in warnings and "documents.title_not_null" not in critical
    assert "Data Docs</a>" in section  # each table links to its validation page


def test_report_of_an_empty_warehouse_says_so(tmp_path):
    settings = resolve_settings(tmp_path)
    with writer(settings.warehouse):
        pass
    page = build_report(settings).read_text(encoding="utf-8")
    assert "No run yet" in page and "Nothing has been quarantined" in page and "No validation results yet" in page
    assert "Plotly.newPlot" not in page  # no empty charts


def test_the_report_lists_the_largest_stories_first(tmp_path):
    settings = resolve_settings(tmp_path)
    with writer(settings.warehouse) as con:
        for size in range(1, TOP_N + 6):
            con.execute("""INSERT INTO stories VALUES (?, ?, ?, TIMESTAMP '2026-01-01', TIMESTAMP '2026-01-02',
                           ?, 1, ['e-ОДКБ'], 'r1', 'r1')""", [f"story-{size:02d}", f"d{size}", f"d{size}", size])
            con.execute("INSERT INTO story_documents VALUES (?, ?, 1.0, true, 'r1')", [f"story-{size:02d}", f"d{size}"])
        con.execute("INSERT INTO entities VALUES ('e-ОДКБ', 'ORG', 'ORG:одкб', 'ОДКБ', [], 1, 1, NULL, NULL)")
        frames = report_frames(con)
    stories = frames["stories"]
    assert stories["n_docs"].tolist() == list(range(TOP_N + 5, 5, -1))
    assert stories["top_entities"].map(list).tolist() == [["ОДКБ"]] * TOP_N
    page = build_report(settings).read_text(encoding="utf-8")
    assert "v_stories" in page and f"story-{TOP_N + 5:02d}" in page and "story-05" not in page


def test_cli_report_prints_the_path_of_the_page(sample_warehouse):
    data_dir, _ = sample_warehouse
    result = runner.invoke(app, ["report", "--data-dir", str(data_dir)], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(data_dir / "report.html")
    assert (data_dir / "report.html").stat().st_size > 1_000_000  # plotly.js is inside


def test_the_history_charts_the_newest_runs_only(tmp_path):
    """A feed runs every 15 minutes for months: the history, its failed-checks chart included,
    covers the runs the report shows, not every run ever audited."""
    settings = resolve_settings(tmp_path)
    n_runs = RUNS_SHOWN + 5
    with writer(settings.warehouse) as con:
        con.execute("""INSERT INTO ingest_runs (run_id, started_at, finished_at, status, inputs)
                       SELECT printf('run-%03d', i), TIMESTAMP '2026-01-01' + i * INTERVAL 15 MINUTE,
                              TIMESTAMP '2026-01-01' + i * INTERVAL 15 MINUTE + INTERVAL 1 MINUTE, 'completed', ['feed/']
                       FROM range(?) AS t(i)""", [n_runs])
        con.execute("""INSERT INTO dq_results (run_id, table_name, check_name, expectation_type, severity, success,
                                               unexpected_count, element_count, unexpected_sample, validated_at)
                       SELECT printf('run-%03d', i), 'documents', 'documents.title_not_null', 'expect', 'warning',
                              i % 2 = 0, 1, 10, NULL, TIMESTAMP '2026-01-01' + i * INTERVAL 15 MINUTE + INTERVAL 30 SECOND
                       FROM range(?) AS t(i)""", [n_runs])
        frames = report_frames(con)
    history = frames["validation_history"]
    assert history["run_id"].tolist() == [f"run-{i:03d}" for i in range(5, n_runs)]
    assert history["n_warnings"].tolist() == [i % 2 for i in range(5, n_runs)]
    assert frames["runs"]["run_id"].tolist() == history["run_id"].tolist()
