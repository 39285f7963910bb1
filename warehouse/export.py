"""Exports of every published table to Parquet or CSV, one file per table, for other engines."""
from __future__ import annotations

from pathlib import Path

import duckdb

EXPORT_FORMATS = ("parquet", "csv")
# Internal tables that are not part of the published warehouse.
_PRIVATE_PREFIXES = ("stg_", "_")


def published_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of the published base tables of the main schema, sorted."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY table_name"
    ).fetchall()
    return [name for (name,) in rows if not name.startswith(_PRIVATE_PREFIXES)]


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: str = "parquet") -> dict[str, int]:
    """Write each published table to ``out_dir/<table>.<fmt>``; returns the row count per table."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    counts = {}
    for table in published_tables(con):
        target = out_dir / f"{table}.{fmt}"
        source = _csv_safe_select(con, table) if fmt == "csv" else f'SELECT * FROM "{table}"'
        con.execute(f"COPY ({source}) TO '{_quote(str(target))}' ({options})")
        counts[table] = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return counts


def _csv_safe_select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A SELECT that renders BLOB columns as base64 so CSV stays text."""
    columns = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?",
        [table],
    ).fetchall()
    parts = [f'base64("{c}") AS "{c}"' if t == "BLOB" else f'"{c}"' for c, t in columns]
    return f'SELECT {", ".join(parts)} FROM "{table}"'


def _quote(path: str) -> str:
    """Escape a path for a SQL string literal."""
    return path.replace("'", "''")
