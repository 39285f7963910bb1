"""A run's history across its publish windows: counts after each window, the run-balance check over
published and staged inputs, and what a later run records for a run that died between windows."""
from __future__ import annotations

import pandas as pd
import pytest

from newsetl.warehouse import runs
from newsetl.warehouse.audit import run_balance_frame
from newsetl.warehouse.db import insert_frame, writer
from newsetl.warehouse.publish import publish_inputs_only
from newsetl.warehouse.stage import stage_inputs

RUN = "run-with-windows"


def inputs(*names: str, outcome: str = "unchanged") -> list[dict]:
    return [{"source_uri": f"{name}.txt", "source_id": name, "raw_hash": f"h-{name}", "outcome": outcome,
             "doc_id": f"d-{name}", "duplicate_of": None, "reason_code": None} for name in names]


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "newsetl.duckdb"
    with writer(path) as con:
        runs.begin_run(con, RUN, None, ["inbox/"])
    return path


def status_row(con, run_id=RUN):
    return con.execute("SELECT status, n_seen, n_unchanged, n_not_analysed, message FROM ingest_runs "
                       "WHERE run_id = ?", [run_id]).fetchone()


def test_a_window_before_the_last_records_counts_and_keeps_the_run_running(warehouse):
    with writer(warehouse) as con:
        stage_inputs(con, RUN, inputs("a", "b"))
        publish_inputs_only(con, RUN, runs.RUNNING)
        assert status_row(con)[:3] == ("running", 2, 2)
        stage_inputs(con, RUN, inputs("c"))
        publish_inputs_only(con, RUN)
        assert status_row(con)[:3] == ("published", 3, 3)
        assert con.execute("SELECT count(*) FROM stg_run_inputs").fetchone()[0] == 0


def test_not_analysed_documents_of_every_window_add_up(warehouse):
    with writer(warehouse) as con:
        for window, status in (("x", runs.RUNNING), ("y", runs.PUBLISHED)):
            columns = con.execute("SELECT * FROM stg_documents LIMIT 0").df().columns
            row = {c: None for c in columns}
            row.update(doc_id=f"doc-{window}", extra='{"analysis": "not_russian"}')
            insert_frame(con, "stg_documents", pd.DataFrame([row]).astype(object))
            publish_inputs_only(con, RUN, status)
        assert status_row(con)[3] == 2


@pytest.mark.parametrize("published", [0, 2])
def test_balance_counts_published_and_staged_inputs(warehouse, published):
    with writer(warehouse) as con:
        stage_inputs(con, RUN, inputs(*"ab"[:published]))
        publish_inputs_only(con, RUN, runs.RUNNING)
        stage_inputs(con, RUN, inputs("c", "d"))
        balanced = run_balance_frame(con, RUN, published + 2)["counts_balance"].item()
        off_by_one = run_balance_frame(con, RUN, published + 3)["counts_balance"].item()
    assert (balanced, off_by_one) == (True, False)


def test_the_same_unit_in_two_windows_breaks_the_balance(warehouse):
    with writer(warehouse) as con:
        stage_inputs(con, RUN, inputs("a"))
        publish_inputs_only(con, RUN, runs.RUNNING)
        stage_inputs(con, RUN, inputs("a"))
        assert not run_balance_frame(con, RUN, 2)["counts_balance"].item()


def test_a_run_killed_between_windows_is_failed_with_what_it_published(warehouse):
    with writer(warehouse) as con:
        stage_inputs(con, RUN, inputs("a", "b"))
        publish_inputs_only(con, RUN, runs.RUNNING)
        stage_inputs(con, RUN, inputs("c"))  # the window the process was killed in
        runs.begin_run(con, "next", None, ["inbox/"])
        status, n_seen, _, _, message = status_row(con)
        assert (status, n_seen) == ("failed", 2)
        assert "after publishing 2 input unit(s)" in message and "the rest of its input was not" in message
        assert con.execute("SELECT count(*) FROM stg_run_inputs").fetchone()[0] == 0


def test_a_run_killed_before_its_first_window_is_abandoned(warehouse):
    with writer(warehouse) as con:
        stage_inputs(con, RUN, inputs("a"))
        runs.begin_run(con, "next", None, ["inbox/"])
        assert status_row(con)[0::4] == ("failed", "abandoned: the process ended mid-run")


def test_a_run_killed_after_its_last_window_is_completed(warehouse):
    with writer(warehouse) as con:
        stage_inputs(con, RUN, inputs("a", "b"))
        publish_inputs_only(con, RUN, runs.RUNNING)
        stage_inputs(con, RUN, inputs("c"))
        publish_inputs_only(con, RUN)
        runs.begin_run(con, "next", None, ["inbox/"])
        status, n_seen, _, _, message = status_row(con)
    assert (status, n_seen) == ("completed", 3) and "after publishing" in message


def test_a_failed_run_says_which_windows_it_published(warehouse):
    with writer(warehouse) as con:
        stage_inputs(con, RUN, inputs("a"))
        publish_inputs_only(con, RUN, runs.RUNNING)
        runs.fail_run(con, RUN, "run held back")
        status, n_seen, _, _, message = status_row(con)
    assert (status, n_seen) == ("failed", 1)
    assert message == "run held back (after publishing 1 input unit(s) in its first window(s); the rest was not loaded)"
