"""The ``ingest`` flow: raw news files in, a validated DuckDB warehouse out.

The flow reads as the pipeline's table of contents; each task opens what it needs and calls one
stage function (sources → documents → records → warehouse → validation → report), on a batch.
"""
from __future__ import annotations

import time
import uuid
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from newsetl.config import Settings, resolve_settings
from newsetl.extractors import batch as analysis
from newsetl.extractors.workers import AnalysisPool
from newsetl.extractors.sources.files import Scan, SourceFile, read_units, scan
from newsetl.flows.locking import ingest_lock
from newsetl.report.artifact import publish_run_artifact
from newsetl.schemas.records import RawUnit
from newsetl.validation import audit as validation
from newsetl.warehouse import runs, search
from newsetl.warehouse.classify import RunState
from newsetl.warehouse.db import writer
from newsetl.warehouse.entities import resolve_entities as resolve_entity_keys
from newsetl.warehouse.publish import publish as publish_staging
from newsetl.warehouse.stage import split_unchanged, stage_batch
from newsetl.warehouse.stories import stage_stories as stage_story_assignments


@task(name="start-run", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5)
def start_run(warehouse: Path, run_id: str, paths: list[str]) -> None:
    """Record the run in ``ingest_runs`` and clear stale staging."""
    with writer(warehouse) as con:
        runs.begin_run(con, run_id, str(flow_run.id) if flow_run.id else None, paths)


@task(name="discover", cache_policy=NO_CACHE)
def discover(warehouse: Path, run_id: str, paths: list[str]) -> Scan:
    """Expand files, folders and globs into the list of input files."""
    found = scan(paths)
    with writer(warehouse) as con:
        runs.set_scan_counts(con, run_id, len(found.files), len(found.skipped))
    get_run_logger().info("found %d input files (%d skipped as unsupported)", len(found.files), len(found.skipped))
    return found


@task(name="process-batch", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def process_batch(warehouse: Path, run_id: str, state: RunState, pool: AnalysisPool,
                  units: list[RawUnit]) -> dict[str, int]:
    """Skip units already loaded, analyse the rest in worker processes, stage everything."""
    todo, unchanged = split_unchanged(warehouse, units, state, analysis.extractor_version())
    results = pool.analyse(todo)
    return stage_batch(warehouse, run_id, state, results, unchanged).counts


@task(name="resolve-entities", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def resolve_entities(warehouse: Path) -> int:
    """Resolve mention keys corpus-wide and stage the rebuilt entity table."""
    with writer(warehouse) as con:
        return resolve_entity_keys(con)


@task(name="assign-stories", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def assign_stories(warehouse: Path, run_id: str) -> int:
    """Find near-duplicates and story clusters of the run's documents (band-key join, incremental)."""
    with writer(warehouse) as con:
        return len(stage_story_assignments(con, run_id))


@task(name="audit", cache_policy=NO_CACHE)
def audit(warehouse: Path, data_dir: Path, run_id: str, units_read: int) -> validation.AuditResult:
    """Validate the staged rows with Great Expectations; quarantine critical failures."""
    return validation.audit(warehouse, data_dir, run_id, units_read)


@task(name="publish", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def publish(warehouse: Path, run_id: str) -> None:
    """Make the audited rows visible in the published tables."""
    with writer(warehouse) as con:
        publish_staging(con, run_id)


@task(name="refresh-search-index", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def refresh_search_index(warehouse: Path) -> int:
    """Bring the BM25 index in step with the published documents (publish indexes the run's own
    documents; this repairs what an interrupted or older build left out). Returns documents reindexed."""
    with writer(warehouse) as con:
        return search.refresh_index(con)


@task(name="finish-run", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=5)
def finish_run(warehouse: Path, run_id: str, result: validation.AuditResult, note: str | None) -> dict[str, int]:
    """Store the run's final counts and validation outcome."""
    with writer(warehouse) as con:
        return runs.finish_run(con, run_id, "completed", result.success, result.warnings, result.docs_index, note)


@flow(name="ingest", log_prints=False)
def ingest(paths: list[str], warehouse: str | None = None, data_dir: str | None = None,
           batch_size: int = 200, workers: int = 2) -> dict:
    """Ingest news files, folders or globs into the warehouse and validate the load.

    Returns the run's summary: run id, counts by outcome, validation outcome, Data Docs path.
    """
    settings = resolve_settings(data_dir, warehouse)
    with ingest_lock(settings.warehouse):
        run_id = uuid.uuid4().hex[:16]
        start_run(settings.warehouse, run_id, paths)
        try:
            changed, result = load_and_audit(settings, run_id, paths, batch_size, workers)
        except BaseException as exc:
            record_failure(settings.warehouse, run_id, exc)
            raise
        counts, note = close_run(settings.warehouse, run_id, result, changed)
    publish_run_artifact(run_id, counts, result)
    get_run_logger().info("run %s: %s; validation %s", run_id, ", ".join(f"{k} {v}" for k, v in counts.items()),
                          "passed" if result.success else "failed")
    return {"run_id": run_id, "counts": counts, "validation_success": result.success,
            "warnings": result.warnings, "quarantined_records": result.quarantined,
            "docs_index": result.docs_index, "warehouse": str(settings.warehouse), "note": note}


def batched_units(files: Iterable[SourceFile], size: int) -> Iterator[list[RawUnit]]:
    """Stream the input units of ``files`` in batches of ``size``."""
    units = read_units(files)
    while batch := list(islice(units, size)):
        yield batch


def load_and_audit(settings: Settings, run_id: str, paths: list[str], batch_size: int,
                   workers: int) -> tuple[int, validation.AuditResult]:
    """Stage every batch, resolve entities, audit and publish; returns (documents changed, audit)."""
    logger = get_run_logger()
    found = discover(settings.warehouse, run_id, paths)
    state = RunState()
    started, done, changed = time.monotonic(), 0, 0
    with AnalysisPool(workers) as pool:
        for number, units in enumerate(batched_units(found.files, batch_size), start=1):
            counts = process_batch(settings.warehouse, run_id, state, pool, units)
            done += len(units)
            changed += counts["new"] + counts["updated"]
            logger.info("batch %d: %d units (%s); %d units so far, %.1f units/s", number, len(units),
                        ", ".join(f"{k} {v}" for k, v in counts.items() if v), done,
                        done / max(time.monotonic() - started, 1e-6))
    resolve_entities(settings.warehouse)
    assign_stories(settings.warehouse, run_id)
    result = audit(settings.warehouse, settings.data_dir, run_id, done)
    publish(settings.warehouse, run_id)
    return changed, result


def close_run(warehouse: Path, run_id: str, result: validation.AuditResult,
              changed: int) -> tuple[dict[str, int], str | None]:
    """After publishing: repair the search index where it lags the documents, then store the final
    counts (returned with a note when the index could not be refreshed).

    A failed refresh does not undo the published run: it is noted on the run and the next run
    repairs the index.
    """
    note = None
    try:
        refresh_search_index(warehouse)
    except Exception as exc:
        note = f"published, but the search index was not refreshed ({exc}); the next run refreshes it"
        get_run_logger().error(note)
    return finish_run(warehouse, run_id, result, note), note


def record_failure(warehouse: Path, run_id: str, exc: BaseException) -> None:
    """Mark the run failed (nothing was published); never mask the original error."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    try:
        with writer(warehouse, retry_seconds=60) as con:
            runs.fail_run(con, run_id, message)
    except Exception as inner:
        get_run_logger().error("could not mark run %s failed (%s); the next run will", run_id, inner)
