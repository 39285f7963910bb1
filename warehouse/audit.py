"""The warehouse side of the audit: staged rows as DataFrames for the suites, quarantining the
rows that failed, and keeping every check's outcome in ``dq_results``."""
from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from newsetl.extractors.stories import SIGNATURE
from newsetl.schemas.tables import RECORD_TABLES
from newsetl.warehouse.db import insert_frame, read_dml, registered
from newsetl.warehouse.entities import staged_entities
from newsetl.warehouse.places import audit_places_frame
from newsetl.warehouse.runs import utcnow
from newsetl.warehouse.stage import stage_quarantine


def audit_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The staged rows as DataFrames, with the computed columns the expectation suites check."""
    frames = {"documents": con.execute(read_dml("audit_documents"), [utcnow()]).df(), **derived_frames(con)}
    texts = dict(zip(frames["documents"]["doc_id"], frames["documents"]["text"]))
    for table in RECORD_TABLES.values():
        query = read_dml(table.audit_query).format(table=table.name, num_perm=SIGNATURE.num_perm)
        frame = con.execute(query).df()
        if table.surface_column:
            frame["surface_matches_text"] = surfaces_match(frame, texts, "char_start", "char_end", table.surface_column)
        for start, end, surface in table.extra_spans:
            in_text = pd.Series(surfaces_match(frame, texts, start, end, surface), index=frame.index, dtype=bool)
            frame["offsets_in_text"] = frame["offsets_in_text"].fillna(False).astype(bool) & in_text
        frames[table.name] = frame
    return frames


def surfaces_match(frame: pd.DataFrame, texts: dict[str, str], start: str, end: str, surface: str) -> list[bool]:
    """Whether each row's surface is its document's text at ``[start, end)`` (Python slicing: the
    cost is the spans' length, where SQL's substring walks each text from its start)."""
    def matches(doc_id, first, last, value) -> bool:
        text = texts.get(doc_id)
        if text is None or pd.isna(first) or pd.isna(last) or not isinstance(value, str):
            return False
        return 0 <= int(first) <= int(last) <= len(text) and text[int(first):int(last)] == value
    return [matches(*row) for row in zip(frame["doc_id"], frame[start], frame[end], frame[surface])]


def derived_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The tables derived corpus-wide at the end of a run (entities, near-duplicates, stories)."""
    return {
        "entities": staged_entities(con),
        "near_duplicates": con.execute(read_dml("audit_near_duplicates")).df(),
        "stories": con.execute("SELECT * FROM stg_stories").df(),
        "story_documents": con.execute(read_dml("audit_story_documents")).df(),
        "places": audit_places_frame(con),
    }


def run_balance_frame(con: duckdb.DuckDBPyConnection, run_id: str, units_read: int) -> pd.DataFrame:
    """The run's row for the ``ingest_runs`` suite: did every unit read so far get exactly one
    outcome, in this window's staging or in the run's windows already published?"""
    recorded, distinct = con.execute(
        """SELECT count(*), count(DISTINCT source_uri) FROM (
               SELECT source_uri FROM run_inputs WHERE run_id = $run_id
               UNION ALL SELECT source_uri FROM stg_run_inputs WHERE run_id = $run_id)""", {"run_id": run_id}
    ).fetchone()
    return pd.DataFrame({"run_id": [run_id], "counts_balance": [recorded == units_read == distinct]})


def reject_staged(con: duckdb.DuckDBPyConnection, run_id: str, table: str, failures: dict[tuple, list[str]],
                  key_columns: list[str]) -> int:
    """Move staged rows that failed critical checks to quarantine; returns how many."""
    if not failures:
        return 0
    keys = pd.DataFrame([dict(zip(key_columns, key)) for key in failures])
    keys["reason"] = [", ".join(names) for names in failures.values()]
    stg = f"stg_{table}"
    join = " AND ".join(f"s.{c} = f.{c}" for c in key_columns)
    with registered(con, "_failed", keys):
        failed = con.execute(f"SELECT s.*, f.reason FROM {stg} s JOIN _failed f ON {join}").df()
        con.execute(f"DELETE FROM {stg} s USING _failed f WHERE {join}")
    stage_quarantine(con, run_id, [_quarantine_row(table, rec) for rec in failed.to_dict("records")])
    if table == "documents":
        _drop_rejected_documents(con, failed)
    return len(failed)


def _quarantine_row(table: str, rec: dict[str, Any]) -> dict[str, Any]:
    """A quarantine row for a staged record that failed validation."""
    reason = rec.pop("reason")
    doc_id = rec.get("doc_id")
    record = json.dumps(rec, ensure_ascii=False, default=str)
    return {
        "record_table": "input" if table == "documents" else table,
        "source_uri": rec.get("source_uri") or f"doc:{doc_id}",
        "source_id": rec.get("source_id"),
        "doc_id": doc_id,
        "reason_code": "validation:" + reason,
        "message": f"the {table} row failed critical check(s): "
                   + "; ".join(name.split(".", 1)[-1].replace("_", " ") for name in reason.split(", ")),
        "raw_hash": rec.get("raw_hash"),
        "raw": None if table == "documents" else record.encode("utf-8"),
        # Identity of the failed row across runs (a document's staged row carries run ids).
        "record_key": rec.get("content_hash") if table == "documents" else record,
    }


def _drop_rejected_documents(con: duckdb.DuckDBPyConnection, failed: pd.DataFrame) -> None:
    """Forget everything staged for documents that were quarantined, and count them as quarantined."""
    ids = pd.DataFrame({"doc_id": failed["doc_id"], "reason": failed["reason"]})
    with registered(con, "_ids", ids):
        for table in RECORD_TABLES.values():
            con.execute(f"DELETE FROM {table.staging} USING _ids WHERE {table.staging}.doc_id = _ids.doc_id")
        con.execute("DELETE FROM stg_document_runs USING _ids WHERE stg_document_runs.doc_id = _ids.doc_id")
        con.execute(
            """UPDATE stg_run_inputs SET outcome = 'quarantined', reason_code = 'validation:' || _ids.reason
               FROM _ids WHERE stg_run_inputs.doc_id = _ids.doc_id AND stg_run_inputs.outcome IN ('new', 'updated')"""
        )


def store_dq_results(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Keep the run's expectation outcomes queryable in ``dq_results``."""
    insert_frame(con, "dq_results", pd.DataFrame(rows))
