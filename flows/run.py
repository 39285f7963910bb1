"""Running the ingest flow from the command line or the Python API.

The API the run reports to is chosen first (:func:`newsetl.flows.server.api_for_run`): the user's,
the data folder's server, or a server for this run only, started in the background so its start-up
overlaps the imports below. Prefect records task-run events on background queues; if the process
exits while they are in flight, the server logs ``Error flushing N events`` tracebacks, so we wait for
the client's queues to drain before returning. A run started here sends no flow-run heartbeats
unless the user configured them (:func:`without_default_heartbeats`).
"""
from __future__ import annotations

from contextlib import nullcontext
from importlib import import_module
from typing import Any, ContextManager

from newsetl.config import Settings
from newsetl.flows.progress import Progress, showing

# Imported by the audit (Great Expectations, ≈ 2 s of CPU): loaded while a run server starts, for a
# new warehouse only. There every unit is new, so the audit runs; into a used one the run may have
# nothing new and skip the audit, and the import would be wasted (an unchanged rerun would take
# twice as long).
PREFETCH_FOR_NEW_WAREHOUSE = ("great_expectations",)
# Warehouses this process found missing before it chose an API (the CLI then creates the warehouse
# while the run server starts, so its existence is checked here, first).
_NEW_WAREHOUSES: set[str] = set()


def start_api(settings: Settings):
    """Choose the Prefect API this process's runs report to and, for a run server, start it in the
    background. Call it as early as possible (the CLI does so before it checks the warehouse); a
    second call returns the same choice."""
    # deferred: start-up time (the server module pulls in psutil and subprocess handling, ~40 ms)
    from newsetl.flows.server import api_for_run

    note_new_warehouse(settings)
    return api_for_run(settings)


def note_new_warehouse(settings: Settings) -> None:
    """Remember whether the run's warehouse is missing now, before anything creates it."""
    if not settings.warehouse.exists():
        _NEW_WAREHOUSES.add(str(settings.warehouse))


def modules_to_prefetch(settings: Settings) -> tuple[str, ...]:
    """The modules worth importing while the run server starts: the audit's, for a new warehouse."""
    return PREFETCH_FOR_NEW_WAREHOUSE if str(settings.warehouse) in _NEW_WAREHOUSES else ()


def run_ingest(paths: list[str], settings: Settings, batch_size: int, workers: int,
               progress: Progress | None = None, **options: Any) -> dict:
    """Run the ``ingest`` flow and return its summary, after Prefect's events have drained.

    ``options`` are further parameters of the flow (``strict``, ``follow_symlinks``, ...).
    ``progress`` (see :mod:`newsetl.flows.progress`) is shown for the run and finished before
    this returns or raises, so the caller's next line comes after it.
    """
    api = start_api(settings)
    with showing(progress) as shown:
        shown.stage("starting")
        from newsetl.flows.ingest import ingest  # Prefect's imports, while the run server starts

        for name in modules_to_prefetch(settings):  # needed by this run's audit: imported while the machine is busy anyway
            prefetch(name)
        api.wait_ready()
        try:
            with api.settings(), without_default_heartbeats():
                return ingest(paths=paths, warehouse=str(settings.warehouse), data_dir=str(settings.data_dir),
                              batch_size=batch_size, workers=workers, **options)
        finally:
            drain_prefect_events()


def without_default_heartbeats() -> ContextManager[object]:
    """Prefect's settings without flow-run heartbeats, unless the user configured them
    (``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``, in the environment or a Prefect profile).

    Prefect 3.8.8 sends one every 180 s by default, for automations that mark runs whose heartbeats
    stop as crashed. Its heartbeat thread sleeps in whole seconds, and the flow joins it at its end:
    every run waited up to 1 s for it (an unchanged rerun of 1k documents, median of five interleaved
    pairs: 5.5 s with heartbeats, 4.7 s without). A run started here has its caller watching;
    deployments keep Prefect's default."""
    from prefect.settings import get_current_settings, temporary_settings
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    if "heartbeat_frequency" in get_current_settings().flows.model_fields_set:
        return nullcontext()
    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


def prefetch(module: str) -> None:
    """Import ``module`` ahead of need; a failure is left for the real import to report."""
    try:
        import_module(module)
    except Exception:
        pass


def drain_prefect_events(timeout: float = 30.0) -> None:
    """Block until Prefect's client-side event and log queues are delivered."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(timeout=timeout)
    APILogWorker.drain_all(timeout=timeout)
