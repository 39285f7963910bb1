"""The report and Data Docs in a real browser (headless Chromium, no network): not blank, charts
drawn, tables rendered, the expected figures in the DOM."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsetl.config import resolve_settings
from newsetl.report.build import build_report
from newsetl.validation.runner import docs_index_path
from newsetl.warehouse.db import reader

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM of ``page`` after its scripts ran, as headless Chromium sees it offline."""
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: apt-get install -y chromium (.ci/run does)")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--virtual-time-budget=15000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def visible_text(dom: str) -> str:
    """The page's text without scripts, styles and tags."""
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    return " ".join(re.sub(r"<[^>]+>", " ", dom).split())


@pytest.fixture(scope="module")
def sample_facts(sample_warehouse):
    """The samples' data folder, latest run id and document count."""
    data_dir, warehouse = sample_warehouse
    with reader(warehouse) as con:
        run_id, = con.execute("SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1").fetchone()
        n_docs, = con.execute("SELECT count(*) FROM documents").fetchone()
    return data_dir, warehouse, run_id, n_docs


def test_report_renders_with_its_charts_and_figures(sample_facts, tmp_path):
    data_dir, warehouse, run_id, n_docs = sample_facts
    page = build_report(resolve_settings(data_dir, warehouse), out=tmp_path / "report.html")
    dom = dump_dom(page, tmp_path / "profile")
    text = visible_text(dom)
    assert len(text) > 500, "blank page"
    assert dom.count('class="main-svg"') >= 6, "plotly did not draw the charts"  # two SVG layers per chart
    assert run_id in text
    assert re.search(rf"documents\s+{n_docs}\b", text)
    assert "Critical failures" in text and "Warnings" in text


def test_data_docs_validation_page_renders_offline_with_the_warning(sample_facts, tmp_path):
    data_dir, _, run_id, _ = sample_facts
    site = docs_index_path(data_dir).parent
    page = next(site.glob(f"validations/newsetl/documents/{run_id}/*/*.html"))
    dom = dump_dom(page, tmp_path / "profile")
    text = visible_text(dom)
    assert "Passed with warnings" in text and "Data asset: documents" in text
    assert "Warning · title is present (not null) · documents.title_not_null" in text
    assert "fa-exclamation-triangle newsetl-warning" in dom


def test_data_docs_index_lists_the_run_offline(sample_facts, tmp_path):
    data_dir, _, run_id, _ = sample_facts
    dom = dump_dom(docs_index_path(data_dir), tmp_path / "profile")
    rows = re.findall(r'<tr[^>]*class="clickable-row"', dom)
    assert len(rows) >= 13, "the validation and suite tables did not render"
    assert run_id in visible_text(dom)
