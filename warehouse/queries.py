"""Read-only queries behind the CLI's inspection commands."""
from __future__ import annotations

import duckdb
import pandas as pd


def recent_runs(con: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    """The newest runs with their counts and validation outcome."""
    return con.execute(
        """SELECT run_id, status, strftime(started_at, '%Y-%m-%d %H:%M') AS started,
                  round(epoch(finished_at - started_at), 1) AS secs,
                  n_seen AS seen, n_new AS new, n_unchanged AS unch, n_updated AS upd,
                  n_duplicate AS dup, n_quarantined AS quar,
                  CASE WHEN validation_success THEN 'passed' WHEN validation_success IS NULL THEN '-' ELSE 'failed' END AS validation,
                  array_to_string(validation_warnings, ', ') AS warnings
           FROM ingest_runs ORDER BY started_at DESC LIMIT ?""",
        [limit],
    ).df()


def quarantined(con: duckdb.DuckDBPyConnection, run_id: str | None, limit: int) -> pd.DataFrame:
    """Quarantined inputs and records, newest first, optionally of one run."""
    return con.execute(
        """SELECT last_run_id AS run_id, record_table, source_uri, reason_code, message,
                  octet_length(raw) AS n_bytes
           FROM quarantine
           WHERE $run IS NULL OR last_run_id = $run OR first_run_id = $run
           ORDER BY quarantined_at DESC, source_uri LIMIT $limit""",
        {"run": run_id, "limit": limit},
    ).df()
