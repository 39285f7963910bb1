"""The analysis stage on a Dask cluster, through Prefect's ``DaskTaskRunner``.

``ingest(..., dask="tcp://HOST:8786")`` (or ``dask="local"`` for a ``LocalCluster`` of ``workers``
processes) analyses each batch as ``analyse-chunk`` task runs on the cluster's workers; everything
else, and every write to DuckDB, stays in the flow's process. The units travel to the workers as
bytes (the input files need not be readable there) and their results come back to the flow, which
puts them in input order and stages them as on the local path.

:func:`analysis_pool` picks the engine: the local :class:`AnalysisPool` by default, a Dask cluster
when the ``dask`` parameter names one, or the flow's own task runner when the caller already gave
the flow a ``DaskTaskRunner`` (``ingest.with_options(task_runner=DaskTaskRunner(...))``).
``distributed`` and ``prefect_dask`` are imported only when a run uses Dask (≈ 0.8 s otherwise paid
by every run).
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Protocol

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext, TaskRunContext

from newsetl.extractors import batch as analysis
from newsetl.extractors.workers import AnalysisPool, PendingAnalysis, crashed, in_input_order, ready, split_chunks
from newsetl.schemas.analysis import UnitResult
from newsetl.schemas.records import RawUnit

if TYPE_CHECKING:
    from prefect_dask import DaskTaskRunner

LOCAL = "local"
PLUGIN_NAME = "newsetl-analysis"
# How long a run tries to reach the scheduler before it fails.
CONNECT_SECONDS = 20
# How long a run waits for the first worker to join the scheduler before it fails.
WORKER_WAIT_SECONDS = 60
# Chunks per worker thread: enough to keep every worker busy while the slowest chunk finishes.
CHUNKS_PER_THREAD = 2


class DaskUnavailable(RuntimeError):
    """The Dask scheduler could not be reached, or no worker joined it in time."""


class Analyser(Protocol):
    """What the flow's batch task needs from the analysis engine: hand a batch over, collect its
    results (in input order) later."""

    def analyse(self, units: list[RawUnit]) -> list[UnitResult]: ...

    def submit(self, units: list[RawUnit]) -> PendingAnalysis: ...

    def collect(self, pending: PendingAnalysis) -> list[UnitResult]: ...


@task(name="analyse-chunk", cache_policy=NO_CACHE)
def analyse_chunk(units: list[RawUnit]) -> list[UnitResult]:
    """Analyse a chunk of units on a Dask worker (its models were loaded once, by the plug-in)."""
    return analysis.analyse_units(units)


def task_runner_for(dask: str, workers: int) -> DaskTaskRunner:
    """The task runner for the ``dask`` option: ``local`` starts a ``LocalCluster`` of ``workers``
    single-threaded processes for the run (its scheduler's HTTP endpoint on a free loopback port:
    Dask's default, 8787, may be taken); anything else is a scheduler address."""
    from prefect_dask import DaskTaskRunner

    if dask.strip().lower() == LOCAL:
        return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                              cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": "127.0.0.1:0"})
    return DaskTaskRunner(address=dask.strip(), client_kwargs={"timeout": CONNECT_SECONDS})


class DaskAnalysis:
    """Analyses batches as ``analyse-chunk`` task runs on a started ``DaskTaskRunner``; results
    keep the input order. A chunk whose workers kept dying is retried one unit at a time, and a unit
    that kills its workers on its own is quarantined (``worker_crashed``), as on the local pool."""

    def __init__(self, runner: DaskTaskRunner):
        self.runner = runner

    def connect(self) -> "DaskAnalysis":
        """Reach the scheduler, wait for a worker and warm every worker up; a clear error otherwise."""
        from newsetl.flows.dask_worker import WarmAnalysis

        where = self.runner.address or "a local cluster"
        try:
            client = self.runner.client
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
            client.register_plugin(WarmAnalysis(), name=PLUGIN_NAME)
        except (OSError, TimeoutError) as exc:
            raise DaskUnavailable(f"Dask cluster at {where} is not usable: {type(exc).__name__}: {exc}") from exc
        return self

    def threads(self) -> int:
        """The worker threads the cluster has now."""
        return max(1, sum(self.runner.client.nthreads().values()))

    def submit(self, units: list[RawUnit]) -> PendingAnalysis:
        """Analyse a batch now (the cluster's own scheduling spreads it; no overlap with staging)."""
        return ready(units, self.analyse(units))

    def collect(self, pending: PendingAnalysis) -> list[UnitResult]:
        """The results of a batch given to :meth:`submit`."""
        return pending.results

    def analyse(self, units: list[RawUnit]) -> list[UnitResult]:
        """Analyse a batch in interleaved chunks across the cluster; results keep the input order."""
        from distributed import KilledWorker

        if not units:
            return []
        chunks = split_chunks(units, self.threads() * CHUNKS_PER_THREAD)
        futures = self._submit(chunks)
        results = []
        for chunk, future in zip(chunks, futures):
            try:
                results.extend(future.result())
            except KilledWorker:
                results.extend(self._analyse_alone(unit) for unit in chunk)
        return in_input_order(units, results)

    def _analyse_alone(self, unit: RawUnit) -> UnitResult:
        """One unit in its own task; quarantined when that task, too, kept killing workers."""
        from distributed import KilledWorker

        try:
            return self._submit([[unit]])[0].result()[0]
        except KilledWorker:
            return crashed(unit)

    def _submit(self, chunks: list[list[RawUnit]]) -> list:
        """Submit one ``analyse-chunk`` task run per chunk, as children of the flow run.

        Prefect sends the enclosing task run's context (with its parameters: the whole batch and
        this engine with its Dask client) along with every submission; the chunks need only the
        flow run's, so the enclosing task run is hidden while they are submitted."""
        token = TaskRunContext.__var__.set(None)
        try:
            return [self.runner.submit(analyse_chunk, {"units": chunk}) for chunk in chunks]
        finally:
            TaskRunContext.__var__.reset(token)


def flow_dask_runner() -> DaskTaskRunner | None:
    """The flow run's task runner when it is a ``DaskTaskRunner`` (set with ``with_options``); one
    can only be when ``prefect_dask`` was imported."""
    if "prefect_dask" not in sys.modules:
        return None
    from prefect_dask import DaskTaskRunner

    runner = getattr(FlowRunContext.get(), "task_runner", None)
    return runner if isinstance(runner, DaskTaskRunner) else None


@contextmanager
def analysis_pool(workers: int, dask: str | None) -> Iterator[Analyser]:
    """The analysis engine of a run: a Dask cluster when ``dask`` names one (``local`` or a scheduler
    address) or the flow already runs on a ``DaskTaskRunner``; else the local process pool."""
    if dask:
        with task_runner_for(dask, workers) as runner:
            yield DaskAnalysis(runner).connect()
    elif (runner := flow_dask_runner()) is not None:
        yield DaskAnalysis(runner).connect()
    else:
        with AnalysisPool(workers) as pool:
            yield pool
