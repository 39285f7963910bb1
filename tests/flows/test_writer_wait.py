"""The writer's wait (issue 12): a reader holding the warehouse makes an ingest wait at most
``NEWSETL_LOCK_WAIT`` seconds (60 by default, README), end to end, then exit with code 3 and a
one-line error: before the run starts, and when the reader comes in mid-run."""
from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from harness import ROOT, ingest_args, kill_all, leftovers, python, run_cli, start_cli, finish_cli

LOCK_WAIT = 5
UPPER_BOUND = 15  # the wait, plus the CLI's start-up
# Mid-run the wait is shared by the task's retry (after a 5 s retry delay) and the failure
# bookkeeping, then Prefect's shutdown follows: well under the 60 s default, and far from the
# minutes a fresh wait per retry used to add up to.
MID_RUN_BOUND = 30
HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SELECT count(*) FROM ingest_runs").fetchall()
open(sys.argv[2], "w").close()
time.sleep(300)
"""


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(ROOT / "samples" / "seeds", folder)
    return folder


@pytest.fixture
def warehouse(tmp_path):
    from newsetl.warehouse.db import writer

    path = tmp_path / "data" / "newsetl.duckdb"
    with writer(path):
        pass
    return path


def hold(warehouse, ready):
    """A separate process holding a read-only connection to the warehouse, once ``ready`` exists."""
    holder = subprocess.Popen([python(), "-c", HOLDER, str(warehouse), str(ready)])
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert holder.poll() is None and time.monotonic() < deadline, "the reader could not open the warehouse"
        time.sleep(0.05)
    return holder


def assert_gave_up(run, data_dir):
    kill_all(leftovers(run, data_dir, grace=5))
    assert run.returncode == 3, (run.returncode, run.stderr[-2000:])
    errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "busy" in errors[0], run.stderr[-2000:]


def test_reader_holding_the_file_before_the_run(inbox, warehouse, tmp_path):
    holder = hold(warehouse, tmp_path / "holding")
    try:
        run = run_cli(ingest_args([inbox], warehouse.parent), 120, NEWSETL_LOCK_WAIT=str(LOCK_WAIT))
    finally:
        holder.kill()
        holder.wait()
    print(f"\nreader before the run: the ingest gave up after {run.seconds:.1f} s")
    assert_gave_up(run, warehouse.parent)
    assert LOCK_WAIT <= run.seconds <= UPPER_BOUND, f"gave up after {run.seconds:.1f} s"


def test_reader_coming_in_mid_run(inbox, warehouse, tmp_path):
    paused, go = tmp_path / "discovered", tmp_path / "go"
    started = time.monotonic()
    process, watch = start_cli(ingest_args([inbox], warehouse.parent, "--workers", "1"),
                               kill={"module": "newsetl.flows.ingest", "function": "discover", "when": "after",
                                     "call": 1, "pause": [str(paused), str(go)]},
                               NEWSETL_LOCK_WAIT=str(LOCK_WAIT))
    holder = None
    try:
        deadline = time.monotonic() + 120
        while not paused.exists():
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()[-2000:]
            time.sleep(0.05)
        holder = hold(warehouse, tmp_path / "holding")
        go.touch()
        held_from = time.monotonic()
        run = finish_cli(process, watch, 300, started)
        waited = time.monotonic() - held_from
    finally:
        if holder is not None:
            holder.kill()
            holder.wait()
    print(f"\nreader mid-run: the ingest gave up {waited:.1f} s after the reader came in")
    assert_gave_up(run, warehouse.parent)
    assert waited <= MID_RUN_BOUND, f"the ingest gave up {waited:.1f} s after the reader came in"
