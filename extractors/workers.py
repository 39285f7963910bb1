"""The analysis stage's worker processes: a pool of warmed-up processes that analyse batches of
units, survives a worker that dies, and never outlives the process that started it.

Thread limits are set here, in each worker before it imports numpy (one BLAS thread per process:
extraction scales with processes, and BLAS pools only fight over the same cores), never in the
importing process.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from newsetl.schemas.analysis import UnitResult
from newsetl.schemas.records import RawUnit

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
PR_SET_PDEATHSIG = 1
# A unit whose analysis killed a worker this many times is quarantined as ``worker_crashed``.
MAX_CRASHES_PER_UNIT = 2


def limit_threads() -> None:
    """One BLAS/OpenMP thread in this process (must run before numpy is imported)."""
    for variable in THREAD_VARIABLES:
        os.environ[variable] = "1"


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, so no worker is orphaned; exit now if
    the parent already died while this process was starting (the signal would never come)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)


def init_worker() -> None:
    """Initializer of a worker process: thread limits, parent-death signal, then the models."""
    limit_threads()
    die_with_parent()
    from newsetl.extractors.batch import warm_up  # after the thread limits: it imports numpy

    warm_up()


def init_dask_worker() -> None:
    """Set-up of a Dask worker process (run by its plug-in): thread limits (the Dask nanny sets the
    same variables before the process starts; this covers workers started without one), then the
    models, so its first chunk does not pay for them. No parent-death signal: Dask's nanny owns it."""
    limit_threads()
    from newsetl.extractors.batch import warm_up

    warm_up()


def split_chunks(units: list[RawUnit], n_chunks: int) -> list[list[RawUnit]]:
    """At most ``n_chunks`` interleaved chunks of ``units`` (long and short units spread evenly)."""
    n_chunks = max(1, min(len(units), n_chunks))
    return [units[i::n_chunks] for i in range(n_chunks)]


def in_input_order(units: list[RawUnit], results: list[UnitResult]) -> list[UnitResult]:
    """``results`` (in any order) put back in the order of the ``units`` they came from."""
    by_source = {(r.source_uri, r.source_id): r for r in results}
    return [by_source[(u.source_uri, u.source_id)] for u in units]


def analyse_chunk(units: list[RawUnit]) -> list[UnitResult]:
    """Analyse units in a worker (imported there after :func:`init_worker`)."""
    from newsetl.extractors.batch import analyse_units

    return analyse_units(units)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes that warm up as they start."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker)


class InlineExecutor(Executor):
    """Runs work in the calling process: the one-core path (``workers=1``)."""

    def map(self, fn, *iterables, timeout=None, chunksize=1):  # noqa: D102 - Executor API
        return map(fn, *iterables)


class PendingAnalysis:
    """A batch handed to an analysis engine: its units, and either its results (ready) or the
    futures of its chunks on ``executor`` (``futures`` None: the pool was broken when it was
    submitted). A plain class: orchestration passes it to a task as it is."""

    def __init__(self, units: list[RawUnit], results: list[UnitResult] | None = None,
                 futures: list[Future] | None = None, executor: Executor | None = None):
        self.units, self.results, self.futures, self.executor = units, results, futures, executor


def ready(units: list[RawUnit], results: list[UnitResult]) -> PendingAnalysis:
    """A batch whose results are already there (an engine that analyses on submission)."""
    return PendingAnalysis(units, results=results)


class AnalysisPool:
    """Worker processes for the analysis stage. A batch whose worker died is retried on a fresh
    pool, one unit at a time; a unit that kills a worker twice is quarantined (``worker_crashed``)
    and the rest of the batch goes on.

    :meth:`submit` hands a batch to the workers and returns at once, so the caller can stage the
    previous batch meanwhile; :meth:`collect` waits for its results. :meth:`analyse` does both.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self._executor: Executor | None = None

    def __enter__(self) -> "AnalysisPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    @property
    def executor(self) -> Executor:
        """The live executor, started on first use (and again after a crash)."""
        if self._executor is None:
            self._executor = self._start()
        return self._executor

    def _start(self) -> Executor:
        if self.workers <= 1:
            return InlineExecutor()
        return worker_pool(self.workers)

    def _restart(self) -> None:
        """Drop a broken pool (its processes are gone or going) so the next use starts afresh."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def analyse(self, units: list[RawUnit]) -> list[UnitResult]:
        """Analyse a batch in interleaved chunks across the workers; results keep the input order."""
        return self.collect(self.submit(units))

    def submit(self, units: list[RawUnit]) -> PendingAnalysis:
        """Start analysing a batch in interleaved chunks across the workers (with one worker: now,
        in this process)."""
        if not units:
            return ready(units, [])
        executor = self.executor
        if self.workers <= 1:  # in this process, now
            return ready(units, [r for chunk in executor.map(analyse_chunk, split_chunks(units, 2)) for r in chunk])
        try:
            futures = [executor.submit(analyse_chunk, chunk) for chunk in split_chunks(units, self.workers * 2)]
        except BrokenProcessPool:
            futures = None
        return PendingAnalysis(units, futures=futures, executor=executor)

    def collect(self, pending: PendingAnalysis) -> list[UnitResult]:
        """The results of a submitted batch, in input order. If its pool broke, the batch is
        analysed again one unit at a time on a fresh pool."""
        if pending.results is not None:
            return in_input_order(pending.units, pending.results)
        try:
            if pending.futures is None:
                raise BrokenProcessPool("the pool was broken when the batch was submitted")
            results = [r for future in pending.futures for r in future.result()]
        except BrokenProcessPool:
            if pending.executor is self._executor:  # not yet replaced by a later batch's recovery
                self._restart()
            results = [self._analyse_alone(unit) for unit in pending.units]
        return in_input_order(pending.units, results)

    def _analyse_alone(self, unit: RawUnit) -> UnitResult:
        """One unit on its own, on a fresh pool after each crash, until it has crashed too often."""
        for _ in range(MAX_CRASHES_PER_UNIT):
            try:
                return next(iter(self.executor.map(analyse_chunk, [[unit]])))[0]
            except BrokenProcessPool:
                self._restart()
        return crashed(unit)


def crashed(unit: RawUnit) -> UnitResult:
    """The quarantine result of a unit whose analysis killed its worker process every time."""
    message = (f"analysing this unit killed the worker process {MAX_CRASHES_PER_UNIT} times "
               "(out of memory, or a crash in a native library); the rest of the run went on")
    from newsetl.extractors.documents.build import make_reject  # imports numpy: never before the thread limits

    reject = make_reject(unit, "worker_crashed", message)
    return UnitResult(unit.source_uri, unit.source_id, reject.raw_hash, unit.raw, reject=reject)
