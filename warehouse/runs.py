"""The ``ingest_runs`` history: opening, counting, closing and failing runs, and staging resets."""
from __future__ import annotations

from datetime import datetime, timezone

import duckdb

from newsetl.schemas.tables import DERIVED_STAGING, OUTCOMES, RECORD_TABLES

# Staging tables besides the record tables' twins.
STAGING_TABLES = ("stg_documents", "stg_document_runs", "stg_run_inputs", "stg_quarantine") + DERIVED_STAGING
# A run's status once it published its last window (a window before the last leaves it running).
PUBLISHED, RUNNING = "published", "running"


def utcnow() -> datetime:
    """The current UTC time as a naive timestamp (the warehouse stores UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def begin_run(con: duckdb.DuckDBPyConnection, run_id: str, flow_run_id: str | None, inputs: list[str]) -> None:
    """Record a new run, closing any run left "running" by an interrupted process and clearing
    its staging. The caller holds the ingest lock, so no other run is in progress."""
    clear_staging(con)
    con.execute(
        "UPDATE ingest_runs SET status = 'failed', finished_at = ?, message = 'the process ended mid-run after "
        "publishing ' || n_seen || ' input unit(s) in its first window(s): those are loaded and counted, the rest "
        "of its input was not' WHERE status = 'running' AND n_seen > 0", [utcnow()])
    con.execute(
        "UPDATE ingest_runs SET status = 'failed', finished_at = ?, message = 'abandoned: the process ended mid-run' "
        "WHERE status = 'running'", [utcnow()])
    con.execute(
        "UPDATE ingest_runs SET status = 'completed', finished_at = ?, "
        "message = 'the process ended after publishing: its counts are final, its report was not rebuilt' "
        "WHERE status = 'published'", [utcnow()])
    con.execute(
        "INSERT INTO ingest_runs (run_id, flow_run_id, started_at, status, inputs) VALUES (?, ?, ?, 'running', ?)",
        [run_id, flow_run_id, utcnow(), inputs],
    )


def clear_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Empty every staging table."""
    for table in STAGING_TABLES + tuple(t.staging for t in RECORD_TABLES.values()):
        con.execute(f"DELETE FROM {table}")


def set_scan_counts(con: duckdb.DuckDBPyConnection, run_id: str, n_files: int, n_skipped: int,
                    n_skipped_symlinks: int = 0, strict: bool = False) -> None:
    """Store how many files the run found, how many it skipped (unsupported kinds, symlinks leading
    outside the inputs), and whether the run is strict."""
    con.execute("UPDATE ingest_runs SET n_files = ?, n_skipped = ?, n_skipped_symlinks = ?, strict = ? WHERE run_id = ?",
                [n_files, n_skipped, n_skipped_symlinks, strict, run_id])


def set_skipped_records(con: duckdb.DuckDBPyConnection, run_id: str, by_kind: dict[str, int]) -> None:
    """Store the records inside input files that are not news (e.g. WARC requests), by kind."""
    con.execute("UPDATE ingest_runs SET n_skipped_records = ?, skipped_records = MAP(?, ?) WHERE run_id = ?",
                [sum(by_kind.values()), list(by_kind), list(by_kind.values()), run_id])


def record_counts(con: duckdb.DuckDBPyConnection, run_id: str, status: str) -> dict[str, int]:
    """Store the run's counts by outcome (from ``run_inputs``) with its status; returns them. Publish
    calls it in each window's transaction, so a run killed after publishing (all of its windows, or
    some) still shows its true counts."""
    counts = run_counts(con, run_id)
    con.execute(
        """UPDATE ingest_runs SET status = ?, n_seen = ?, n_new = ?, n_unchanged = ?, n_updated = ?,
               n_duplicate = ?, n_quarantined = ? WHERE run_id = ?""",
        [status, counts["seen"], counts["new"], counts["unchanged"], counts["updated"], counts["duplicate"],
         counts["quarantined"], run_id])
    return counts


def add_not_analysed(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Add the staged documents that were loaded but not analysed (not Russian) to the run's count
    (called once per published window, before staging is cleared)."""
    con.execute("""UPDATE ingest_runs SET n_not_analysed = coalesce(n_not_analysed, 0) + (
                       SELECT count(*) FROM stg_documents WHERE json_extract_string(extra, '$.analysis') IS NOT NULL)
                   WHERE run_id = ?""", [run_id])


def quarantine_reasons(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, int]:
    """The run's quarantined input units and records by reason code, most frequent first."""
    rows = con.execute(
        """SELECT reason_code, count(*) AS n FROM quarantine
           WHERE last_run_id = ? GROUP BY reason_code ORDER BY n DESC, reason_code""", [run_id]).fetchall()
    return dict(rows)


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
    counts = record_counts(con, run_id, status)
    con.execute(
        """UPDATE ingest_runs SET finished_at = ?, validation_success = ?, validation_warnings = ?,
               docs_index = ?, message = ? WHERE run_id = ?""",
        [utcnow(), validation_success, warnings, docs_index, message, run_id],
    )
    return counts


def fail_run(con: duckdb.DuckDBPyConnection, run_id: str, message: str) -> None:
    """Mark a run failed: its staging is discarded; the windows it already published stay, with
    their counts (the message says so)."""
    clear_staging(con)
    published = con.execute("SELECT n_seen FROM ingest_runs WHERE run_id = ?", [run_id]).fetchone()
    if published and published[0]:
        message += f" (after publishing {published[0]} input unit(s) in its first window(s); the rest was not loaded)"
    con.execute(
        "UPDATE ingest_runs SET finished_at = ?, status = 'failed', message = ? WHERE run_id = ?",
        [utcnow(), message, run_id],
    )
