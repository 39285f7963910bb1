"""Data Docs keep the newest audits only (validation/retention.py), so an audit's cost does not grow
with the number of audits before it; the older results and pages are deleted from disk."""
from __future__ import annotations

import time

import pytest

from newsetl.validation.retention import DEFAULT_KEEP, keep_audits
from newsetl.validation.runner import docs_index_path, validate_tables
from test_quality import document, documents_frame, mention, mentions_frame


def audit(data_dir, run_id: str):
    """One audit of two tables (so each audit stores two results and two pages)."""
    frames = {"documents": documents_frame([document("a")]), "mentions": mentions_frame([mention("a", 0)])}
    report = validate_tables(frames, data_dir, run_id)
    time.sleep(0.01)  # audits are ordered by their time; keep them apart on a coarse clock
    return report


def stored_runs(data_dir) -> dict[str, list[str]]:
    """``"result <table>"`` / ``"page <table>"`` -> the ``run@time`` of each stored result or page, sorted."""
    results = data_dir / "gx" / "uncommitted" / "validations" / "newsetl"
    pages = docs_index_path(data_dir).parent / "validations" / "newsetl"
    found: dict[str, list[str]] = {}
    for kind, root, suffix in (("result", results, "json"), ("page", pages, "html")):
        for path in sorted(root.glob(f"*/*/*/*.{suffix}")):
            table, run_name, run_time = path.relative_to(root).parts[:3]
            found.setdefault(f"{kind} {table}", []).append(f"{run_name}@{run_time}")
    return found


def test_only_the_newest_audits_keep_their_results_and_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_DOCS_KEEP", "2")
    for run in ("run-1", "run-2", "run-3", "run-4"):
        report = audit(tmp_path, run)
    assert report.success is True
    stored = stored_runs(tmp_path)
    assert sorted(stored) == ["page documents", "page mentions", "result documents", "result mentions"]
    assert {kind: [entry.split("@")[0] for entry in entries] for kind, entries in stored.items()} == {
        kind: ["run-3", "run-4"] for kind in stored}
    index = docs_index_path(tmp_path).read_text(encoding="utf-8")
    assert "run-3" in index and "run-4" in index
    assert "run-1" not in index and "run-2" not in index
    leftovers = [p for p in (tmp_path / "gx" / "uncommitted").rglob("*") if p.is_dir() and not any(p.iterdir())]
    assert leftovers == []


def test_each_window_of_a_run_is_an_audit_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_DOCS_KEEP", "2")
    audit(tmp_path, "run-a")
    audit(tmp_path, "run-a")  # the run's second window
    audit(tmp_path, "run-b")
    stored = stored_runs(tmp_path)["result documents"]
    assert [entry.split("@")[0] for entry in stored] == ["run-a", "run-b"]
    assert len(stored) == 2


def test_lowering_the_retention_prunes_what_earlier_audits_kept(tmp_path, monkeypatch):
    for run in ("run-1", "run-2", "run-3"):
        audit(tmp_path, run)
    assert len(stored_runs(tmp_path)["page documents"]) == 3
    monkeypatch.setenv("NEWSETL_DOCS_KEEP", "1")
    audit(tmp_path, "run-4")
    assert {kind: [e.split("@")[0] for e in entries] for kind, entries in stored_runs(tmp_path).items()} == {
        "page documents": ["run-4"], "page mentions": ["run-4"],
        "result documents": ["run-4"], "result mentions": ["run-4"]}


@pytest.mark.parametrize("value, expected", [
    (None, DEFAULT_KEEP),
    ("", DEFAULT_KEEP),
    ("1", 1),
    (" 96 ", 96),
])
def test_keep_audits_reads_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("NEWSETL_DOCS_KEEP", raising=False)
    else:
        monkeypatch.setenv("NEWSETL_DOCS_KEEP", value)
    assert keep_audits() == expected


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "ten", "1e3"])
def test_keep_audits_rejects_what_is_not_a_count(monkeypatch, value):
    monkeypatch.setenv("NEWSETL_DOCS_KEEP", value)
    with pytest.raises(ValueError, match=f"NEWSETL_DOCS_KEEP must be a whole number of audits, at least 1 \\(got '{value}'\\)"):
        keep_audits()
