"""The audit step of write-audit-publish: validate staged rows with Great Expectations.

The warehouse pulls a run's staged rows into pandas DataFrames and calls
:func:`validate_tables`. Each table with a suite in :mod:`newsetl.schemas.suites` is
validated; the :class:`ValidationReport` says which rows fail critical checks (to be
quarantined with the check names as reasons), which warning checks failed, and gives
one row per check for the ``dq_results`` table. Every call also updates the Data Docs
site under ``<data_dir>/gx`` (see :func:`docs_index_path`), which keeps the newest audits only
(:mod:`newsetl.validation.retention`).

``great_expectations`` is imported inside functions: it takes seconds to import and
the CLI must start fast. :func:`prepare_in_background` does that import, opens the context and
registers the suites in a thread while the run's documents are being analysed; the next
:func:`validate_tables` on that folder takes what it prepared.
"""
from __future__ import annotations

import json
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsetl.schemas.suites import CRITICAL, SUITES, WARNING, Check, TableSuite
from newsetl.validation.retention import keep_audits, prune_audits

if TYPE_CHECKING:
    import pandas as pd

DATASOURCE_NAME = "warehouse"
BATCH_DEFINITION_NAME = "staged_rows"
SAMPLE_SIZE = 20
DOCS_SITE_NAME = "local_site"

RowKey = tuple[Any, ...]


@dataclass(frozen=True)
class CheckOutcome:
    """The result of one check on one table in one run."""

    table: str
    key_columns: tuple[str, ...]
    check: Check
    expectation_type: str
    success: bool
    element_count: int
    # None for table-level checks (e.g. column types), which do not count rows
    unexpected_count: int | None
    failing_keys: list[RowKey]
    observed_value: Any = None
    error: str | None = None

    def sample(self) -> list[dict[str, Any]]:
        """Up to SAMPLE_SIZE failing row keys, or what was observed when no rows are named."""
        if self.error:
            return [{"error": self.error}]
        if self.failing_keys:
            # sorted, so two builds of the same input store the same sample whatever the row order
            first = sorted(self.failing_keys, key=lambda key: tuple(map(str, key)))[:SAMPLE_SIZE]
            return [dict(zip(self.key_columns, key)) for key in first]
        if not self.success and self.observed_value is not None:
            return [{"observed_value": self.observed_value}]
        return []


@dataclass
class ValidationReport:
    """What one :func:`validate_tables` call found.

    ``failures`` names the rows to quarantine. ``success`` can be False with no row
    named when a critical check could not run (see ``errors``) or is table-level:
    then the whole batch must be held back.
    """

    run_id: str
    validated_at: datetime
    docs_index: Path
    outcomes: list[CheckOutcome] = field(default_factory=list)
    # table -> row key tuple (in the suite's key_columns order) -> failed critical check names
    failures: dict[str, dict[RowKey, list[str]]] = field(default_factory=dict)

    @property
    def success(self) -> bool:
        """True when no critical check failed (or errored) on any table."""
        return all(o.success for o in self.outcomes if o.check.severity == CRITICAL)

    @property
    def warnings(self) -> list[str]:
        """Names of the warning checks that failed, in suite order."""
        return [o.check.name for o in self.outcomes if o.check.severity == WARNING and not o.success]

    @property
    def errors(self) -> dict[str, str]:
        """Check name -> error message for checks that could not run (e.g. a missing column)."""
        return {o.check.name: o.error for o in self.outcomes if o.error}

    def rows(self) -> list[dict[str, Any]]:
        """One ``dq_results`` row per check and table; ``validated_at`` is naive UTC (a TIMESTAMP)."""
        validated_at_utc = self.validated_at.astimezone(timezone.utc).replace(tzinfo=None)
        return [
            {
                "run_id": self.run_id,
                "table_name": o.table,
                "check_name": o.check.name,
                "expectation_type": o.expectation_type,
                "severity": o.check.severity,
                "success": o.success,
                "unexpected_count": o.unexpected_count,
                "element_count": o.element_count,
                "unexpected_sample": json.dumps(o.sample(), ensure_ascii=False, default=str),
                "validated_at": validated_at_utc,
            }
            for o in self.outcomes
        ]


def docs_index_path(data_dir: Path) -> Path:
    """Where the Data Docs site's index.html lives under ``data_dir``."""
    return Path(data_dir) / "gx" / "uncommitted" / "data_docs" / DOCS_SITE_NAME / "index.html"


@dataclass
class PreparedContext:
    """A data context and the validation definitions registered on it, by table."""

    context: Any
    definitions: dict[str, Any]


# Data folder -> the preparation started for it and not yet used.
_PREPARING: dict[str, Future] = {}


def prepare_in_background(data_dir: Path) -> None:
    """Start importing Great Expectations, opening the data folder's context and registering the
    suites in a thread (no-op when already started); :func:`validate_tables` waits for it."""
    key = str(Path(data_dir).resolve())
    if key in _PREPARING:
        return
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsetl-gx-prepare")
    _PREPARING[key] = executor.submit(prepare_context, Path(data_dir))
    executor.shutdown(wait=False)


def take_prepared(data_dir: Path, tables: list[str]) -> PreparedContext:
    """A context with the suites of ``tables`` registered: the one prepared in the background for
    ``data_dir`` (waiting for it), else one opened now (also when that preparation failed: the
    failure then shows here, if it is real)."""
    started = _PREPARING.pop(str(Path(data_dir).resolve()), None)
    prepared = None
    if started is not None:
        try:
            prepared = started.result()
        except Exception:
            prepared = None
    if prepared is None:
        prepared = PreparedContext(_open_context(Path(data_dir)), {})
    for table in tables:
        if table not in prepared.definitions:
            prepared.definitions[table] = _register(prepared.context, SUITES[table])
    return prepared


def prepare_context(data_dir: Path) -> PreparedContext:
    """Open the data folder's context and register every suite with its validation definition."""
    context = _open_context(data_dir)
    return PreparedContext(context, {table: _register(context, suite) for table, suite in SUITES.items()})


def _register(context: Any, suite: TableSuite) -> Any:
    """Store ``suite`` (idempotently) and its validation definition over the table's rows."""
    import great_expectations as gx

    from newsetl.report.datadocs import annotate

    # expectations go in the constructor: add_expectation() on a stored suite saves it each time;
    # each carries a readable description and its severity for Data Docs
    expectations = [annotate(check.expectation(), check) for check in suite.checks]
    stored = context.suites.add_or_update(gx.ExpectationSuite(name=suite.suite_name, expectations=expectations))
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(data=_batch_definition(context, suite.table), suite=stored, name=suite.suite_name))


def validate_tables(frames: dict[str, pd.DataFrame], data_dir: Path, run_id: str) -> ValidationReport:
    """Validate each frame whose table has a suite, update Data Docs, and report.

    Tables without a suite are skipped; empty frames are validated (and pass). Every
    frame must have its suite's key columns (``ValueError`` otherwise); a missing
    checked column makes that check fail with an error instead. ``run_id`` is the GX
    run name, so Data Docs list results by pipeline run.
    """
    validated_at = datetime.now(timezone.utc)
    to_validate = {table: frame for table, frame in frames.items() if table in SUITES}
    for table, frame in to_validate.items():
        _require_key_columns(SUITES[table], frame)

    prepared = take_prepared(Path(data_dir), list(to_validate))  # first: a background import may be under way
    from great_expectations.core.run_identifier import RunIdentifier

    gx_run_id = RunIdentifier(run_name=run_id, run_time=validated_at)
    report = ValidationReport(run_id=run_id, validated_at=validated_at, docs_index=docs_index_path(data_dir))
    result_ids = []
    for table, frame in to_validate.items():
        suite = SUITES[table]
        result, result_id = _run_suite(prepared.definitions[table], suite, frame, gx_run_id)
        result_ids.append(result_id)
        outcomes = [_outcome(suite, r, len(frame)) for r in result.results]
        outcomes.sort(key=lambda o: suite.checks.index(o.check))
        report.outcomes.extend(outcomes)
        report.failures[table] = _critical_failures(outcomes)
    _update_data_docs(prepared.context, data_dir, result_ids)
    _release_batches(prepared.context)
    return report


def _release_batches(context: Any) -> None:
    """Let go of the validated frames. Great Expectations' pandas engines cache every batch they
    validated, and its module-level project manager keeps the last context it opened (with its
    engines) alive: without this, a window's staged rows would stay in memory until the next audit
    (64 MB of Python objects for a window of 2,000 documents). The next audit opens its own context."""
    from great_expectations.data_context.data_context.context_factory import project_manager

    for name in context.data_sources.all():
        context.data_sources.get(name).get_execution_engine().batch_manager.reset_batch_cache()
    project_manager.set_project(None)


def _require_key_columns(suite: TableSuite, frame: pd.DataFrame) -> None:
    """Raise when ``frame`` lacks a key column: failing rows could not be named."""
    missing = [c for c in suite.key_columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{suite.table}: frame lacks key columns {missing}")


def _open_context(data_dir: Path) -> Any:
    """The file data context under ``data_dir``, configured by :func:`_configure`."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    data_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(data_dir))
    _configure(context.variables, docs_results_limit=keep_audits() * len(SUITES))
    return context


def _configure(variables: Any, docs_results_limit: int) -> None:
    """No progress bars, no analytics, a Data Docs index of at most ``docs_results_limit`` results
    (those of the audits :mod:`~newsetl.validation.retention` keeps); saved only on change."""
    from great_expectations.data_context.types.base import ProgressBarsConfig

    changed = False
    bars = variables.progress_bars
    if bars is None or bars.get("globally", True) or bars.get("metric_calculations", True):
        variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        changed = True
    if variables.analytics_enabled is not False:
        variables.analytics_enabled = False
        changed = True
    sites = variables.data_docs_sites
    site = sites[DOCS_SITE_NAME]
    index_builder = site.setdefault("site_index_builder", {"class_name": "DefaultSiteIndexBuilder"})
    if index_builder.get("validation_results_limit") != docs_results_limit or site.get("show_how_to_buttons"):
        index_builder["validation_results_limit"] = docs_results_limit
        site["show_how_to_buttons"] = False
        variables.data_docs_sites = sites
        changed = True
    if changed:
        variables.save()


def _run_suite(definition: Any, suite: TableSuite, frame: pd.DataFrame, gx_run_id: Any) -> tuple[Any, Any]:
    """Validate ``frame`` with the suite's validation definition; return result and its store key."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    result = definition.run(
        batch_parameters={"dataframe": frame},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": list(suite.key_columns)},
        run_id=gx_run_id,
    )
    result_id = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.suite_name),
        run_id=gx_run_id,
        batch_identifier=result.batch_id,
    )
    return result, result_id


def _batch_definition(context: Any, table: str) -> Any:
    """The whole-dataframe batch definition of ``table``'s asset, created on first use."""
    try:
        datasource = context.data_sources.get(DATASOURCE_NAME)
    except KeyError:
        datasource = context.data_sources.add_pandas(DATASOURCE_NAME)
    if table in datasource.get_asset_names():
        asset = datasource.get_asset(table)
    else:
        asset = datasource.add_dataframe_asset(table)
    if BATCH_DEFINITION_NAME in {bd.name for bd in asset.batch_definitions}:
        return asset.get_batch_definition(BATCH_DEFINITION_NAME)
    return asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)


def _outcome(suite: TableSuite, result: Any, n_rows: int) -> CheckOutcome:
    """Turn one GX expectation result into a :class:`CheckOutcome`."""
    config = result.expectation_config
    details = result.result or {}
    index_rows = details.get("unexpected_index_list") or []
    keys = [tuple(_plain(row.get(column)) for column in suite.key_columns) for row in index_rows]
    return CheckOutcome(
        table=suite.table,
        key_columns=tuple(suite.key_columns),
        check=suite.check(config.meta["check_name"]),
        expectation_type=config.type,
        success=bool(result.success),
        element_count=int(details.get("element_count", n_rows)),
        unexpected_count=details.get("unexpected_count"),
        failing_keys=list(dict.fromkeys(keys)),  # duplicates of a key are one row key
        observed_value=_plain(details.get("observed_value")),
        error=_error_message(result.exception_info),
    )


def _error_message(exception_info: Any) -> str | None:
    """The exception message GX recorded for an expectation, if it raised."""
    if not exception_info:
        return None
    infos = [exception_info] if "raised_exception" in exception_info else list(exception_info.values())
    for info in infos:
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message") or "expectation raised an exception")
    return None


def _critical_failures(outcomes: list[CheckOutcome]) -> dict[RowKey, list[str]]:
    """Row key -> names of the critical checks that row failed."""
    failures: dict[RowKey, list[str]] = {}
    for outcome in outcomes:
        if outcome.check.severity != CRITICAL:
            continue
        for key in outcome.failing_keys:
            failures.setdefault(key, []).append(outcome.check.name)
    return failures


def _plain(value: Any) -> Any:
    """A JSON- and DuckDB-friendly scalar: numpy scalars unwrapped, NaN/NA/NaT as None."""
    import numpy as np
    import pandas as pd

    if not pd.api.types.is_scalar(value):
        return value
    if pd.isna(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _update_data_docs(context: Any, data_dir: Path, result_ids: list[Any]) -> None:
    """Drop the results and pages of audits older than the kept ones (:func:`prune_audits`),
    render this call's results and suites, rebuild the index (all of it if missing), and make the
    new pages work offline with warnings drawn as warnings."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    from newsetl.report.datadocs import finish_site

    prune_audits(context, docs_index_path(data_dir).parent, keep_audits())
    if not docs_index_path(data_dir).exists():
        context.build_data_docs()
    else:
        suite_ids = [ExpectationSuiteIdentifier(name=rid.expectation_suite_identifier.name) for rid in result_ids]
        context.build_data_docs(resource_identifiers=[*result_ids, *suite_ids])
    finish_site(docs_index_path(data_dir).parent)
