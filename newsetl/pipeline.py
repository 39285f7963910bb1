"""The ingest's stages as plain functions over batches; ``flows/ingest.py`` only wires them.

sources → documents → records → warehouse → validation → report. CPU-bound work (HTML cleaning,
entity and fact extraction) runs in worker processes that load their models once; only the
calling process opens the warehouse, and only for short write transactions.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from newsetl.extractors.documents.build import build_document, make_reject
from newsetl.extractors.sources.files import Scan, SourceFile, read_units, scan
from newsetl.schemas.records import Document, RawUnit, Reject
from newsetl.warehouse import load as wh
from newsetl.warehouse.db import writer


# --- analysis (runs in worker processes) ------------------------------------------------------


@dataclass
class UnitResult:
    """What one input unit became: a document with its records, or a reject."""

    source_uri: str
    source_id: str
    raw_hash: str
    raw: bytes
    document: Document | None = None
    reject: Reject | None = None
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def warm_up() -> None:
    """Load the NLP models once in a worker process, before its first batch."""
    from newsetl.extractors import batch as record_extractors

    record_extractors.load_models()


def analyse_units(units: list[RawUnit]) -> list[UnitResult]:
    """Build each unit's document and extract its records (mentions, acronyms, facts)."""
    from newsetl.extractors import batch as record_extractors

    results = []
    for unit in units:
        built = build_document(unit)
        result = UnitResult(unit.source_uri, unit.source_id, built.raw_hash, unit.raw)
        if isinstance(built, Reject):
            result.reject = built
        else:
            built.raw = b""  # the bytes travel once, in ``result.raw``
            built.extractor_version = record_extractors.pipeline_version()
            try:
                result.records = record_extractors.extract_records(built)
                result.document = built
            except Exception as exc:  # an extractor bug must not sink the run: the unit is quarantined
                result.reject = make_reject(unit, "extraction_failed",
                                            f"entity/fact extraction failed: {type(exc).__name__}: {exc}")
        results.append(result)
    return results


class InlineExecutor(Executor):
    """Runs work in the calling process: the one-core path (``workers=1``)."""

    def map(self, fn, *iterables, timeout=None, chunksize=1):  # noqa: D102 - Executor API
        return map(fn, *iterables)


def make_executor(workers: int) -> Executor:
    """A process pool of ``workers`` warmed-up processes, or the inline executor for one."""
    if workers <= 1:
        return InlineExecutor()
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=warm_up)


def analyse_batch(executor: Executor, units: list[RawUnit], workers: int) -> list[UnitResult]:
    """Analyse a batch in interleaved chunks across the workers; results keep the input order."""
    if not units:
        return []
    n_chunks = max(1, min(len(units), workers * 2))
    chunks = [units[i::n_chunks] for i in range(n_chunks)]
    by_source = {(r.source_uri, r.source_id): r for chunk in executor.map(analyse_units, chunks) for r in chunk}
    return [by_source[(u.source_uri, u.source_id)] for u in units]


# --- sources ----------------------------------------------------------------------------------


def discover(paths: list[str]) -> Scan:
    """Expand the given files, folders and globs (raises ``InputNotFound``)."""
    return scan(paths)


def batched_units(files: Iterable[SourceFile], size: int) -> Iterator[list[RawUnit]]:
    """Stream the input units in batches of ``size``."""
    units = read_units(files)
    while batch := list(islice(units, size)):
        yield batch


# --- classification and staging ---------------------------------------------------------------


@dataclass
class BatchOutcome:
    """How a batch's units were classified (counts by outcome)."""

    counts: dict[str, int] = field(default_factory=lambda: {o: 0 for o in wh.OUTCOMES})

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1


@dataclass
class RunState:
    """What the run has classified so far, to catch duplicates within the run itself.

    A batch classifies against a copy and merges it back only once its staging committed, so a
    retried batch sees the same state as its first attempt.
    """

    content_to_doc: dict[str, str] = field(default_factory=dict)
    seen_source_ids: set[str] = field(default_factory=set)

    def copy(self) -> "RunState":
        return RunState(dict(self.content_to_doc), set(self.seen_source_ids))

    def merge(self, other: "RunState") -> None:
        self.content_to_doc.update(other.content_to_doc)
        self.seen_source_ids |= other.seen_source_ids


def split_unchanged(warehouse: Path, units: list[RawUnit], state: RunState) -> tuple[list[RawUnit], list[tuple[RawUnit, wh.SourceState]]]:
    """Separate units whose exact bytes are already published under the same source id and
    extractor version (they need no work) from those that must be analysed. A source id the run
    has already seen is analysed again, to be classified as a duplicate."""
    from newsetl.extractors.batch import pipeline_version

    with writer(warehouse) as con:
        known = wh.known_sources(con, [u.source_id for u in units])
    todo, unchanged = [], []
    version = pipeline_version()
    for unit in units:
        published = known.get(unit.source_id)
        if (published and unit.error is None and unit.source_id not in state.seen_source_ids
                and published.raw_hash == wh.sha256_hex(unit.raw) and published.extractor_version == version):
            unchanged.append((unit, published))
        else:
            todo.append(unit)
    return todo, unchanged


def stage_batch(warehouse: Path, run_id: str, state: RunState, results: list[UnitResult],
                unchanged: list[tuple[RawUnit, wh.SourceState]]) -> BatchOutcome:
    """Classify analysed units against the warehouse and stage them in one transaction."""
    outcome = BatchOutcome()
    trial = state.copy()
    inputs: list[dict[str, Any]] = []
    docs, doc_outcomes, rejects = [], [], []
    records: dict[str, list[dict[str, Any]]] = {}
    with writer(warehouse) as con:
        docs_in = [r.document for r in results if r.document]
        known = wh.known_sources(con, [d.source_id for d in docs_in])
        published_content = wh.known_content(con, [d.content_hash for d in docs_in])
        for unit, src in unchanged:
            kind, row = _classify_unchanged(unit, src, trial)
            inputs.append(row)
            outcome.add(kind)
        for result in results:
            kind, row = _classify(result, known, published_content, trial)
            inputs.append(row)
            outcome.add(kind)
            if kind in ("new", "updated"):
                docs.append(result.document.row())
                doc_outcomes.append(kind)
                for table, rows in result.records.items():
                    records.setdefault(table, []).extend(rows)
            elif kind == "quarantined":
                rejects.append(_reject_quarantine_row(result))
        con.execute("BEGIN TRANSACTION")
        try:
            wh.store_raw(con, run_id, [(r.raw_hash, r.raw) for r in results])
            wh.stage_documents(con, run_id, docs, doc_outcomes)
            for table, rows in records.items():
                wh.stage_records(con, table, rows)
            wh.stage_quarantine(con, run_id, rejects)
            wh.stage_inputs(con, run_id, inputs)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    state.merge(trial)
    return outcome


def _classify_unchanged(unit: RawUnit, published: wh.SourceState, state: RunState) -> tuple[str, dict[str, Any]]:
    """A unit whose bytes are already published: unchanged, unless the run already had its source."""
    if unit.source_id in state.seen_source_ids:
        row = _input_row(unit.source_uri, unit.source_id, published.raw_hash, "duplicate", None)
        row["duplicate_of"], row["reason_code"] = published.doc_id, "duplicate_source_id"
        return "duplicate", row
    state.seen_source_ids.add(unit.source_id)
    return "unchanged", _input_row(unit.source_uri, unit.source_id, published.raw_hash, "unchanged", published.doc_id)


def _classify(result: UnitResult, known: dict[str, wh.SourceState], published_content: dict[str, str],
              state: RunState) -> tuple[str, dict[str, Any]]:
    """Decide a unit's outcome: new, unchanged, updated, duplicate or quarantined."""
    if result.reject is not None:
        row = _input_row(result.source_uri, result.source_id, result.raw_hash, "quarantined", None)
        row["reason_code"] = result.reject.reason_code
        return "quarantined", row
    doc = result.document
    if doc.source_id in state.seen_source_ids:
        # The same source id twice in one run (e.g. a repeated JSONL id): the first one wins.
        row = _input_row(result.source_uri, doc.source_id, result.raw_hash, "duplicate", None)
        row["duplicate_of"], row["reason_code"] = doc.doc_id, "duplicate_source_id"
        return "duplicate", row
    state.seen_source_ids.add(doc.source_id)
    previous = known.get(doc.source_id)
    reprocessed = previous and previous.extractor_version != doc.extractor_version
    if previous and previous.content_hash == doc.content_hash and not reprocessed:
        return "unchanged", _input_row(result.source_uri, doc.source_id, result.raw_hash, "unchanged", doc.doc_id)
    original = state.content_to_doc.get(doc.content_hash) or published_content.get(doc.content_hash)
    if original and original != doc.doc_id:
        row = _input_row(result.source_uri, doc.source_id, result.raw_hash, "duplicate", None)
        row["duplicate_of"], row["reason_code"] = original, "duplicate_content"
        return "duplicate", row
    state.content_to_doc[doc.content_hash] = doc.doc_id
    kind = "updated" if previous else "new"  # same content under new extractors counts as updated
    return kind, _input_row(result.source_uri, doc.source_id, result.raw_hash, kind, doc.doc_id)


def _input_row(source_uri: str, source_id: str, raw_hash: str, outcome: str, doc_id: str | None) -> dict[str, Any]:
    return {"source_uri": source_uri, "source_id": source_id, "raw_hash": raw_hash, "outcome": outcome,
            "doc_id": doc_id, "duplicate_of": None, "reason_code": None}


def _reject_quarantine_row(result: UnitResult) -> dict[str, Any]:
    reject = result.reject
    return {"record_table": "input", "source_uri": reject.source_uri, "source_id": reject.source_id,
            "doc_id": None, "reason_code": reject.reason_code, "message": reject.message,
            "raw_hash": result.raw_hash, "raw": result.raw}


# --- resolution, audit, publish ---------------------------------------------------------------


def resolve_entities(warehouse: Path) -> int:
    """Resolve every live mention key to an entity (corpus-wide) and stage the entity table."""
    from newsetl.extractors import batch as record_extractors

    with writer(warehouse) as con:
        keys = wh.live_keys(con)
        acronyms = wh.live_acronyms(con)
        key_map, aliases = record_extractors.resolve(keys, acronyms)
        wh.apply_entity_resolution(con, key_map, aliases)
        return len(key_map)


class ValidationBlocked(RuntimeError):
    """The audit could not decide which rows are valid, so nothing is published."""


@dataclass
class AuditResult:
    """The audit's verdict: validation outcome, quarantined record counts, Data Docs path."""

    success: bool
    warnings: list[str]
    docs_index: str
    quarantined: dict[str, int]


# Tables derived from others: a failing row there means a bug, not bad input, so it holds the
# run back instead of being quarantined.
DERIVED_TABLES = ("ingest_runs", "entities")


def audit(warehouse: Path, data_dir: Path, run_id: str, units_read: int) -> AuditResult:
    """Validate the staged rows; move rows failing critical checks to quarantine.

    ``units_read`` is how many input units the run read: the run's own row is checked to account
    for every one of them. When rows were quarantined, entities are resolved again without them
    and the rebuilt entity table is validated once more.
    """
    from newsetl.validation.runner import validate_tables
    from newsetl.schemas.suites import SUITES

    with writer(warehouse) as con:
        frames = wh.audit_frames(con)
        frames["ingest_runs"] = wh.run_balance_frame(con, run_id, units_read)
    report = validate_tables(frames, data_dir, run_id)
    _hold_back_if_blocked(warehouse, report)
    quarantined = {}
    with writer(warehouse) as con:
        wh.store_dq_results(con, report.rows())
        # Documents first: their records leave staging with them.
        for table in sorted(report.failures, key=lambda t: t != "documents"):
            quarantined[table] = wh.reject_staged(con, run_id, table, report.failures[table], SUITES[table].key_columns)
    if any(quarantined.values()):
        resolve_entities(warehouse)
        with writer(warehouse) as con:
            entities = wh.staged_entities(con)
        recheck = validate_tables({"entities": entities}, data_dir, f"{run_id}-entities")
        _hold_back_if_blocked(warehouse, recheck)
    return AuditResult(report.success, list(report.warnings), str(report.docs_index), quarantined)


def _hold_back_if_blocked(warehouse: Path, report) -> None:
    """Raise :class:`ValidationBlocked` when a check could not run or a derived table failed."""
    blocked = dict(report.errors)
    for table in DERIVED_TABLES:
        for key, checks in report.failures.pop(table, {}).items():
            blocked[f"{table} {key}"] = ", ".join(checks)
    if blocked:
        with writer(warehouse) as con:
            wh.store_dq_results(con, report.rows())
        raise ValidationBlocked("run held back, nothing published: " + "; ".join(f"{k}: {v}" for k, v in blocked.items()))


def publish(warehouse: Path, run_id: str) -> None:
    """Publish the audited staging in one transaction."""
    with writer(warehouse) as con:
        wh.publish(con, run_id)


def refresh_search_index(warehouse: Path) -> None:
    """Rebuild the full-text index so documents loaded by this run are findable."""
    from newsetl.warehouse import search

    with writer(warehouse) as con:
        search.rebuild_index(con)
        wh.mark_indexed(con)


def search_index_stale(warehouse: Path) -> bool:
    """Whether a completed run published documents the search index does not cover yet."""
    with writer(warehouse) as con:
        return wh.index_stale(con)


