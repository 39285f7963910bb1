"""The audit step of write-audit-publish: validate a run's staged rows with the suites, quarantine
the rows that fail critical checks, and hold the whole run back when the audit cannot decide."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsetl.schemas.suites import SUITES
from newsetl.validation.runner import ValidationReport, prepare_in_background, validate_tables
from newsetl.warehouse import audit as staged
from newsetl.warehouse.db import writer
from newsetl.warehouse.entities import resolve_entities
from newsetl.warehouse.places import stage_places
from newsetl.warehouse.stories import stage_stories

# Tables derived from others: a failing row there means a bug, not bad input, so it holds the
# run back instead of being quarantined.
DERIVED_TABLES = ("ingest_runs", "entities", "near_duplicates", "stories", "story_documents", "places")


class ValidationBlocked(RuntimeError):
    """The audit could not decide which rows are valid, so nothing is published."""


@dataclass
class AuditResult:
    """The audit's verdict: validation outcome, quarantined record counts, Data Docs path."""

    success: bool | None  # None: not audited (a run with nothing new)
    warnings: list[str]
    docs_index: str | None
    quarantined: dict[str, int]

    @property
    def audited(self) -> bool:
        """Whether the run was audited at all."""
        return self.success is not None


# The verdict of a run (or window) with nothing new, which skips the audit.
NOT_AUDITED = AuditResult(success=None, warnings=[], docs_index=None, quarantined={})


def combine(windows: list[AuditResult]) -> AuditResult:
    """The run's verdict from its windows' verdicts: passed when every audited window passed (not
    audited when none was), the warnings of all, quarantined records summed by table, and the
    Data Docs of the last audited window."""
    audited = [w for w in windows if w.audited]
    if not audited:
        return NOT_AUDITED
    quarantined: dict[str, int] = {}
    for window in audited:
        for table, n in window.quarantined.items():
            quarantined[table] = quarantined.get(table, 0) + n
    warnings = list(dict.fromkeys(w for window in audited for w in window.warnings))
    return AuditResult(all(w.success for w in audited), warnings, audited[-1].docs_index, quarantined)


def prepare(data_dir: Path) -> None:
    """Get the validation ready in the background (Great Expectations' import, the data folder's
    context, the suites) while the run's documents are being analysed."""
    prepare_in_background(data_dir)


def audit(warehouse: Path, data_dir: Path, run_id: str, units_read: int) -> AuditResult:
    """Validate the staged rows; move rows failing critical checks to quarantine.

    ``units_read`` is how many input units the run read so far: the run's own row is checked to
    account for every one of them (this window's staged outcomes and its earlier windows' published
    ones). When rows were quarantined, entities and stories are derived again
    without them and validated once more.
    """
    with writer(warehouse) as con:
        frames = staged.audit_frames(con)
        frames["ingest_runs"] = staged.run_balance_frame(con, run_id, units_read)
    report = validate_tables(frames, data_dir, run_id)
    hold_back_if_blocked(warehouse, report)
    quarantined = {}
    with writer(warehouse) as con:
        staged.store_dq_results(con, report.rows())
        # Documents first: their records leave staging with them.
        for table in sorted(report.failures, key=lambda t: t != "documents"):
            quarantined[table] = staged.reject_staged(con, run_id, table, report.failures[table],
                                                      SUITES[table].key_columns)
    if any(quarantined.values()):
        with writer(warehouse) as con:
            resolve_entities(con)
            stage_places(con)
            stage_stories(con, run_id)
            frames = staged.derived_frames(con)
        recheck = validate_tables(frames, data_dir, f"{run_id}-derived")
        hold_back_if_blocked(warehouse, recheck)
    return AuditResult(report.success, list(report.warnings), str(report.docs_index), quarantined)


def hold_back_if_blocked(warehouse: Path, report: ValidationReport) -> None:
    """Raise :class:`ValidationBlocked` when a check could not run or a derived table failed."""
    blocked = dict(report.errors)
    for table in DERIVED_TABLES:
        for key, checks in report.failures.pop(table, {}).items():
            blocked[f"{table} {key}"] = ", ".join(checks)
    if blocked:
        with writer(warehouse) as con:
            staged.store_dq_results(con, report.rows())
        raise ValidationBlocked("run held back, nothing published: " + "; ".join(f"{k}: {v}" for k, v in blocked.items()))
