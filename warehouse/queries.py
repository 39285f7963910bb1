"""Read-only queries behind the CLI's inspection commands; each returns a cursor to fetch from."""
from __future__ import annotations

import duckdb


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int) -> duckdb.DuckDBPyConnection:
    """The newest runs with their counts and validation outcome."""
    return con.execute(
        """SELECT run_id, status, started_at,
                  round(epoch(finished_at - started_at), 1) AS seconds,
                  n_seen AS seen, n_new AS new, n_unchanged AS unchanged, n_updated AS updated,
                  n_duplicate AS duplicate, n_quarantined AS quarantined,
                  CASE WHEN validation_success THEN 'passed' WHEN validation_success IS NULL THEN NULL ELSE 'failed' END AS validation,
                  array_to_string(validation_warnings, ', ') AS warnings
           FROM ingest_runs ORDER BY started_at DESC LIMIT ?""",
        [limit],
    )


def runs_matching(con: duckdb.DuckDBPyConnection, prefix: str, limit: int = 5) -> list[str]:
    """Run ids that start with ``prefix``, newest first (at most ``limit``)."""
    rows = con.execute(
        "SELECT run_id FROM ingest_runs WHERE starts_with(run_id, ?) ORDER BY started_at DESC LIMIT ?", [prefix, limit]
    ).fetchall()
    return [run_id for (run_id,) in rows]


def quarantined(con: duckdb.DuckDBPyConnection, run_id: str | None, limit: int) -> duckdb.DuckDBPyConnection:
    """Quarantined inputs and records, newest first, optionally of one run.

    The message is shown without the leading ``<source_uri>: `` older runs stored (the source is a
    column of its own), and without the doubled "at at" of older JSON error messages.
    """
    return con.execute(
        """SELECT last_run_id AS run_id, record_table, source_uri, reason_code,
                  replace(CASE WHEN starts_with(message, source_uri || ': ')
                               THEN substr(message, length(source_uri) + 3) ELSE message END,
                          'starting at at column', 'starting at column') AS message,
                  n_bytes, quarantined_at
           FROM v_quarantine
           WHERE $run IS NULL OR last_run_id = $run OR first_run_id = $run
           ORDER BY quarantined_at DESC, source_uri LIMIT $limit""",
        {"run": run_id, "limit": limit},
    )
