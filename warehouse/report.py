"""The queries behind ``newsetl report``: each section's rows, from ``warehouse/sql/report/*.sql``.

Every query runs on a read-only connection and works on an empty warehouse. Sections whose view
is not in the warehouse (``v_stories`` before stories exist) are left out, not failed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from newsetl.warehouse.db import read_sql

RUNS_SHOWN = 50
TOP_N = 15
EXAMPLES_PER_REASON = 3


@dataclass(frozen=True)
class ReportQuery:
    """One SQL file, its parameters, and the relation it needs (skipped when that is missing).

    ``list_param`` names a parameter filled first with the first column of ``list_query``'s rows
    (run with the same parameters): a constant list lets a filter reach inside a view.
    """

    name: str
    params: dict[str, Any] = field(default_factory=dict)
    needs: str | None = None
    list_param: str | None = None
    list_query: str | None = None


# name -> query; the report's sections read these frames by name
QUERIES = [
    ReportQuery("runs", {"limit": RUNS_SHOWN}),
    ReportQuery("totals"),
    ReportQuery("quarantine_reasons"),
    ReportQuery("quarantine_examples", {"per_reason": EXAMPLES_PER_REASON}),
    ReportQuery("validation_by_table"),
    ReportQuery("validation_failures"),
    ReportQuery("validation_history", {"limit": RUNS_SHOWN}),
    ReportQuery("documents_by_source", {"limit": TOP_N}),
    ReportQuery("documents_by_day"),
    ReportQuery("top_entities", {"limit": TOP_N}),
    ReportQuery("positions", {"limit": TOP_N}, needs="v_positions"),
    ReportQuery("events_by_month", needs="v_events_by_month"),
    ReportQuery("stories", {"limit": TOP_N}, needs="v_stories",
                list_param="story_ids", list_query="largest_stories"),
]


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table or view called ``name`` exists in the main schema."""
    return bool(con.execute(read_sql("report/relation_exists.sql"), {"name": name}).fetchone()[0])


def run_report_query(con: duckdb.DuckDBPyConnection, query: ReportQuery) -> pd.DataFrame:
    """The rows of one report query."""
    params = dict(query.params)
    if query.list_param:
        rows = con.execute(read_sql(f"report/{query.list_query}.sql"), params).fetchall()
        params[query.list_param] = [row[0] for row in rows]
    sql = read_sql(f"report/{query.name}.sql")
    return con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).df()


def report_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every section's rows by query name; queries whose relation is missing are absent."""
    return {q.name: run_report_query(con, q) for q in QUERIES if q.needs is None or relation_exists(con, q.needs)}
