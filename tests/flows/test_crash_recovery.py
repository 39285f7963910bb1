"""Crash safety (issue 12): the real CLI is killed with SIGKILL at several points of a run; no
process of it is left behind, and the next run leaves the warehouse identical, table by table and
in search, to an uninterrupted build of the same input."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from harness import (ROOT, differences, factru_records, ingest_args, kill_all, leftovers, run_cli,
                     search_hits, snapshot, write_jsonl)

pytestmark = pytest.mark.slow

RUN_TIMEOUT = 600
QUERIES = ("послужного списка", "акция протеста", "ОДКБ")
# Where a run dies: (module, function, before/after, which call in the process).
KILL_POINTS = {
    "after-discovery": ("newsetl.flows.ingest", "discover", "after", 1),
    "mid-batch": ("newsetl.flows.ingest", "stage_batch", "after", 2),
    "during-audit": ("newsetl.warehouse.audit", "store_dq_results", "after", 1),
    "after-publish": ("newsetl.flows.ingest", "publish", "after", 1),
}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """The samples and 12 factRuEval texts; batches of 4 units give five batches."""
    folder = tmp_path_factory.mktemp("crash") / "inbox"
    shutil.copytree(ROOT / "samples", folder / "samples")
    write_jsonl(folder / "factru.jsonl", factru_records(12))
    return folder


def build(inbox, data_dir, kill=None):
    """One CLI ingest of the inbox (batches of 4, two workers), optionally killed at a point."""
    return run_cli(ingest_args([inbox], data_dir, "--batch-size", "4", "--workers", "2"), RUN_TIMEOUT, kill=kill)


@pytest.fixture(scope="module")
def clean(inbox, tmp_path_factory):
    """An uninterrupted build: its tables and what the queries find."""
    data_dir = tmp_path_factory.mktemp("clean-build")
    run = build(inbox, data_dir)
    assert run.returncode == 0, run.stderr[-3000:]
    warehouse = data_dir / "newsetl.duckdb"
    return {"tables": snapshot(warehouse), "hits": {q: search_hits(warehouse, q) for q in QUERIES},
            "warehouse": warehouse}


def stray_processes(run, data_dir):
    """The run's processes still alive (killed here, so they cannot disturb what follows)."""
    left = leftovers(run, data_dir)
    kill_all(left)
    return left


def assert_same_as_clean(warehouse, clean):
    assert differences(snapshot(warehouse), clean["tables"]) == {}
    assert {q: search_hits(warehouse, q) for q in QUERIES} == clean["hits"]


def test_clean_build_is_searchable(clean):
    assert all(clean["hits"].values()), clean["hits"]
    assert len(clean["tables"]["documents"]) == 18
    assert clean["tables"]["mentions"] and clean["tables"]["entities"] and clean["tables"]["entity_keys"]


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_then_rerun_equals_clean_build(point, inbox, clean, tmp_path):
    module, function, when, call = KILL_POINTS[point]
    data_dir = tmp_path / "data"
    killed = build(inbox, data_dir, kill={"module": module, "function": function, "when": when, "call": call})
    assert killed.returncode == -9, f"the run was not killed at {point}: {killed.stderr[-2000:]}"
    left = stray_processes(killed, data_dir)
    rerun = build(inbox, data_dir)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_same_as_clean(data_dir / "newsetl.duckdb", clean)
    assert not left, f"processes left behind by the killed run: {left}"


def test_run_killed_after_publish_keeps_its_true_counts(inbox, clean, tmp_path):
    data_dir = tmp_path / "data"
    module, function, when, call = KILL_POINTS["after-publish"]
    killed = build(inbox, data_dir, kill={"module": module, "function": function, "when": when, "call": call})
    assert killed.returncode == -9
    kill_all(leftovers(killed, data_dir, grace=0))
    rerun = build(inbox, data_dir)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    with duckdb.connect(str(data_dir / "newsetl.duckdb"), read_only=True) as con:
        runs = con.execute("SELECT status, n_seen, n_new, n_quarantined, message, counts_balance FROM v_runs "
                           "ORDER BY started_at").fetchall()
    first, second = runs
    assert first[:4] == ("completed", 18, 18, 0)
    assert first[4] and "after publishing" in first[4]
    assert first[5]
    assert second[:3] == ("completed", 18, 0)


def test_one_worker_killed_mid_run(inbox, clean, tmp_path):
    data_dir, marker = tmp_path / "data", tmp_path / "worker-killed"
    run = build(inbox, data_dir, kill={"module": "newsetl.extractors.batch", "function": "analyse_units",
                                       "when": "before", "call": 2, "once": str(marker)})
    assert marker.exists(), "no worker was killed"
    assert run.returncode == 0, run.stderr[-3000:]
    workers = [cmd for cmd in run.seen.values() if "multiprocessing" in cmd and "spawn_main" in cmd]
    assert len(workers) > 2, f"the pool was not restarted after its worker died: {workers}"
    left = stray_processes(run, data_dir)
    assert_same_as_clean(data_dir / "newsetl.duckdb", clean)
    assert not left, f"processes left behind: {left}"
