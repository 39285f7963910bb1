"""Running the ingest flow from the command line or the Python API.

The API the run reports to is chosen first (:func:`newsetl.flows.server.api_for_run`): the user's,
the data folder's server, or a server for this run only, started in the background so its start-up
overlaps the imports below. Prefect records task-run events on background queues; if the process
exits while they are in flight, the server logs ``Error flushing N events`` tracebacks, so we wait for
the client's queues to drain before returning.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from newsetl.config import Settings
from newsetl.flows.progress import Progress, showing

# Imported by the audit (Great Expectations, ≈ 2 s of CPU): loaded while a run server starts, on
# a new data folder only. There every unit is new, so the audit runs; on a used one the run may have
# nothing new and skip the audit, and the import would be wasted.
PREFETCH_ON_NEW_FOLDER = ("great_expectations",)
# Prefect homes this process found without a database (a new data folder), before starting an API on them.
_NEW_HOMES: set[str] = set()


def start_api(settings: Settings):
    """Choose the Prefect API this process's runs report to and, for a run server, start it in the
    background. Call it as early as possible (the CLI does so before it checks the warehouse); a
    second call returns the same choice."""
    # deferred: start-up time (the server module pulls in psutil and subprocess handling, ~40 ms)
    from newsetl.flows.prefect_db import DB_FILE
    from newsetl.flows.server import api_for_run

    if not (settings.prefect_home / DB_FILE).exists():
        _NEW_HOMES.add(str(settings.prefect_home))
    return api_for_run(settings)


def run_ingest(paths: list[str], settings: Settings, batch_size: int, workers: int,
               progress: Progress | None = None, **options: Any) -> dict:
    """Run the ``ingest`` flow and return its summary, after Prefect's events have drained.

    ``options`` are further parameters of the flow (``strict``, ``follow_symlinks``, ...).
    ``progress`` (see :mod:`newsetl.flows.progress`) is shown for the run and finished before
    this returns or raises, so the caller's next line comes after it.
    """
    api = start_api(settings)
    new_folder = str(settings.prefect_home) in _NEW_HOMES
    prefetch_modules = PREFETCH_ON_NEW_FOLDER if new_folder else ()
    with showing(progress) as shown:
        shown.stage("starting")
        from newsetl.flows.ingest import ingest  # Prefect's imports, while the run server starts

        for name in prefetch_modules:  # needed by this run's audit: imported while the machine is busy anyway
            prefetch(name)
        api.wait_ready()
        try:
            with api.settings():
                return ingest(paths=paths, warehouse=str(settings.warehouse), data_dir=str(settings.data_dir),
                              batch_size=batch_size, workers=workers, **options)
        finally:
            drain_prefect_events()


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
