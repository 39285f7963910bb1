"""The sections of the report page, each built from the frames of ``warehouse/report.py``."""
from __future__ import annotations

import os
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from newsetl.report import html
from newsetl.report.charts import ChartPage

OUTCOME_HEADERS = {"n_seen": "seen", "n_new": "new", "n_unchanged": "unchanged", "n_updated": "updated",
                   "n_duplicate": "duplicate", "n_quarantined": "quarantined"}


@dataclass
class Context:
    """What every section may need besides its frames: where links start from, the Data Docs site."""

    frames: dict[str, pd.DataFrame]
    report_dir: Path
    docs_site: Path
    charts: ChartPage

    def frame(self, name: str) -> pd.DataFrame:
        """A query's rows (an empty frame when the query was skipped)."""
        return self.frames.get(name, pd.DataFrame())

    def link(self, target: Path, text: str) -> str:
        """A relative link from the report to a local file; plain text when the file is missing."""
        if not target.exists():
            return escape(text)
        return f'<a href="{escape(Path(os.path.relpath(target, self.report_dir)).as_posix())}">{escape(text)}</a>'


def validation_badge(success) -> str:
    """passed / failed / not validated."""
    if not html.present(success):
        return html.badge("not validated", "warning")
    return html.badge("passed", "passed") if success else html.badge("failed", "failed")


def latest_run(ctx: Context) -> str:
    """The newest run: its id, outcome counts, validation outcome and warnings."""
    runs = ctx.frame("runs")
    if runs.empty:
        return html.section("latest", "Latest run", '<p class="muted">No run yet: <code>newsetl ingest &lt;paths&gt;</code></p>')
    run = runs.iloc[-1]
    items = [("run", run["run_id"]), ("status", run["status"]), ("started", run["started_at"]), ("seconds", run["seconds"])]
    items += [(label, run[column]) for column, label in OUTCOME_HEADERS.items()]
    warnings = ", ".join(run["validation_warnings"]) if html.present(run["validation_warnings"]) else ""
    body = (html.figures(items) + f"<p>Validation: {validation_badge(run['validation_success'])}"
            + (f" {html.badge('warnings', 'warning')} {escape(warnings)}" if warnings else "") + "</p>"
            + (f"<p class=\"muted\">{escape(html.cell_text(run['message']))}</p>" if html.present(run["message"]) else "")
            + f"<p>{ctx.link(ctx.docs_site / 'index.html', 'Data Docs (Great Expectations)')}</p>")
    return html.section("latest", "Latest run", body)


def history(ctx: Context) -> str:
    """Counts per outcome over runs, durations and failed checks per run, and the runs table."""
    runs = ctx.frame("runs")
    body = html.charts([ctx.charts.outcomes_over_runs(runs), ctx.charts.durations(runs),
                        ctx.charts.validation_history(ctx.frame("validation_history"))])
    newest_first = runs.iloc[::-1]
    columns = ["run_id", "status", "started_at", "seconds", *OUTCOME_HEADERS, "validation_success"]
    body += html.table(newest_first, columns, headers={**OUTCOME_HEADERS, "validation_success": "validation"},
                       render={"validation_success": lambda v, _: validation_badge(v)})
    return html.section("history", f"Run history (last {len(runs)} runs)", body)


def quarantine(ctx: Context) -> str:
    """Quarantine by reason, examples of each, and the commands that show the rest."""
    reasons = ctx.frame("quarantine_reasons")
    if reasons.empty:
        return html.section("quarantine", "Quarantine", '<p class="muted">Nothing has been quarantined.</p>')
    body = html.charts([ctx.charts.bars(reasons, "reason_code", "n_rows", "Quarantined rows by reason")])
    body += html.table(reasons, ["reason_code", "n_rows", "tables", "last_seen", "last_run_id"],
                       headers={"reason_code": "reason", "n_rows": "rows", "last_run_id": "last run"})
    body += "<h3>Examples</h3>" + html.table(ctx.frame("quarantine_examples"),
                                              ["reason_code", "source_uri", "record_table", "message", "last_run_id"],
                                              headers={"reason_code": "reason", "source_uri": "source", "record_table": "table",
                                                       "last_run_id": "run"})
    body += ("<h3>Inspect them</h3><p><code>newsetl quarantine --run RUN_ID</code> lists a run's rows; "
             "<code>newsetl sql \"select source_uri, message from v_quarantine where reason_code = 'REASON'\"</code> "
             "shows one reason; the exact input bytes are in <code>quarantine.raw</code>.</p>")
    return html.section("quarantine", "Quarantine", body)


def validation(ctx: Context) -> str:
    """Checks of the latest audited run per table, then critical failures and warnings apart."""
    by_table = ctx.frame("validation_by_table")
    if by_table.empty:
        return html.section("validation", "Validation", '<p class="muted">No validation results yet.</p>')
    run_id = str(by_table["run_id"].iloc[0])
    from newsetl.report.datadocs import validation_pages

    pages = validation_pages(ctx.docs_site, run_id)

    def docs_link(table, _row) -> str:
        return ctx.link(pages[table], "Data Docs") if table in pages else ""

    def count_badge(kind: str):
        return lambda v, _: html.badge(str(v), kind) if v else "0"

    body = f"<p>Latest audited run <code>{escape(run_id)}</code>.</p>"
    body += html.table(by_table, ["table_name", "n_checks", "n_critical_failed", "n_warnings", "n_rows", "docs"],
                       headers={"table_name": "table", "n_checks": "checks", "n_critical_failed": "critical failures",
                                "n_warnings": "warnings", "n_rows": "rows checked", "docs": ""},
                       render={"n_critical_failed": count_badge("critical"), "n_warnings": count_badge("warning"),
                               "docs": lambda _v, row: docs_link(row["table_name"], row)})
    failures = ctx.frame("validation_failures")
    for severity, title, note in (("critical", "Critical failures", "failing rows were quarantined"),
                                  ("warning", "Warnings", "reported only; nothing was held back")):
        rows = failures[failures["severity"] == severity] if not failures.empty else failures
        body += f"<h3>{html.badge(title, severity)} <span class=\"muted\">{escape(note)}</span></h3>"
        body += html.table(rows, ["table_name", "check_name", "unexpected_count", "element_count", "unexpected_sample", "docs"],
                           headers={"table_name": "table", "check_name": "check", "unexpected_count": "failing",
                                    "element_count": "of rows", "unexpected_sample": "sample", "docs": ""},
                           render={"docs": lambda _v, row: docs_link(row["table_name"], row)}) if not rows.empty else \
            '<p class="muted">none</p>'
    return html.section("validation", "Validation", body)


def warehouse(ctx: Context, size_bytes: int) -> str:
    """What the warehouse holds: totals, documents by source and day, entities, positions, events, stories."""
    totals = ctx.frame("totals")
    counts = totals.iloc[0].to_dict() if not totals.empty else {}
    body = html.figures([*counts.items(), ("file size", human_size(size_bytes))])
    body += html.charts([
        ctx.charts.bars(ctx.frame("documents_by_source"), "source", "n_documents", "Documents by source"),
        ctx.charts.columns(ctx.frame("documents_by_day"), "day", "n_documents", "Documents by publication day"),
        ctx.charts.bars(ctx.frame("top_entities"), "canonical_name", "n_docs", "Top entities (documents)", colour_by="type"),
        ctx.charts.columns(events_with_month(ctx.frame("events_by_month")), "month", "n_events", "Named events by month",
                           colour_by="kind"),
    ])
    body += "<h3>Top entities</h3>" + html.table(ctx.frame("top_entities"))
    if "positions" in ctx.frames:
        body += "<h3>Positions (<code>v_positions</code>)</h3>" + html.table(ctx.frame("positions"))
    if "events_by_month" in ctx.frames:
        body += "<h3>Events by month (<code>v_events_by_month</code>)</h3>" + html.table(ctx.frame("events_by_month"))
    if "stories" in ctx.frames:
        body += "<h3>Stories (<code>v_stories</code>)</h3>" + html.table(ctx.frame("stories"))
    return html.section("warehouse", "What the warehouse holds", body)


def events_with_month(events: pd.DataFrame) -> pd.DataFrame:
    """Events with a month label; those dated only by year fall under their year."""
    if events.empty:
        return events
    labelled = events.copy()
    labelled["month"] = [m if html.present(m) else (str(y) if html.present(y) else "undated")
                         for m, y in zip(labelled["month"], labelled["year"])]
    return labelled.groupby(["month", "kind"], dropna=False, as_index=False)["n_events"].sum()


def human_size(n_bytes: int) -> str:
    """Bytes as B, KiB, MiB or GiB."""
    size = float(n_bytes)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"
