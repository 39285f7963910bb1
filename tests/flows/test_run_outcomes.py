"""What orchestration sees of a run: the final state and its message, artifacts, the finished
event, strict runs, and cheap runs when nothing is new."""
from __future__ import annotations

import asyncio
import shutil

import duckdb
import pytest

from conftest import BAD_FIXTURES, SAMPLES, SEED_NEWS


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """A seed text and one bad file (quarantined as empty)."""
    root = tmp_path_factory.mktemp("outcomes")
    folder = root / "inbox"
    folder.mkdir()
    shutil.copy(SAMPLES / SEED_NEWS, folder / "news.txt")
    shutil.copy(BAD_FIXTURES / "empty.txt", folder / "empty.txt")
    return root


@pytest.fixture(scope="module")
def runs(prefect_harness, inbox):
    """A first run (one new, one quarantined), a strict rerun, and a rerun of the good file alone."""
    from newsetl.flows.ingest import ingest

    data_dir = str(inbox / "data")
    first = ingest(paths=[str(inbox / "inbox")], data_dir=data_dir, workers=1, return_state=True)
    strict = ingest(paths=[str(inbox / "inbox")], data_dir=data_dir, workers=1, strict=True, return_state=True)
    empty = ingest(paths=[str(inbox / "inbox" / "news.txt")], data_dir=data_dir, workers=1, return_state=True)
    return {"first": first, "strict": strict, "empty": empty, "warehouse": inbox / "data" / "newsetl.duckdb"}


def test_final_state_message_states_counts_and_quarantine(runs):
    state = runs["first"]
    assert state.is_completed()
    assert state.message.startswith("seen 2: new 1, unchanged 0, updated 0, duplicate 0, quarantined 1")
    assert state.message.endswith("validation passed")
    assert state.result()["counts"]["new"] == 1


def test_strict_run_with_quarantine_fails_but_publishes(runs):
    from newsetl.flows.errors import StrictRunFailed

    state = runs["strict"]
    assert state.is_failed()
    assert "strict run quarantined input" in state.message and "quarantined 1" in state.message
    with pytest.raises(StrictRunFailed) as raised:
        state.result()
    assert raised.value.summary["counts"] == {"new": 0, "unchanged": 1, "updated": 0, "duplicate": 0,
                                              "quarantined": 1, "seen": 2}
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        status, strict = con.execute("SELECT status, strict FROM ingest_runs WHERE run_id = ?",
                                     [raised.value.summary["run_id"]]).fetchone()
    assert (status, strict) == ("completed", True)


def test_nothing_new_skips_audit_report_and_index(runs):
    state = runs["empty"]
    summary = state.result()
    assert summary["counts"]["unchanged"] == 1 and summary["counts"]["seen"] == 1
    assert summary["validation_success"] is None and summary["report"] is None and summary["docs_index"] is None
    assert state.message.endswith("validation skipped (nothing new)")
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        checks = con.execute("SELECT count(*) FROM dq_results WHERE run_id = ?", [summary["run_id"]]).fetchone()[0]
        row = con.execute("SELECT status, validation_success, n_unchanged FROM v_runs WHERE run_id = ?",
                          [summary["run_id"]]).fetchone()
    assert checks == 0
    assert row == ("completed", None, 1)


def test_artifacts_and_finished_event(runs):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from prefect.events.worker import EventsWorker

    summary = runs["first"].result()
    EventsWorker.drain_all(timeout=30)

    async def read():
        async with get_client() as client:
            markdown = await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["ingest-run-report"])))
            events = await client._client.post("/events/filter", json={
                "filter": {"event": {"name": ["newsetl.ingest.finished"]}}, "limit": 50})
            return markdown, events.json()["events"]

    markdown, events = asyncio.run(read())
    mine = [a for a in markdown if summary["run_id"] in a.data]
    assert mine, "no markdown artifact for the run"
    assert "| `empty` | 1 |" in mine[0].data and "newsetl quarantine --run" in mine[0].data
    payloads = [e["payload"] for e in events if e["payload"].get("run_id") == summary["run_id"]]
    assert payloads and payloads[0]["counts"]["quarantined"] == 1 and payloads[0]["validation"] == "passed"


def flow_task_names(flow_run_id, last_task: str = "finish-run", timeout: float = 30.0) -> list[str]:
    """The task names of a flow run as the Prefect server recorded them (task runs arrive as
    events, so this waits until the run's ``last_task`` is there)."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.events.worker import EventsWorker

    EventsWorker.drain_all(timeout=timeout)

    async def read() -> list[str]:
        async with get_client() as client:
            found = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
            return sorted(run.name.rsplit("-", 1)[0] for run in found)

    deadline = time.monotonic() + timeout
    while last_task not in (names := asyncio.run(read())) and time.monotonic() < deadline:
        time.sleep(0.5)
    return names


def test_an_unchanged_batch_is_staged_by_its_skip_check_alone(runs):
    """Nothing to analyse and nothing ahead of it: the batch needs no process-batch task, so an
    unchanged rerun costs one task per batch."""
    rerun = flow_task_names(runs["empty"].state_details.flow_run_id)
    assert rerun.count("skip-unchanged") == 1 and "process-batch" not in rerun
    first = flow_task_names(runs["first"].state_details.flow_run_id)
    assert first.count("skip-unchanged") == 1 and first.count("process-batch") == 1
