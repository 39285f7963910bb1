"""Publishing an audited run: staging becomes visible in the published tables in one transaction."""
from __future__ import annotations

import duckdb

from newsetl.schemas.tables import RECORD_TABLES
from newsetl.warehouse.db import execute_script, read_dml, transaction
from newsetl.warehouse.events import publish_event_dates
from newsetl.warehouse.places import publish_places
from newsetl.warehouse.runs import PUBLISHED, add_not_analysed, clear_staging, record_counts
from newsetl.warehouse.search import index_documents


def publish(con: duckdb.DuckDBPyConnection, run_id: str, status: str = PUBLISHED) -> None:
    """Make the audited staging (a run's window) visible: documents, versions, records, event
    dates, entities, stories, run inputs, and the search index entries of its documents — all in
    one transaction.
    ``status`` is the run's status afterwards: ``published`` after its last window, else ``running``."""
    with transaction(con):
        changed = [doc_id for (doc_id,) in con.execute("SELECT doc_id FROM stg_documents").fetchall()]
        execute_script(con, read_dml("publish_documents"), {"run_id": run_id})
        for table in RECORD_TABLES.values():
            con.execute(f"DELETE FROM {table.name} USING stg_document_runs r WHERE {table.name}.doc_id = r.doc_id")
            con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM {table.staging}")
        publish_event_dates(con)
        execute_script(con, read_dml("publish_entities"))
        publish_places(con)
        execute_script(con, read_dml("publish_stories"))
        execute_script(con, read_dml("publish_quarantine"))
        index_documents(con, changed, own_transaction=False, from_staging=True)
        _publish_inputs(con, run_id, status)


def publish_inputs_only(con: duckdb.DuckDBPyConnection, run_id: str, status: str = PUBLISHED) -> None:
    """Publish a run (or window) that changed nothing: only where its input units ended."""
    with transaction(con):
        _publish_inputs(con, run_id, status)


def _publish_inputs(con: duckdb.DuckDBPyConnection, run_id: str, status: str) -> None:
    """Where the window's units ended, the run's counts so far (with ``status``), and empty staging."""
    con.execute("INSERT INTO run_inputs BY NAME SELECT * FROM stg_run_inputs")
    record_counts(con, run_id, status)
    add_not_analysed(con, run_id)
    clear_staging(con)
