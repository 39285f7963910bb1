"""The run's records in Prefect: a table artifact with its counts and validation outcome."""
from __future__ import annotations

from prefect.artifacts import create_table_artifact

from newsetl.validation.audit import AuditResult


def publish_run_artifact(run_id: str, counts: dict[str, int], result: AuditResult) -> None:
    """A Prefect table artifact (``ingest-run-summary``) with the run's counts and validation outcome."""
    row = {"run_id": run_id, **counts, "validation": "passed" if result.success else "failed",
           "warnings": ", ".join(result.warnings) or "none",
           "quarantined_records": sum(result.quarantined.values())}
    create_table_artifact(key="ingest-run-summary", table=[row],
                          description=f"newsetl ingest run {run_id}: counts and validation outcome")
