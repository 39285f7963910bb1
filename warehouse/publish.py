"""Publishing an audited run: staging becomes visible in the published tables in one transaction."""
from __future__ import annotations

import duckdb

from newsetl.schemas.tables import RECORD_TABLES
from newsetl.warehouse.db import execute_script, read_dml
from newsetl.warehouse.runs import clear_staging


def publish(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Make the audited staging visible: documents, versions, records, entities, run inputs."""
    con.execute("BEGIN TRANSACTION")
    try:
        execute_script(con, read_dml("publish_documents"), {"run_id": run_id})
        for table in RECORD_TABLES.values():
            con.execute(f"DELETE FROM {table.name} USING stg_document_runs r WHERE {table.name}.doc_id = r.doc_id")
            con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM {table.staging}")
        execute_script(con, read_dml("publish_entities"))
        execute_script(con, read_dml("publish_quarantine"))
        con.execute("INSERT INTO run_inputs BY NAME SELECT * FROM stg_run_inputs")
        clear_staging(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
