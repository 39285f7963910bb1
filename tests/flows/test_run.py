"""Running the flow from the CLI or the API: which modules it imports ahead of need (the audit's only
when the warehouse is new), and that it sends Prefect heartbeats only when the user configured them."""
from __future__ import annotations

import shutil
from contextlib import nullcontext

import duckdb
import pytest

from conftest import SAMPLES, SEED_NEWS
from newsetl.config import resolve_settings
from newsetl.flows import run


@pytest.mark.parametrize("warehouse_exists, expected", [
    (False, ("great_expectations",)),  # every unit is new: the audit will run
    (True, ()),                        # the run may have nothing new: an unchanged rerun skips the audit
])
def test_audit_is_prefetched_only_for_a_new_warehouse(tmp_path, warehouse_exists, expected):
    settings = resolve_settings(tmp_path / "data")
    if warehouse_exists:
        settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
        settings.warehouse.write_bytes(b"")
    run.note_new_warehouse(settings)
    assert run.modules_to_prefetch(settings) == expected


def test_a_warehouse_created_after_the_check_still_counts_as_new(tmp_path):
    """The CLI chooses the API first, then creates the warehouse while the run server starts."""
    settings = resolve_settings(tmp_path / "data")
    run.note_new_warehouse(settings)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse.write_bytes(b"")
    run.note_new_warehouse(settings)
    assert run.modules_to_prefetch(settings) == ("great_expectations",)


def heartbeats_and_events(flow_run_id: str, timeout: float = 30.0) -> tuple[int, int]:
    """How many heartbeat events, and how many events in all, the Prefect server holds for a flow
    run; waits until the run's Completed event has arrived (events reach the server asynchronously)."""
    import asyncio
    import time

    from prefect.client.orchestration import get_client

    async def read() -> list[str]:
        async with get_client() as client:
            found = await client._client.post("/events/filter", json={
                "filter": {"resource": {"id": [f"prefect.flow-run.{flow_run_id}"]}}, "limit": 50})
            return [event["event"] for event in found.json()["events"]]

    deadline = time.monotonic() + timeout
    while "prefect.flow-run.Completed" not in (names := asyncio.run(read())) and time.monotonic() < deadline:
        time.sleep(0.5)
    return names.count("prefect.flow-run.heartbeat"), len(names)


@pytest.mark.parametrize("user_frequency, expect_heartbeats", [
    (None, False),  # Prefect's default (one every 180 s) is turned off for a run started here
    (30, True),     # the user's own setting is kept
])
def test_a_run_sends_heartbeats_only_when_the_user_asks_for_them(prefect_harness, tmp_path, user_frequency,
                                                                 expect_heartbeats):
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / SEED_NEWS, inbox / "news.txt")
    settings = resolve_settings(tmp_path / "data")
    user = nullcontext() if user_frequency is None else temporary_settings(
        updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: user_frequency})
    with user:
        summary = run.run_ingest([str(inbox)], settings, batch_size=10, workers=1)
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        (flow_run_id,) = con.execute("SELECT flow_run_id FROM ingest_runs WHERE run_id = ?",
                                     [summary["run_id"]]).fetchone()
    heartbeats, events = heartbeats_and_events(flow_run_id)
    assert summary["counts"]["new"] == 1 and events >= 3  # the run's own events did arrive
    assert (heartbeats > 0) is expect_heartbeats
