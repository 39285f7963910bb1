"""Event dating: each named event's date, kept in ``event_dates`` as documents are published."""
from __future__ import annotations

import duckdb

from newsetl.warehouse.db import read_dml

STAGED = {"events": "stg_named_events", "dates": "stg_dates", "documents": "stg_documents"}
PUBLISHED = {"events": "named_events", "dates": "dates", "documents": "documents"}


def event_dating(tables: dict[str, str]) -> str:
    """The dating query (``dml/event_dates.sql``) over the given events, dates and documents tables."""
    return read_dml("event_dates").format(**tables)


def publish_event_dates(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the dates of the window's documents' events with those of their staged events.
    Runs inside publish, after the audit has removed quarantined rows from staging."""
    con.execute("DELETE FROM event_dates USING stg_document_runs AS r WHERE event_dates.doc_id = r.doc_id")
    con.execute(f"INSERT INTO event_dates {event_dating(STAGED)}")


def fill_event_dates(con: duckdb.DuckDBPyConnection) -> bool:
    """Date every published event once, in a warehouse created before ``event_dates`` existed
    (published events but no dates: every event has a row once dated). Returns whether it did."""
    missing = con.execute(
        "SELECT EXISTS (FROM named_events) AND NOT EXISTS (FROM event_dates)").fetchone()[0]
    if missing:
        con.execute(f"INSERT INTO event_dates {event_dating(PUBLISHED)}")
    return bool(missing)
