"""Publishing an audited run: staging becomes visible in the published tables in one transaction."""
from __future__ import annotations

import duckdb

from newsetl.schemas.tables import RECORD_TABLES
from newsetl.warehouse.db import execute_script, read_dml
from newsetl.warehouse.runs import clear_staging, record_counts
from newsetl.warehouse.search import index_documents


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Make the audited staging visible: documents, versions, records, entities, stories, run
    inputs, and the search index entries of the run's documents — all in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        changed = [doc_id for (doc_id,) in con.execute("SELECT doc_id FROM stg_documents").fetchall()]
        execute_script(con, read_dml("publish_documents"), {"run_id": run_id})
        for table in RECORD_TABLES.values():
            con.execute(f"DELETE FROM {table.name} USING stg_document_runs r WHERE {table.name}.doc_id = r.doc_id")
            con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM {table.staging}")
        execute_script(con, read_dml("publish_entities"))
        execute_script(con, read_dml("publish_stories"))
        execute_script(con, read_dml("publish_quarantine"))
        con.execute("INSERT INTO run_inputs BY NAME SELECT * FROM stg_run_inputs")
        index_documents(con, changed, own_transaction=False)
        record_counts(con, run_id, "published")
        clear_staging(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def publish_inputs_only(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Publish a run that changed nothing: only where its input units ended."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("INSERT INTO run_inputs BY NAME SELECT * FROM stg_run_inputs")
        record_counts(con, run_id, "published")
        clear_staging(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
