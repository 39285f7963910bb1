"""The ``newsetl`` command line: ingest news, inspect runs, quarantine and data quality, query."""
from __future__ import annotations

import os
import sys
import webbrowser
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from newsetl.api import version as installed_version
from newsetl.cli_server import server_app
from newsetl.config import configure_prefect, resolve_settings
from newsetl.flows.errors import StrictRunFailed
from newsetl.flows.progress import for_console

# Deferred imports, for start-up time (`newsetl --help` must stay fast): the modules that open the
# warehouse or build the report import duckdb and pandas (≈ 0.4 s); newsetl.flows.run imports the
# worker pool, then Prefect; newsetl.report.listing (csv, json, decimal: ≈ 10 ms) and the input
# discovery (≈ 6 ms) are wanted by some commands only. Each command imports what it uses.

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Raw Russian-language news in, a validated DuckDB warehouse out.")
EXIT_BUSY = 3  # the warehouse is locked by a writer: retry later
EXIT_STRICT = 4  # --strict and the run quarantined input
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

WarehouseOpt = typer.Option(None, "--warehouse", "-w", help="DuckDB file [env NEWSETL_WAREHOUSE; default <data dir>/newsetl.duckdb]")
DataDirOpt = typer.Option(None, "--data-dir", help="Data folder [env NEWSETL_DATA_DIR; default ./data]")


class OutputFormat(str, Enum):
    """How a listing is printed."""

    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(str, Enum):
    """File format of an export."""

    parquet = "parquet"
    csv = "csv"


FormatOpt = typer.Option(OutputFormat.table, "--format", help="table (fits the terminal), csv or json (every column)")


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit non-zero."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    """Print the version and exit (``--version``)."""
    if value:
        out.print(f"newsetl {installed_version()}", highlight=False)
        raise typer.Exit()


THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                              help="Show the version and exit")) -> None:
    """Raw Russian-language news in, a validated DuckDB warehouse out."""
    # One BLAS thread per process: extraction scales with worker processes, and thread pools only
    # fight over the same cores (bench/README.md). Runs before any command imports numpy.
    for variable in THREAD_LIMITS:
        os.environ.setdefault(variable, "1")


def _emit(listing, fmt: OutputFormat, columns=None, title: str | None = None, empty: str | None = None) -> None:
    """Print a listing as a terminal table (``columns`` chosen to fit), CSV or JSON (all columns)."""
    from newsetl.report.listing import to_csv, to_json, to_table  # deferred: start-up time

    if fmt is OutputFormat.json:
        sys.stdout.write(to_json(listing))
    elif fmt is OutputFormat.csv:
        sys.stdout.write(to_csv(listing))
    elif not listing.rows and empty:
        out.print(empty, highlight=False)
    else:
        table, hidden = to_table(listing, columns, title, width=out.width)
        out.print(table, soft_wrap=False)
        if hidden:
            out.print(f"({len(hidden)} more column(s) do not fit: {', '.join(hidden)}; use --format csv or json,"
                      " or select fewer columns)", highlight=False, markup=False)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or globs: .txt .html .htm .jsonl, optionally .gz"),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
    batch_size: int = typer.Option(200, min=1, help="Input units per batch task"),
    publish_every: int = typer.Option(2000, min=1, help="Input units per window: every N staged units the run "
                                      "resolves, audits and publishes them, then goes on (memory is bounded by "
                                      "the window; readers see a large run window by window)"),
    workers: int = typer.Option(2, min=1, help="Worker processes for extraction"),
    strict: bool = typer.Option(False, "--strict", help="Fail the run (exit code 4) if anything was quarantined"),
    follow_symlinks: bool = typer.Option(False, "--follow-symlinks",
                                         help="Read symlinks inside the inputs that lead outside them"),
    max_unit_bytes: int = typer.Option(10 * 1024 * 1024, min=1, help="Largest input unit (a file, JSONL line or "
                                       "WARC record), decompressed; larger ones are quarantined as too_large"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's flow and task log lines instead of the progress display"),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDRESS",
                                       help="Analyse on a Dask cluster: a scheduler address (tcp://HOST:8786) or "
                                       "'local' for a LocalCluster of --workers processes"),
) -> None:
    """Load news into the warehouse, validate it and rebuild the data-quality report."""
    from newsetl.extractors.sources.discovery import InputNotFound, scan  # deferred: start-up time

    settings = resolve_settings(data_dir, warehouse)
    try:
        found = scan(paths, follow_symlinks=follow_symlinks)
    except (InputNotFound, OSError) as exc:
        fail(str(exc))
    if not found.files:
        fail(f"no .txt, .html, .htm or .jsonl files (optionally .gz) in {', '.join(paths)}")
    from newsetl.validation.retention import keep_audits

    try:
        keep_audits()
    except ValueError as exc:
        fail(str(exc))
    configure_prefect(settings, verbose=verbose)
    from newsetl.flows.run import run_ingest, start_api  # deferred: start-up time (the worker pool, then Prefect)

    start_api(settings)  # the run server starts while the warehouse is checked (duckdb's import: ~0.5 s)
    # deferred: start-up time (duckdb, pandas)
    from newsetl.flows.locking import ingest_lock
    from newsetl.warehouse.db import WarehouseBusy, WarehouseError, writer

    try:
        with ingest_lock(settings.warehouse), writer(settings.warehouse):
            pass
    except WarehouseBusy as exc:
        fail(str(exc), code=EXIT_BUSY)
    except (WarehouseError, OSError) as exc:
        fail(str(exc))

    try:
        summary = run_ingest(paths, settings, batch_size=batch_size, workers=workers, progress=for_console(verbose),
                             strict=strict, follow_symlinks=follow_symlinks, max_unit_bytes=max_unit_bytes, dask=dask,
                             publish_every=publish_every)
    except StrictRunFailed as exc:
        print_summary(exc.summary)
        fail(f"{exc} (--strict; it was published: `newsetl quarantine --run {exc.summary['run_id']}`)",
             code=EXIT_STRICT)
    except WarehouseBusy as exc:
        fail(f"the run stopped: {exc}", code=EXIT_BUSY)
    except Exception as exc:
        fail(f"the run failed; its current window was not published: "
             f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
             " (details in the log above; `newsetl runs` shows it and what earlier windows published)")
    print_summary(summary)


def print_summary(summary: dict) -> None:
    """The run's outcome in a few lines: counts, validation, where the warehouse and reports are."""
    counts = summary["counts"]
    out.print(
        f"[bold]run {summary['run_id']}[/]: seen {counts['seen']} = new {counts['new']} + unchanged {counts['unchanged']}"
        f" + updated {counts['updated']} + duplicate {counts['duplicate']} + quarantined {counts['quarantined']}",
        highlight=False,
    )
    n_rows = sum(summary["quarantined_records"].values())
    if summary["validation_success"] is None:
        verdict = "skipped (nothing new: no audit, Data Docs or report rebuild)"
    elif summary["validation_success"]:
        verdict = "[green]passed[/]"
    else:
        verdict = f"[red]failed[/]: {n_rows} row(s) failed critical checks and were quarantined"
    out.print(f"validation: {verdict}" + (f"; warnings: {', '.join(summary['warnings'])}" if summary["warnings"] else ""))
    if summary.get("note"):
        out.print(f"[yellow]note:[/] {escape(summary['note'])}", highlight=False)
    if counts["quarantined"] or n_rows:
        out.print(f"[yellow]warning:[/] {counts['quarantined']} input unit(s) and {n_rows} record(s) were quarantined;"
                  f" see `newsetl quarantine --run {summary['run_id']}`", highlight=False)
    out.print(f"warehouse: {summary['warehouse']}", highlight=False)
    if summary.get("report"):
        out.print(f"report:    {summary['report']}", highlight=False)
    if summary.get("docs_index"):
        out.print(f"data docs: {summary['docs_index']}", highlight=False)


def _run_columns():
    """The ``runs`` table at 80 columns: whole run ids, short headers, warnings cut to fit.

    ``result`` is the validation outcome of a completed run, else its status (failed, running)."""
    from newsetl.report.listing import Column, Kind  # deferred: start-up time

    number = [Column(name, header, Kind.NUMBER) for name, header in
              (("seconds", "secs"), ("seen", "seen"), ("new", "new"), ("unchanged", "unch"), ("updated", "upd"),
               ("duplicate", "dup"), ("quarantined", "quar"))]
    return [Column("run_id", "run", Kind.ID), Column("started_at", "started", Kind.ID), *number,
            Column("result", "result", Kind.TEXT, 7, 6), Column("warnings", "warnings", Kind.TEXT, 40)]


@app.command()
def runs(warehouse: Optional[Path] = WarehouseOpt, data_dir: Optional[Path] = DataDirOpt,
         limit: int = typer.Option(20, min=1, help="How many of the newest runs"),
         fmt: OutputFormat = FormatOpt) -> None:
    """Past runs with their counts and validation outcome, newest first."""
    # deferred: start-up time (duckdb)
    from newsetl.report.listing import Listing
    from newsetl.warehouse import queries

    listing = _query(lambda con: Listing.from_cursor(queries.recent_runs(con, limit)), data_dir, warehouse)
    if fmt is OutputFormat.table:  # minutes are enough on screen; one word for how the run ended
        listing.map_column("started_at", lambda t: t.strftime("%m-%d %H:%M"))
        listing.add_column("result", lambda r: r["validation"] if r["status"] == "completed" else r["status"])
    _emit(listing, fmt, _run_columns(), "ingest runs (newest first)", empty="no runs yet")


def _quarantine_columns():
    """The ``quarantine`` table at 80 columns: whole run ids, the source's end, the reason, the message cut."""
    from newsetl.report.listing import Column, Kind  # deferred: start-up time

    return [Column("run_id", "run", Kind.ID), Column("source_uri", "source", Kind.PATH, 24),
            Column("reason_code", "reason", Kind.TEXT, 22), Column("message", "message", Kind.TEXT, 60)]


@app.command()
def quarantine(warehouse: Optional[Path] = WarehouseOpt, data_dir: Optional[Path] = DataDirOpt,
               run: Optional[str] = typer.Option(None, help="Only this run (a unique prefix of its id is enough)"),
               limit: int = typer.Option(50, min=1, help="How many rows, newest first"),
               fmt: OutputFormat = FormatOpt) -> None:
    """What was rejected, and why."""
    # deferred: start-up time (duckdb)
    from newsetl.report.listing import Listing
    from newsetl.warehouse import queries

    def fetch(con):
        run_id = _resolve_run(con, run) if run else None
        return Listing.from_cursor(queries.quarantined(con, run_id, limit))

    listing = _query(fetch, data_dir, warehouse)
    _emit(listing, fmt, _quarantine_columns(), "quarantine (newest first)", empty="nothing quarantined")


def _resolve_run(con, prefix: str) -> str:
    """The one run id starting with ``prefix``; a one-line error when none or several do."""
    from newsetl.warehouse import queries  # deferred: start-up time (duckdb)

    matches = queries.runs_matching(con, prefix.strip())
    if not matches:
        fail(f"no run id starts with {prefix!r}; `newsetl runs` lists them")
    if len(matches) > 1:
        fail(f"run id prefix {prefix!r} is ambiguous: it matches {', '.join(matches)}{' …' if len(matches) >= 5 else ''}")
    return matches[0]


@app.command()
def report(data_dir: Optional[Path] = DataDirOpt, warehouse: Optional[Path] = WarehouseOpt,
           open_it: bool = typer.Option(False, "--open", help="Open the report in the default browser")) -> None:
    """Build the report (one self-contained HTML file: runs, quarantine, validation, data) and print its path."""
    # deferred: start-up time (duckdb, pandas)
    from newsetl.report.build import build_report
    from newsetl.warehouse.db import WarehouseBusy, WarehouseError

    settings = resolve_settings(data_dir, warehouse)
    try:
        path = build_report(settings)
    except WarehouseBusy as exc:
        fail(str(exc), code=EXIT_BUSY)
    except (WarehouseError, OSError) as exc:
        fail(str(exc))
    out.print(str(path), highlight=False, soft_wrap=True)
    if open_it:
        webbrowser.open(path.as_uri())


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to find (Russian stemming: inflected forms match)"),
    date_from: Optional[datetime] = typer.Option(None, "--from", formats=["%Y-%m-%d"], help="Published on or after"),
    date_to: Optional[datetime] = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="Published on or before"),
    source: Optional[str] = typer.Option(None, help="Source name, domain or site name"),
    language: Optional[str] = typer.Option(None, help="Language code, e.g. ru"),
    entity: Optional[str] = typer.Option(None, help="Only documents mentioning this entity (name or alias)"),
    limit: int = typer.Option(20, min=1, max=1000),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table (title, date, source, snippet), csv or json"),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Full-text search (BM25) over titles and texts."""
    # deferred: start-up time (duckdb, pandas)
    from newsetl.report.listing import Listing
    from newsetl.warehouse.search import SearchFilters, search as run_search

    filters = SearchFilters(date_from.date() if date_from else None, date_to.date() if date_to else None,
                            source, language, entity)
    listing = Listing.from_frame(_query(run_search, data_dir, warehouse, query, filters, limit))
    if fmt is not OutputFormat.table:
        _emit(listing, fmt)
        return
    if not listing.rows:
        out.print("no matches")
        return
    for hit in listing.records():
        when = hit["published_at"].strftime("%Y-%m-%d") if hit["published_at"] else "no date"
        out.print(f"[bold]{escape(hit['title'] or '(untitled)')}[/]  [dim]{when} · {escape(hit['source'] or 'unknown source')}"
                  f" · score {hit['score'] if hit['score'] is not None else ''} · {hit['doc_id']}[/]", highlight=False)
        out.print("  " + (hit["snippet"] or ""), highlight=False, markup=False)


@app.command()
def stories(
    date_from: Optional[datetime] = typer.Option(None, "--from", formats=["%Y-%m-%d"], help="A document published on or after"),
    date_to: Optional[datetime] = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="A document published on or before"),
    entity: Optional[str] = typer.Option(None, help="Only stories with a document mentioning this entity (name or alias)"),
    limit: int = typer.Option(20, min=1, max=1000),
    fmt: OutputFormat = FormatOpt,
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """The latest stories (documents reporting the same event) with their sizes and sources."""
    # deferred: start-up time (duckdb, pandas)
    from newsetl.report.listing import Column, Kind, Listing
    from newsetl.warehouse.stories import latest_stories

    frame = _query(latest_stories, data_dir, warehouse, date_from.date() if date_from else None,
                   date_to.date() if date_to else None, entity, limit)
    listing = Listing.from_frame(frame)
    if fmt is OutputFormat.table:
        listing.map_column("last_published_at", lambda t: t.strftime("%Y-%m-%d") if t else None)
        listing.map_column("sources", lambda names: ", ".join(names or []))
    columns = [Column("story_id", "story", Kind.ID), Column("last_published_at", "last", Kind.ID),
               Column("n_docs", "docs", Kind.NUMBER), Column("title", "title", Kind.TEXT, 40, 12),
               Column("sources", "sources", Kind.TEXT, 30, 8)]
    _emit(listing, fmt, columns, "stories (latest first)", empty="no stories")


@app.command()
def sql(
    query: Optional[str] = typer.Argument(None, help="SQL to run (read-only)"),
    file: Optional[Path] = typer.Option(None, "--file", "-f", exists=True, dir_okay=False, help="Read the SQL from a file"),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table (long text cut to fit), csv or json"),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Run SQL against the warehouse, opened read-only."""
    # deferred: start-up time (duckdb)
    import duckdb

    from newsetl.report.listing import Listing

    if (query is None) == (file is None):
        fail("give either a query or --file")
    try:
        text = query if query is not None else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")
    if not text.strip():
        fail("the query is empty")

    def run(con):
        # Read-only warehouse, and no reading or writing of other files through SQL either.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        try:
            result = con.execute(text)
            if result.description is None:
                fail("the statement returned no rows to show")
            return Listing.from_cursor(result)
        except duckdb.Error as exc:
            fail(str(exc).splitlines()[0])

    _emit(_query(run, data_dir, warehouse), fmt)


@app.command()
def export(
    fmt: ExportFormat = typer.Argument(..., help="File format"),
    out_dir: Path = typer.Argument(..., help="Folder to write one file per table into"),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Export every published table, with its schema, for other engines."""
    # deferred: start-up time (duckdb)
    import duckdb

    from newsetl.warehouse.export import export_tables

    def run(con, target):
        try:
            return export_tables(con, target, fmt.value)
        except (OSError, duckdb.Error) as exc:
            fail(f"cannot export to {target}: {str(exc).splitlines()[0]}")

    counts = _query(run, data_dir, warehouse, out_dir.resolve())
    for table, n in counts.items():
        out.print(f"{table}: {n} rows -> {out_dir / (table + '.' + fmt.value)}", highlight=False)


def _query(fn, data_dir, warehouse, *args):
    """Run a read-only query function, turning warehouse problems into one-line errors."""
    # deferred: start-up time (duckdb, pandas)
    from newsetl.warehouse.db import WarehouseBusy, WarehouseError, reader

    settings = resolve_settings(data_dir, warehouse)
    try:
        with reader(settings.warehouse) as con:
            return fn(con, *args)
    except WarehouseBusy as exc:
        fail(str(exc), code=EXIT_BUSY)
    except WarehouseError as exc:
        fail(str(exc))


# ``newsetl server start|stop|status`` (see :mod:`newsetl.cli_server`)
app.add_typer(server_app, name="server")


def main() -> None:
    """Entry point for ``python -m newsetl``."""
    app()


if __name__ == "__main__":
    main()
