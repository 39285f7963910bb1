"""Running the ingest flow from the command line with Prefect's ephemeral API.

Prefect records task-run events on a background service of its ephemeral server; if the process
exits while they are in flight, the server logs ``Error flushing N events`` tracebacks. We wait for
the client's event queue to drain before returning, so the server has nothing left to flush.
"""
from __future__ import annotations

from newsetl.config import Settings


def run_ingest(paths: list[str], settings: Settings, batch_size: int, workers: int) -> dict:
    """Run the ``ingest`` flow and return its summary, after Prefect's events have drained."""
    from newsetl.flows.ingest import ingest

    summary = ingest(paths=paths, warehouse=str(settings.warehouse), data_dir=str(settings.data_dir),
                     batch_size=batch_size, workers=workers)
    drain_prefect_events()
    return summary


def drain_prefect_events(timeout: float = 30.0) -> None:
    """Block until Prefect's client-side event and log queues are delivered."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(timeout=timeout)
    APILogWorker.drain_all(timeout=timeout)
