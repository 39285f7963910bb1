"""Staging a batch: what the warehouse knows of its units, their classification, and the bulk
inserts into the ``stg_*`` tables (plus the raw-input archive), in one transaction per batch."""
from __future__ import annotations

import json
from typing import Any, Sequence

import duckdb
import pandas as pd

from newsetl.schemas.analysis import UnitResult
from newsetl.schemas.keys import sha256_hex
from newsetl.schemas.records import RawUnit
from newsetl.schemas.tables import RECORD_TABLES
from newsetl.warehouse.classify import (BatchOutcome, RunState, SourceState, classify_result, classify_unchanged,
                                        is_unchanged)
from newsetl.warehouse.db import insert_frame, transaction, with_frame
from newsetl.warehouse.runs import utcnow

INPUT_COLUMNS = ["source_uri", "source_id", "raw_hash", "outcome", "doc_id", "duplicate_of", "reason_code"]


# --- lookups ----------------------------------------------------------------------------------


def known_sources(con: duckdb.DuckDBPyConnection, source_ids: Sequence[str]) -> dict[str, SourceState]:
    """The published state of the given source ids."""
    rows = _lookup(con, "source_id", source_ids,
                   "SELECT d.source_id, d.doc_id, d.raw_hash, d.content_hash, d.extractor_version "
                   "FROM documents d JOIN _keys USING (source_id)")
    return {r[0]: SourceState(*r[1:]) for r in rows}


def known_content(con: duckdb.DuckDBPyConnection, content_hashes: Sequence[str]) -> dict[str, str]:
    """Published doc ids by content hash, for the given hashes."""
    rows = _lookup(con, "content_hash", content_hashes,
                   "SELECT content_hash, min(doc_id) FROM documents JOIN _keys USING (content_hash) GROUP BY 1")
    return dict(rows)


def _lookup(con: duckdb.DuckDBPyConnection, column: str, keys: Sequence[str], query: str) -> list[tuple]:
    """Run ``query`` against the distinct ``keys``, registered as table ``_keys(column)``."""
    if not keys:
        return []
    return with_frame(con, "_keys", pd.DataFrame({column: list(dict.fromkeys(keys))}), query)


def split_unchanged(con: duckdb.DuckDBPyConnection, units: list[RawUnit], state: RunState,
                    version: str) -> tuple[list[RawUnit], list[tuple[RawUnit, SourceState]]]:
    """Separate units whose exact bytes are already published by the same extractor ``version``
    (they need no work) from those that must be analysed."""
    known = known_sources(con, [u.source_id for u in units])
    todo, unchanged = [], []
    for unit in units:
        published = known.get(unit.source_id)
        if published and is_unchanged(unit, published, sha256_hex(unit.raw), version, state):
            unchanged.append((unit, published))
        else:
            todo.append(unit)
    return todo, unchanged


# --- the batch --------------------------------------------------------------------------------


def stage_batch(con: duckdb.DuckDBPyConnection, run_id: str, state: RunState, results: list[UnitResult],
                unchanged: list[tuple[RawUnit, SourceState]]) -> BatchOutcome:
    """Classify analysed units against the warehouse and stage them in one transaction, on the
    writer connection ``con``."""
    outcome, trial = BatchOutcome(), state.copy()
    inputs, docs, doc_outcomes, rejects = [], [], [], []
    records: dict[str, list[dict[str, Any]]] = {}
    docs_in = [r.document for r in results if r.document]
    known = known_sources(con, [d.source_id for d in docs_in])
    published_content = known_content(con, [d.content_hash for d in docs_in])
    for unit, src in unchanged:
        kind, row = classify_unchanged(unit, src, trial)
        inputs.append(row)
        outcome.add(kind)
    for result in results:
        kind, row = classify_result(result, known, published_content, trial)
        inputs.append(row)
        outcome.add(kind)
        if kind in ("new", "updated"):
            docs.append(result.document.row())
            doc_outcomes.append(kind)
            for table, rows in result.records.items():
                records.setdefault(table, []).extend(rows)
        elif kind == "quarantined":
            rejects.append(reject_quarantine_row(result))
    _stage_in_one_transaction(con, run_id, results, docs, doc_outcomes, records, rejects, inputs)
    state.merge(trial)
    return outcome


def _stage_in_one_transaction(con, run_id, results, docs, doc_outcomes, records, rejects, inputs) -> None:
    """Write a classified batch to staging atomically, so a retried batch starts clean."""
    with transaction(con):
        store_raw(con, run_id, [(r.raw_hash, r.raw) for r in results])
        stage_documents(con, run_id, docs, doc_outcomes)
        for table, rows in records.items():
            stage_records(con, table, rows)
        stage_quarantine(con, run_id, rejects)
        stage_inputs(con, run_id, inputs)


def reject_quarantine_row(result: UnitResult) -> dict[str, Any]:
    """A quarantine row for an input unit that could not become a document (its bytes are kept
    once, in ``raw_inputs``, under ``raw_hash``)."""
    reject = result.reject
    return {"record_table": "input", "source_uri": reject.source_uri, "source_id": reject.source_id,
            "doc_id": None, "reason_code": reject.reason_code, "message": reject.message,
            "raw_hash": result.raw_hash, "raw": None}


# --- inserts ----------------------------------------------------------------------------------


def store_raw(con: duckdb.DuckDBPyConnection, run_id: str, raws: list[tuple[str, bytes]]) -> None:
    """Keep the exact input bytes, once per distinct hash."""
    unique = dict(raws)
    if not unique:
        return
    frame = pd.DataFrame({"raw_hash": list(unique), "raw": list(unique.values()),
                          "n_bytes": [len(r) for r in unique.values()], "first_run_id": run_id})
    with_frame(con, "_raw", frame, "INSERT INTO raw_inputs BY NAME SELECT * FROM _raw "
                                   "WHERE raw_hash NOT IN (SELECT raw_hash FROM raw_inputs)")


def stage_inputs(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict[str, Any]]) -> None:
    """Stage where each input unit of the batch ended (final once the run is published)."""
    frame = pd.DataFrame(rows, columns=INPUT_COLUMNS)
    frame.insert(0, "run_id", run_id)
    insert_frame(con, "stg_run_inputs", frame)


def stage_documents(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict[str, Any]], outcomes: list[str]) -> None:
    """Stage new and updated documents for the audit."""
    if not rows:
        return
    frame = pd.DataFrame(rows)
    frame["extra"] = frame["extra"].map(lambda e: json.dumps(e, ensure_ascii=False, default=str))
    frame["first_seen_run"] = run_id
    frame["last_seen_run"] = run_id
    frame["version"] = 1
    insert_frame(con, "stg_documents", frame)
    insert_frame(con, "stg_document_runs", pd.DataFrame({"run_id": run_id, "doc_id": frame["doc_id"], "outcome": outcomes}))


def stage_records(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Stage extracted records (mentions, acronyms, facts) of the batch's documents."""
    if rows:
        insert_frame(con, RECORD_TABLES[table].staging, pd.DataFrame(rows))


QUARANTINE_IDENTITY = ("record_table", "source_uri", "doc_id", "reason_code", "raw_hash", "record_key")


def stage_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict[str, Any]]) -> None:
    """Stage quarantine rows; they are published with the run (an id already quarantined by an
    earlier run only gets its last run updated)."""
    if not rows:
        return
    frame = pd.DataFrame(rows)
    frame["quarantine_id"] = [sha256_hex("\x00".join(str(r.get(k) or "") for k in QUARANTINE_IDENTITY))[:32]
                              for r in rows]
    frame = frame.drop(columns=["record_key"], errors="ignore").drop_duplicates("quarantine_id")
    frame["first_run_id"] = run_id
    frame["last_run_id"] = run_id
    frame["quarantined_at"] = utcnow()
    insert_frame(con, "stg_quarantine", frame)
