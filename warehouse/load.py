"""Every statement the ingest runs against the warehouse: runs, staging, audit frames, publishing.

Write-audit-publish: a run's candidate rows land in ``stg_*`` tables, are pulled out as DataFrames
for validation, and only the rows that pass are moved to the published tables. Loads are bulk
(a registered DataFrame per statement), never row by row.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Sequence

import duckdb
import pandas as pd

from newsetl.warehouse.db import read_sql

# Record tables keyed by document: published table -> the columns that identify one row.
RECORD_TABLES: dict[str, list[str]] = {
    "mentions": ["doc_id", "char_start", "char_end", "type"],
    "acronyms": ["doc_id", "short_start"],
    **{table: ["doc_id", "record_no"] for table in (
        "leads", "genres", "sections", "interview_turns", "named_events", "dates", "occupations", "attributions")},
}
# Fact tables whose column must equal the text at [char_start, char_end).
SURFACE_COLUMNS = {"leads": "text", "genres": "evidence", "sections": "heading", "named_events": "name",
                   "dates": "surface", "occupations": "evidence", "attributions": "evidence",
                   "interview_turns": "text"}
STAGING_TABLES = ("stg_documents", "stg_document_runs", "stg_run_inputs", "stg_entities", "stg_key_map",
                  "stg_entity_aliases", "stg_quarantine")
OUTCOMES = ("new", "unchanged", "updated", "duplicate", "quarantined")


def utcnow() -> datetime:
    """The current UTC time as a naive timestamp (the warehouse stores UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def sha256_hex(data: bytes | str) -> str:
    """Hex SHA-256 of bytes or of a string's UTF-8 encoding."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, ignore: bool = False) -> int:
    """Bulk-insert a DataFrame by column name; returns the number of rows offered."""
    if frame.empty:
        return 0
    con.register("_batch", frame)
    try:
        verb = "INSERT OR IGNORE INTO" if ignore else "INSERT INTO"
        con.execute(f"{verb} {table} BY NAME SELECT * FROM _batch")
    finally:
        con.unregister("_batch")
    return len(frame)


# --- runs -------------------------------------------------------------------------------------


def begin_run(con: duckdb.DuckDBPyConnection, run_id: str, flow_run_id: str | None, inputs: list[str]) -> None:
    """Record a new run, closing any run left "running" by an interrupted process and clearing
    its staging. The caller holds the ingest lock, so no other run is in progress."""
    clear_staging(con)
    con.execute(
        "UPDATE ingest_runs SET status = 'failed', finished_at = ?, message = 'abandoned: the process ended mid-run' "
        "WHERE status = 'running'", [utcnow()])
    con.execute(
        "INSERT INTO ingest_runs (run_id, flow_run_id, started_at, status, inputs) VALUES (?, ?, ?, 'running', ?)",
        [run_id, flow_run_id, utcnow(), inputs],
    )


def clear_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Empty every staging table."""
    for table in STAGING_TABLES + tuple(f"stg_{t}" for t in RECORD_TABLES):
        con.execute(f"DELETE FROM {table}")


def set_scan_counts(con: duckdb.DuckDBPyConnection, run_id: str, n_files: int, n_skipped: int) -> None:
    """Store how many files the run found and how many it skipped as unsupported."""
    con.execute("UPDATE ingest_runs SET n_files = ?, n_skipped = ? WHERE run_id = ?", [n_files, n_skipped, run_id])


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """Counts of the run's input units by outcome, plus ``seen``."""
    rows = con.execute(
        "SELECT outcome, count(*) FROM run_inputs WHERE run_id = ? GROUP BY outcome", [run_id]
    ).fetchall()
    counts = {outcome: 0 for outcome in OUTCOMES}
    counts.update({outcome: n for outcome, n in rows})
    counts["seen"] = sum(counts[o] for o in OUTCOMES)
    return counts


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    validation_success: bool | None,
    warnings: list[str],
    docs_index: str | None,
    message: str | None = None,
) -> dict[str, int]:
    """Close the run with its final counts and validation outcome; returns the counts."""
    counts = run_counts(con, run_id)
    con.execute(
        """UPDATE ingest_runs SET finished_at = ?, status = ?, n_seen = ?, n_new = ?, n_unchanged = ?,
               n_updated = ?, n_duplicate = ?, n_quarantined = ?, validation_success = ?,
               validation_warnings = ?, docs_index = ?, message = ?
           WHERE run_id = ?""",
        [utcnow(), status, counts["seen"], counts["new"], counts["unchanged"], counts["updated"],
         counts["duplicate"], counts["quarantined"], validation_success, warnings, docs_index, message, run_id],
    )
    return counts


def mark_indexed(con: duckdb.DuckDBPyConnection) -> None:
    """Record that the search index now covers every run so far."""
    con.execute("UPDATE ingest_runs SET indexed = true WHERE NOT coalesce(indexed, false)")


def index_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a completed run changed documents after the last index rebuild."""
    return bool(con.execute(
        """SELECT count(*) FROM ingest_runs
           WHERE status = 'completed' AND n_new + n_updated > 0 AND NOT coalesce(indexed, false)"""
    ).fetchone()[0])


def fail_run(con: duckdb.DuckDBPyConnection, run_id: str, message: str) -> None:
    """Mark a run failed (its staging is discarded, nothing was published)."""
    clear_staging(con)
    con.execute(
        "UPDATE ingest_runs SET finished_at = ?, status = 'failed', message = ? WHERE run_id = ?",
        [utcnow(), message, run_id],
    )


# --- lookups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceState:
    """What the warehouse already holds for one source id."""

    doc_id: str
    raw_hash: str
    content_hash: str
    extractor_version: str


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
    con.register("_keys", pd.DataFrame({column: list(dict.fromkeys(keys))}))
    try:
        return con.execute(query).fetchall()
    finally:
        con.unregister("_keys")


# --- staging ----------------------------------------------------------------------------------


def store_raw(con: duckdb.DuckDBPyConnection, run_id: str, raws: Iterable[tuple[str, bytes]]) -> None:
    """Keep the exact input bytes, once per distinct hash."""
    unique = {h: raw for h, raw in raws}
    frame = pd.DataFrame(
        {"raw_hash": list(unique), "raw": list(unique.values()),
         "n_bytes": [len(r) for r in unique.values()], "first_run_id": run_id}
    )
    _insert_frame(con, "raw_inputs", frame, ignore=True)


def stage_inputs(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict[str, Any]]) -> None:
    """Stage where each input unit of the batch ended (final once the run is published)."""
    frame = pd.DataFrame(rows, columns=["source_uri", "source_id", "raw_hash", "outcome", "doc_id",
                                        "duplicate_of", "reason_code"])
    frame.insert(0, "run_id", run_id)
    _insert_frame(con, "stg_run_inputs", frame)


def stage_documents(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict[str, Any]], outcomes: list[str]) -> None:
    """Stage new and updated documents for the audit."""
    if not rows:
        return
    frame = pd.DataFrame(rows)
    frame["extra"] = frame["extra"].map(lambda e: json.dumps(e, ensure_ascii=False, default=str))
    frame["first_seen_run"] = run_id
    frame["last_seen_run"] = run_id
    frame["version"] = 1
    _insert_frame(con, "stg_documents", frame)
    runs = pd.DataFrame({"run_id": run_id, "doc_id": frame["doc_id"], "outcome": outcomes})
    _insert_frame(con, "stg_document_runs", runs)


def stage_records(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Stage extracted records (mentions, acronyms, facts) of the batch's documents."""
    if rows:
        _insert_frame(con, f"stg_{table}", pd.DataFrame(rows))


def stage_quarantine(con: duckdb.DuckDBPyConnection, run_id: str, rows: list[dict[str, Any]]) -> None:
    """Stage quarantine rows; they are published with the run (an id already quarantined by an
    earlier run only gets its last run updated)."""
    if not rows:
        return
    frame = pd.DataFrame(rows)
    frame["quarantine_id"] = [
        sha256_hex("\x00".join(str(r.get(k) or "") for k in ("record_table", "source_uri", "doc_id", "reason_code", "raw_hash", "record_key")))[:32]
        for r in rows
    ]
    frame = frame.drop(columns=["record_key"], errors="ignore").drop_duplicates("quarantine_id")
    frame["first_run_id"] = run_id
    frame["last_run_id"] = run_id
    frame["quarantined_at"] = utcnow()
    _insert_frame(con, "stg_quarantine", frame)


# --- audit ------------------------------------------------------------------------------------


def live_keys(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every mention key of the warehouse as it will be after publishing (type, key, normal)."""
    return con.execute(read_sql_dml("live_mention_keys")).df()


def live_acronyms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every acronym definition of the warehouse as it will be after publishing."""
    return con.execute(read_sql_dml("live_acronyms")).df()


def apply_entity_resolution(con: duckdb.DuckDBPyConnection, key_map: pd.DataFrame, aliases: pd.DataFrame) -> None:
    """Stage the run's resolution (key -> canonical key -> entity id), point staged rows at it
    and stage the rebuilt entity table."""
    for table in ("stg_key_map", "stg_entity_aliases", "stg_entities"):
        con.execute(f"DELETE FROM {table}")
    _insert_frame(con, "stg_key_map", key_map)
    _insert_frame(con, "stg_entity_aliases", aliases)
    for table in ("stg_mentions", "stg_acronyms"):
        con.execute(f"UPDATE {table} SET entity_id = k.entity_id FROM stg_key_map k WHERE {table}.key = k.key")
    execute_script(con, read_sql_dml("stage_entities"))


def staged_entities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The rebuilt entity table staged for publishing."""
    return con.execute("SELECT * FROM stg_entities").df()


def audit_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The staged rows as DataFrames, with the computed columns the expectation suites check."""
    frames = {
        "documents": con.execute(read_sql_dml("audit_documents"), [utcnow()]).df(),
        "mentions": con.execute(read_sql_dml("audit_mentions")).df(),
        "entities": staged_entities(con),
        "acronyms": con.execute(read_sql_dml("audit_acronyms")).df(),
    }
    for table in RECORD_TABLES:
        if table not in frames:
            column = SURFACE_COLUMNS.get(table)
            surface = f"substring(doc_text, char_start + 1, char_end - char_start) = {column}" if column else "true"
            frames[table] = con.execute(read_sql_dml("audit_records").format(table=table, surface_check=surface)).df()
    return frames


def run_balance_frame(con: duckdb.DuckDBPyConnection, run_id: str, units_read: int) -> pd.DataFrame:
    """The run's row for the ``ingest_runs`` suite: did every unit read get exactly one outcome?"""
    recorded, distinct = con.execute(
        "SELECT count(*), count(DISTINCT source_uri) FROM stg_run_inputs WHERE run_id = ?", [run_id]
    ).fetchone()
    return pd.DataFrame({"run_id": [run_id], "counts_balance": [recorded == units_read == distinct]})


# --- publish ----------------------------------------------------------------------------------


def reject_staged(con: duckdb.DuckDBPyConnection, run_id: str, table: str, failures: dict[tuple, list[str]],
                  key_columns: list[str]) -> int:
    """Move staged rows that failed critical checks to quarantine; returns how many."""
    if not failures:
        return 0
    keys = pd.DataFrame([dict(zip(key_columns, key)) for key in failures])
    keys["reason"] = [", ".join(names) for names in failures.values()]
    stg = "stg_documents" if table == "documents" else f"stg_{table}"
    con.register("_failed", keys)
    try:
        join = " AND ".join(f"s.{c} = f.{c}" for c in key_columns)
        failed = con.execute(f"SELECT s.*, f.reason FROM {stg} s JOIN _failed f ON {join}").df()
        con.execute(f"DELETE FROM {stg} s USING _failed f WHERE {join}")
    finally:
        con.unregister("_failed")
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
    con.register("_ids", ids)
    try:
        for table in RECORD_TABLES:
            con.execute(f"DELETE FROM stg_{table} USING _ids WHERE stg_{table}.doc_id = _ids.doc_id")
        con.execute("DELETE FROM stg_document_runs USING _ids WHERE stg_document_runs.doc_id = _ids.doc_id")
        con.execute(
            """UPDATE stg_run_inputs SET outcome = 'quarantined', reason_code = 'validation:' || _ids.reason
               FROM _ids WHERE stg_run_inputs.doc_id = _ids.doc_id AND stg_run_inputs.outcome IN ('new', 'updated')"""
        )
    finally:
        con.unregister("_ids")


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Make the audited staging visible: documents, versions, records, entities, run inputs."""
    con.execute("BEGIN TRANSACTION")
    try:
        execute_script(con, read_sql_dml("publish_documents"), {"run_id": run_id})
        for table in RECORD_TABLES:
            con.execute(f"DELETE FROM {table} USING stg_document_runs r WHERE {table}.doc_id = r.doc_id")
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM stg_{table}")
        execute_script(con, read_sql_dml("publish_entities"))
        execute_script(con, read_sql_dml("publish_quarantine"))
        con.execute("INSERT INTO run_inputs BY NAME SELECT * FROM stg_run_inputs")
        clear_staging(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def store_dq_results(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Keep the run's expectation outcomes queryable in ``dq_results``."""
    _insert_frame(con, "dq_results", pd.DataFrame(rows))


def read_sql_dml(name: str) -> str:
    """A packaged DML statement from ``warehouse/sql/dml``."""
    return read_sql(f"dml/{name}.sql")


def execute_script(con: duckdb.DuckDBPyConnection, script: str, params: dict[str, Any] | None = None) -> None:
    """Run a multi-statement SQL file, binding each named ``$param`` only where it is used."""
    body = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    for statement in (s.strip() for s in body.split(";")):
        if not statement:
            continue
        used = {k: v for k, v in (params or {}).items() if f"${k}" in statement}
        con.execute(statement, used or None)
