"""What a run tells orchestration: Prefect artifacts (a table and a markdown summary), an event
Automations can react to, and the final state's one-line message."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.events import emit_event

FINISHED_EVENT = "newsetl.ingest.finished"


def state_message(summary: dict[str, Any]) -> str:
    """One line: the counts, the quarantined records and the validation outcome."""
    counts = summary["counts"]
    records = sum(summary["quarantined_records"].values())
    parts = [f"seen {counts['seen']}: new {counts['new']}, unchanged {counts['unchanged']}, updated {counts['updated']}, "
             f"duplicate {counts['duplicate']}, quarantined {counts['quarantined']}"]
    if records:
        parts.append(f"{records} record(s) failed critical checks and were quarantined")
    parts.append(f"validation {validation_word(summary)}")
    return "; ".join(parts)


def validation_word(summary: dict[str, Any]) -> str:
    """passed, failed, or skipped (a run with nothing new is not audited)."""
    success = summary["validation_success"]
    return "skipped (nothing new)" if success is None else "passed" if success else "failed"


def publish_run_artifacts(summary: dict[str, Any], reasons: dict[str, int]) -> None:
    """The ``ingest-run-summary`` table artifact and the ``ingest-run-report`` markdown artifact."""
    counts = summary["counts"]
    row = {"run_id": summary["run_id"], **counts, "validation": validation_word(summary),
           "warnings": ", ".join(summary["warnings"]) or "none",
           "quarantined_records": sum(summary["quarantined_records"].values())}
    create_table_artifact(key="ingest-run-summary", table=[row],
                          description=f"newsetl ingest run {summary['run_id']}: counts and validation outcome")
    create_markdown_artifact(key="ingest-run-report", markdown=run_markdown(summary, reasons),
                             description=f"newsetl ingest run {summary['run_id']}")


def run_markdown(summary: dict[str, Any], reasons: dict[str, int]) -> str:
    """The run in markdown: counts, quarantine reasons, where to look next."""
    counts = summary["counts"]
    lines = [f"# newsetl ingest run `{summary['run_id']}`", "", state_message(summary), "",
             "| outcome | units |", "|---|---|"]
    lines += [f"| {name} | {counts[name]} |" for name in ("new", "unchanged", "updated", "duplicate", "quarantined", "seen")]
    if reasons:
        lines += ["", "## Quarantine reasons", "", "| reason | rows |", "|---|---|"]
        lines += [f"| `{reason}` | {n} |" for reason, n in reasons.items()]
        lines += ["", f"Inspect them with `newsetl quarantine --run {summary['run_id']}`."]
    if summary["warnings"]:
        lines += ["", "Warnings: " + ", ".join(f"`{w}`" for w in summary["warnings"])]
    lines += ["", "## Where to look", "", f"- warehouse: `{summary['warehouse']}`"]
    if summary.get("report"):
        lines.append(f"- report: [{summary['report']}]({_file_uri(summary['report'])})")
    if summary.get("docs_index"):
        lines.append(f"- Data Docs: [{summary['docs_index']}]({_file_uri(summary['docs_index'])})")
    return "\n".join(lines) + "\n"


def _file_uri(path: str) -> str:
    return Path(path).as_uri()


def emit_finished_event(summary: dict[str, Any], strict: bool) -> None:
    """A ``newsetl.ingest.finished`` event on the warehouse resource, with the counts and outcome."""
    emit_event(
        event=FINISHED_EVENT,
        resource={"prefect.resource.id": f"newsetl.warehouse.{summary['warehouse']}",
                  "prefect.resource.name": summary["warehouse"]},
        payload={"run_id": summary["run_id"], "counts": summary["counts"], "validation": validation_word(summary),
                 "warnings": summary["warnings"], "quarantined_records": summary["quarantined_records"],
                 "strict": strict, "report": summary.get("report")},
    )
