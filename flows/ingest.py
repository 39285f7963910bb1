"""The ``ingest`` flow: raw news files in, a validated DuckDB warehouse out.

The flow reads as the pipeline's table of contents; each task opens what it needs and calls one
stage function (sources → documents → records → warehouse → validation → report), on a batch.
"""
from __future__ import annotations

import time
import uuid
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed
from prefect.utilities.annotations import quote

from newsetl.config import Settings, resolve_settings
from newsetl.extractors import batch as analysis
from newsetl.extractors.sources.accounting import ReadStats
from newsetl.extractors.sources.discovery import Scan, SourceFile, scan
from newsetl.extractors.sources.files import read_units
from newsetl.extractors.sources.limits import DEFAULT_MAX_UNIT_BYTES
from newsetl.extractors.workers import PendingAnalysis
from newsetl.flows.dask import Analyser, analysis_pool
from newsetl.flows.errors import StrictRunFailed
from newsetl.flows.locking import ingest_lock
from newsetl.flows.progress import current_progress
from newsetl.report import artifact
from newsetl.report.build import build_report
from newsetl.schemas.records import RawUnit
from newsetl.validation import audit as validation
from newsetl.warehouse import runs, search
from newsetl.warehouse.classify import RunState
from newsetl.warehouse.db import WarehouseBusy, writer
from newsetl.warehouse.entities import resolve_entities as resolve_entity_keys
from newsetl.warehouse.places import stage_places
from newsetl.warehouse.publish import publish as publish_staging
from newsetl.warehouse.publish import publish_inputs_only
from newsetl.warehouse.stage import split_unchanged, stage_batch
from newsetl.warehouse.stories import stage_stories as stage_story_assignments

# Input units staged before the run closes a window (resolve, stories, audit, publish) and goes on.
DEFAULT_PUBLISH_EVERY = 2000


def retry_unless_busy(task, task_run, state) -> bool:
    """Retry a failed task, except when the warehouse stayed busy: the writer already waited its
    whole budget (``NEWSETL_LOCK_WAIT``), and waiting again would only make the run hang longer."""
    return not isinstance(state.result(raise_on_failure=False), WarehouseBusy)


# Tasks that open the warehouse: I/O can fail for a moment, so they retry once.
WRITER_TASK = dict(cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5, retry_condition_fn=retry_unless_busy)


@task(name="start-run", **{**WRITER_TASK, "retries": 2})
def start_run(warehouse: Path, run_id: str, paths: list[str]) -> None:
    """Record the run in ``ingest_runs`` and clear stale staging."""
    with writer(warehouse) as con:
        runs.begin_run(con, run_id, str(flow_run.id) if flow_run.id else None, paths)


@task(name="discover", cache_policy=NO_CACHE)
def discover(warehouse: Path, run_id: str, paths: list[str], follow_symlinks: bool, strict: bool) -> Scan:
    """Expand files, folders and globs into the list of input files."""
    found = scan(paths, follow_symlinks=follow_symlinks)
    current_progress().files_found(len(found.files))
    with writer(warehouse) as con:
        runs.set_scan_counts(con, run_id, len(found.files), len(found.skipped), len(found.skipped_symlinks), strict)
    get_run_logger().info("found %d input files (%d skipped: unsupported, or symlinks leading outside)",
                          len(found.files), len(found.skipped))
    return found


@task(name="skip-unchanged", **WRITER_TASK)
def skip_unchanged(warehouse: Path, run_id: str, state: RunState, units: list[RawUnit],
                   in_flight: list[RawUnit]) -> tuple[list[RawUnit], list, dict[str, int] | None]:
    """Split a batch into units to analyse and units already loaded (which need no work). The
    source ids of ``in_flight``, the batch not staged yet, count as seen by the run: a unit sharing
    one is analysed, as it would be once that batch is staged, and classified at staging.
    A batch with nothing to analyse and nothing staged ahead of it is staged here at once, on the
    same connection (an unchanged rerun then costs one task and one writer per batch); its counts
    come third, else None."""
    ahead = RunState(state.content_to_doc, state.seen_source_ids | {u.source_id for u in in_flight})
    with writer(warehouse) as con:
        todo, unchanged = split_unchanged(con, units, ahead, analysis.extractor_version())
        if todo or in_flight:
            return todo, unchanged, None
        return todo, unchanged, stage_batch(con, run_id, state, [], unchanged).counts


@task(name="process-batch", **WRITER_TASK)
def process_batch(warehouse: Path, run_id: str, state: RunState, pool: Analyser,
                  batch: "InFlight") -> dict[str, int]:
    """Collect a batch's analysis from the workers and stage it with its unchanged units."""
    results = pool.collect(batch.pending)
    with writer(warehouse) as con:
        return stage_batch(con, run_id, state, results, batch.unchanged).counts


@task(name="resolve-entities", **WRITER_TASK)
def resolve_entities(warehouse: Path) -> int:
    """Resolve mention keys corpus-wide, stage the changed entities and link new places to GeoNames."""
    with writer(warehouse) as con:
        resolved = resolve_entity_keys(con)
        stage_places(con)
        return resolved


@task(name="assign-stories", **WRITER_TASK)
def assign_stories(warehouse: Path, run_id: str) -> int:
    """Find near-duplicates and story clusters of the run's documents (band-key join, incremental)."""
    with writer(warehouse) as con:
        return len(stage_story_assignments(con, run_id))


@task(name="audit", cache_policy=NO_CACHE)
def audit(warehouse: Path, data_dir: Path, run_id: str, units_read: int) -> validation.AuditResult:
    """Validate the staged rows with Great Expectations; quarantine critical failures."""
    return validation.audit(warehouse, data_dir, run_id, units_read)


@task(name="publish", **WRITER_TASK)
def publish(warehouse: Path, run_id: str, last: bool = True) -> None:
    """Make the audited rows visible in the published tables, with their search index entries.
    ``last``: the run's last window (its status becomes ``published``; else it stays ``running``)."""
    with writer(warehouse) as con:
        publish_staging(con, run_id, runs.PUBLISHED if last else runs.RUNNING)


@task(name="publish-inputs", **WRITER_TASK)
def publish_inputs(warehouse: Path, run_id: str, last: bool = True) -> None:
    """A run or window with nothing new: publish where its units ended, skip audit, Data Docs and index."""
    with writer(warehouse) as con:
        publish_inputs_only(con, run_id, runs.PUBLISHED if last else runs.RUNNING)


@task(name="refresh-search-index", **WRITER_TASK)
def refresh_search_index(warehouse: Path) -> int:
    """Bring the BM25 index in step with the published documents (publish indexes the run's own
    documents; this repairs what an interrupted or older build left out). Returns documents reindexed."""
    with writer(warehouse) as con:
        return search.refresh_index(con)


@task(name="finish-run", **WRITER_TASK)
def finish_run(warehouse: Path, run_id: str, result: validation.AuditResult,
               note: str | None) -> tuple[dict[str, int], dict[str, int]]:
    """Store the run's final counts and validation outcome; returns them with the quarantine reasons."""
    with writer(warehouse) as con:
        counts = runs.finish_run(con, run_id, "completed", result.success, result.warnings, result.docs_index, note)
        return counts, runs.quarantine_reasons(con, run_id)


@task(name="build-report", **WRITER_TASK)
def refresh_report(settings: Settings) -> str:
    """Rebuild the self-contained HTML report of the warehouse; returns its path."""
    return str(build_report(settings))


@flow(name="ingest", log_prints=False)
def ingest(paths: list[str], warehouse: str | None = None, data_dir: str | None = None,
           batch_size: int = 200, workers: int = 2, strict: bool = False, follow_symlinks: bool = False,
           max_unit_bytes: int = DEFAULT_MAX_UNIT_BYTES, dask: str | None = None,
           publish_every: int = DEFAULT_PUBLISH_EVERY):
    """Ingest news files, folders or globs into the warehouse and validate the load.

    Every ``publish_every`` staged input units (and at the end) the run closes a window: it resolves
    entities, assigns stories, audits and publishes what it staged, so its memory is bounded by the
    window, not by the run, and readers see a large run window by window.

    ``dask`` runs the analysis on a Dask cluster (a scheduler address such as ``tcp://host:8786``, or
    ``local`` for a ``LocalCluster`` of ``workers`` processes; see :mod:`newsetl.flows.dask`).

    Returns the run's summary (run id, counts by outcome, validation outcome, report paths) in a
    Completed state whose message states the counts. With ``strict``, a run that quarantined
    anything is published but fails (:class:`StrictRunFailed`).
    """
    if publish_every < 1:
        raise ValueError(f"publish_every must be at least 1 (got {publish_every})")
    settings = resolve_settings(data_dir, warehouse)
    options = dict(batch_size=batch_size, workers=workers, follow_symlinks=follow_symlinks,
                   max_unit_bytes=max_unit_bytes, strict=strict, dask=dask, publish_every=publish_every)
    with ingest_lock(settings.warehouse):
        run_id = uuid.uuid4().hex[:16]
        start_run(settings.warehouse, run_id, paths)
        try:
            result = load_and_audit(settings, run_id, paths, **options)
        except BaseException as exc:
            record_failure(settings.warehouse, run_id, exc)
            raise
        summary = close_run(settings, run_id, result)
    return report_outcome(summary, strict)


def batched_units(files: Iterable[SourceFile], size: int, max_unit_bytes: int,
                  stats: ReadStats) -> Iterator[list[RawUnit]]:
    """Stream the input units of ``files`` in batches of ``size``."""
    units = read_units(files, max_unit_bytes=max_unit_bytes, stats=stats)
    while batch := list(islice(units, size)):
        yield batch


def load_and_audit(settings: Settings, run_id: str, paths: list[str], batch_size: int, workers: int,
                   follow_symlinks: bool, max_unit_bytes: int, strict: bool, dask: str | None = None,
                   publish_every: int = DEFAULT_PUBLISH_EVERY) -> validation.AuditResult:
    """Stage the batches; each time ``publish_every`` units are staged, and at the end, close the
    window (:func:`close_window`). Returns the run's audit, combined from its windows'
    (``NOT_AUDITED`` when no window changed anything)."""
    found = discover(settings.warehouse, run_id, paths, follow_symlinks, strict)
    stats, verdicts, window, staged = ReadStats(), [], {}, 0
    with analysis_pool(workers, dask) as pool:
        for units, counts in stage_batches(settings, run_id, pool,
                                           batched_units(found.files, batch_size, max_unit_bytes, stats)):
            window, staged = {k: window.get(k, 0) + v for k, v in counts.items()}, staged + len(units)
            if sum(window.values()) >= publish_every:  # the next batch is being analysed meanwhile
                verdicts.append(close_window(settings, run_id, window, staged, len(verdicts) + 1, last=False))
                window = {}
    with writer(settings.warehouse) as con:
        runs.set_skipped_records(con, run_id, dict(stats.skipped_warc_records))
    verdicts.append(close_window(settings, run_id, window, stats.units, len(verdicts) + 1, last=True))
    return validation.combine(verdicts)


def close_window(settings: Settings, run_id: str, counts: dict[str, int], units_read: int, number: int,
                 last: bool) -> validation.AuditResult:
    """One write-audit-publish cycle over what is staged: unless nothing in it is new, resolve
    entities, assign stories and audit; then publish, leaving staging empty. Returns its audit
    (``NOT_AUDITED`` when every unit was unchanged). ``counts``: the window's units by outcome;
    ``units_read``: the units the run read so far; ``last``: the run's last window."""
    if sum(counts.values()) == counts.get("unchanged", 0):
        publish_inputs(settings.warehouse, run_id, last)
        return validation.NOT_AUDITED
    label = "" if last and number == 1 else f"window {number}: "
    current_progress().stage(f"{label}resolving entities and stories")
    resolve_entities(settings.warehouse)
    assign_stories(settings.warehouse, run_id)
    current_progress().stage(f"{label}validating")
    result = audit(settings.warehouse, settings.data_dir, run_id, units_read)
    publish(settings.warehouse, run_id, last)
    if not last:
        get_run_logger().info("window %d published: %d units (%s)", number, sum(counts.values()),
                              ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    return result


class InFlight:
    """A batch handed to the analysis engine: its units, those already loaded, and its pending analysis."""

    def __init__(self, units: list[RawUnit], unchanged: list, pending: PendingAnalysis):
        self.units, self.unchanged, self.pending = units, unchanged, pending


def stage_batches(settings: Settings, run_id: str, pool: Analyser,
                  batches: Iterable[list[RawUnit]]) -> Iterator[tuple[list[RawUnit], dict[str, int]]]:
    """Stage each batch while the workers analyse the next one, logging progress with a rate;
    yields each batch with its counts once it is staged (the next one is then already submitted).
    Once a batch has something to analyse, the audit's preparation starts beside the workers.

    The run's state and the units go to the tasks ``quote``d: Prefect would otherwise walk every
    element of them twice per task run, looking for futures, a cost that grows with the run."""
    log, state, warehouse = BatchLog(), RunState(), settings.warehouse
    ahead: InFlight | None = None
    for number, units in enumerate(chain(batches, [None])):
        in_flight, ahead = ahead, None
        if units is not None:
            todo, unchanged, counts = skip_unchanged(warehouse, run_id, quote(state), quote(units),
                                                     quote(in_flight.units if in_flight else []))
            if counts is not None:  # nothing to analyse, nothing ahead: already staged
                yield log.staged(number + 1, units, counts)
                continue
            ahead = InFlight(units, unchanged, pool.submit(todo))
            if todo:
                validation.prepare(settings.data_dir)
        if in_flight is not None:
            yield log.staged(number, in_flight.units, process_batch(warehouse, run_id, quote(state), pool, in_flight))


class BatchLog:
    """Logs each staged batch with the run's rate so far, and moves the progress display on."""

    def __init__(self) -> None:
        self.logger, self.started, self.done = get_run_logger(), time.monotonic(), 0

    def staged(self, number: int, units: list[RawUnit], counts: dict[str, int]) -> tuple[list[RawUnit], dict[str, int]]:
        """Record batch ``number`` (1-based) as staged; returns it with its counts."""
        current_progress().batch_done(units)
        self.done += len(units)
        self.logger.info("batch %d: %d units (%s); %d units so far, %.1f units/s", number, len(units),
                         ", ".join(f"{k} {v}" for k, v in counts.items() if v), self.done,
                         self.done / max(time.monotonic() - self.started, 1e-6))
        return units, counts


def close_run(settings: Settings, run_id: str, result: validation.AuditResult) -> dict:
    """After publishing: repair the search index where it lags, store the final counts, rebuild the
    report (a run with nothing new skips the index and the report). A failed refresh does not undo
    the published run: it is noted on the run and the next run repairs it."""
    note = None
    if result.audited:
        try:
            refresh_search_index(settings.warehouse)
        except Exception as exc:
            note = f"published, but the search index was not refreshed ({exc}); the next run refreshes it"
            get_run_logger().error(note)
    counts, reasons = finish_run(settings.warehouse, run_id, result, note)
    summary = {"run_id": run_id, "counts": counts, "validation_success": result.success,
               "warnings": result.warnings, "quarantined_records": result.quarantined,
               "quarantine_reasons": reasons, "docs_index": result.docs_index,
               "warehouse": str(settings.warehouse), "note": note, "report": None}
    if result.audited:
        current_progress().stage("building the report")
        summary["report"] = refresh_report(settings)
    return summary


def report_outcome(summary: dict, strict: bool):
    """Tell orchestration how the run went: artifacts, an event, a log line and the final state."""
    message = artifact.state_message(summary)
    artifact.publish_run_artifacts(summary, summary["quarantine_reasons"])
    artifact.emit_finished_event(summary, strict)
    get_run_logger().info("run %s: %s", summary["run_id"], message)
    if strict and (summary["counts"]["quarantined"] or sum(summary["quarantined_records"].values())):
        raise StrictRunFailed(f"strict run quarantined input: {message}", summary)
    return Completed(message=message, data=summary)


def record_failure(warehouse: Path, run_id: str, exc: BaseException) -> None:
    """Mark the run failed (nothing of its current window was published; earlier windows stay);
    never mask the original error."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    try:
        with writer(warehouse) as con:
            runs.fail_run(con, run_id, message)
    except Exception as inner:
        get_run_logger().error("could not mark run %s failed (%s); the next run will", run_id, inner)
