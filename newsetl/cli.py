"""The ``newsetl`` command line: ingest news, inspect runs, quarantine and data quality, query."""
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from newsetl.config import configure_prefect, resolve_settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Raw Russian-language news in, a validated DuckDB warehouse out.")
EXIT_BUSY = 3  # the warehouse is locked by a writer: retry later
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

WarehouseOpt = typer.Option(None, "--warehouse", "-w", help="DuckDB file [env NEWSETL_WAREHOUSE; default <data dir>/newsetl.duckdb]")
DataDirOpt = typer.Option(None, "--data-dir", help="Data folder [env NEWSETL_DATA_DIR; default ./data]")


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error and exit non-zero."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _print_frame(frame, title: str | None = None) -> None:
    """Render a DataFrame as a rich table (values are shown literally, never as markup)."""
    table = Table(title=title, show_lines=False)
    for column in frame.columns:
        table.add_column(Text(str(column)), overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*[Text("" if v is None else str(v)) for v in row])
    out.print(table)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (recursive) or globs: .txt .html .htm .jsonl, optionally .gz"),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
    batch_size: int = typer.Option(200, min=1, help="Input units per batch task"),
    workers: int = typer.Option(2, min=1, help="Worker processes for extraction"),
) -> None:
    """Load news into the warehouse, validate it and rebuild the data-quality report."""
    from newsetl.extractors.sources.files import InputNotFound, scan
    from newsetl.flows.locking import ingest_lock
    from newsetl.warehouse.db import WarehouseBusy, WarehouseError, writer

    settings = resolve_settings(data_dir, warehouse)
    try:
        found = scan(paths)
        if not found.files:
            fail(f"no .txt, .html, .htm or .jsonl files (optionally .gz) in {', '.join(paths)}")
        with ingest_lock(settings.warehouse), writer(settings.warehouse):
            pass
    except WarehouseBusy as exc:
        fail(str(exc), code=EXIT_BUSY)
    except (InputNotFound, WarehouseError, OSError) as exc:
        fail(str(exc))
    configure_prefect(settings)
    from newsetl.flows.run import run_ingest

    try:
        summary = run_ingest(paths, settings, batch_size=batch_size, workers=workers)
    except WarehouseBusy as exc:
        fail(f"the run stopped: {exc}", code=EXIT_BUSY)
    except Exception as exc:
        fail(f"the run failed and published nothing: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
             " (details in the log above; `newsetl runs` shows it)")
    counts = summary["counts"]
    out.print(
        f"[bold]run {summary['run_id']}[/]: seen {counts['seen']} = new {counts['new']} + unchanged {counts['unchanged']}"
        f" + updated {counts['updated']} + duplicate {counts['duplicate']} + quarantined {counts['quarantined']}",
        highlight=False,
    )
    n_rows = sum(summary["quarantined_records"].values())
    verdict = ("[green]passed[/]" if summary["validation_success"]
               else f"[red]failed[/]: {n_rows} row(s) failed critical checks and were quarantined (`newsetl quarantine`)")
    out.print(f"validation: {verdict}" + (f"; warnings: {', '.join(summary['warnings'])}" if summary["warnings"] else ""))
    if summary.get("note"):
        out.print(f"[yellow]note:[/] {escape(summary['note'])}", highlight=False)
    out.print(f"warehouse: {summary['warehouse']}", highlight=False)
    out.print(f"report:    {summary['docs_index']}", highlight=False)


@app.command()
def runs(warehouse: Optional[Path] = WarehouseOpt, data_dir: Optional[Path] = DataDirOpt,
         limit: int = typer.Option(20, min=1)) -> None:
    """Past runs with their counts and validation outcome."""
    from newsetl.warehouse import queries

    frame = _query(queries.recent_runs, data_dir, warehouse, limit)
    _print_frame(frame, "ingest runs (newest first)")


@app.command()
def quarantine(warehouse: Optional[Path] = WarehouseOpt, data_dir: Optional[Path] = DataDirOpt,
               run: Optional[str] = typer.Option(None, help="Only this run id"),
               limit: int = typer.Option(50, min=1)) -> None:
    """What was rejected, and why."""
    from newsetl.warehouse import queries

    frame = _query(queries.quarantined, data_dir, warehouse, run, limit)
    _print_frame(frame, "quarantine")


@app.command()
def report(data_dir: Optional[Path] = DataDirOpt, warehouse: Optional[Path] = WarehouseOpt) -> None:
    """Path of the data-quality report (Great Expectations Data Docs) to open."""
    from newsetl.validation.runner import docs_index_path

    settings = resolve_settings(data_dir, warehouse)
    index = docs_index_path(settings.data_dir)
    if not index.exists():
        fail(f"no data-quality report under {settings.data_dir} yet; run `newsetl ingest <paths>` first")
    out.print(str(index), highlight=False)


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to find (Russian stemming: inflected forms match)"),
    date_from: Optional[datetime] = typer.Option(None, "--from", formats=["%Y-%m-%d"], help="Published on or after"),
    date_to: Optional[datetime] = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="Published on or before"),
    source: Optional[str] = typer.Option(None, help="Source name, domain or site name"),
    language: Optional[str] = typer.Option(None, help="Language code, e.g. ru"),
    entity: Optional[str] = typer.Option(None, help="Only documents mentioning this entity (name or alias)"),
    limit: int = typer.Option(20, min=1, max=1000),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Full-text search (BM25) over titles and texts."""
    from newsetl.warehouse.search import SearchFilters, search as run_search

    filters = SearchFilters(date_from.date() if date_from else None, date_to.date() if date_to else None,
                            source, language, entity)
    frame = _query(run_search, data_dir, warehouse, query, filters, limit)
    if frame.empty:
        out.print("no matches")
        return
    for row in frame.itertuples(index=False):
        when = row.published_at.strftime("%Y-%m-%d") if row.published_at is not None and row.published_at == row.published_at else "no date"
        out.print(f"[bold]{escape(row.title or '(untitled)')}[/]  [dim]{when} · {escape(row.source or 'unknown source')}"
                  f" · score {row.score} · {row.doc_id}[/]", highlight=False)
        out.print("  " + row.snippet, highlight=False, markup=False)


@app.command()
def sql(
    query: Optional[str] = typer.Argument(None, help="SQL to run (read-only)"),
    file: Optional[Path] = typer.Option(None, "--file", "-f", exists=True, dir_okay=False, help="Read the SQL from a file"),
    fmt: str = typer.Option("table", "--format", help="table, csv or json"),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Run SQL against the warehouse, opened read-only."""
    import duckdb

    if (query is None) == (file is None):
        fail("give either a query or --file")
    if fmt not in ("table", "csv", "json"):
        fail(f"unknown format {fmt!r}; use table, csv or json")
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
            return result.df()
        except duckdb.Error as exc:
            fail(str(exc).splitlines()[0])

    frame = _query(run, data_dir, warehouse)
    if fmt == "json":
        records = [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        sys.stdout.write(frame.map(_text_value).to_csv(index=False))
    else:
        _print_frame(frame.map(_text_value))


def _json_value(value):
    """A query value as plain JSON data: lists for arrays, base64 for bytes, None for NA."""
    import base64

    import numpy as np
    import pandas as pd

    if isinstance(value, np.ndarray):
        return [_json_value(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, np.generic):
        return value.item()
    if hasattr(value, "isoformat") and not pd.isna(value):
        return value.isoformat()
    if not isinstance(value, (str, bool)) and pd.isna(value):
        return None
    return value


def _text_value(value):
    """A query value for a table or CSV cell: arrays and structs as JSON text, not numpy reprs."""
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    plain = _json_value(value)
    if isinstance(plain, (list, dict)):
        return json.dumps(plain, ensure_ascii=False, default=str)
    return plain


@app.command()
def export(
    fmt: str = typer.Argument(..., help="parquet or csv"),
    out_dir: Path = typer.Argument(..., help="Folder to write one file per table into"),
    warehouse: Optional[Path] = WarehouseOpt,
    data_dir: Optional[Path] = DataDirOpt,
) -> None:
    """Export every published table, with its schema, for other engines."""
    from newsetl.warehouse.export import EXPORT_FORMATS, export_tables

    if fmt not in EXPORT_FORMATS:
        fail(f"unknown export format {fmt!r}; use {' or '.join(EXPORT_FORMATS)}")
    import duckdb

    def run(con, target):
        try:
            return export_tables(con, target, fmt)
        except (OSError, duckdb.Error) as exc:
            fail(f"cannot export to {target}: {str(exc).splitlines()[0]}")

    counts = _query(run, data_dir, warehouse, out_dir.resolve())
    for table, n in counts.items():
        out.print(f"{table}: {n} rows -> {out_dir / (table + '.' + fmt)}", highlight=False)


def _query(fn, data_dir, warehouse, *args):
    """Run a read-only query function, turning warehouse problems into one-line errors."""
    from newsetl.warehouse.db import WarehouseBusy, WarehouseError, reader

    settings = resolve_settings(data_dir, warehouse)
    try:
        with reader(settings.warehouse) as con:
            return fn(con, *args)
    except WarehouseBusy as exc:
        fail(str(exc), code=EXIT_BUSY)
    except WarehouseError as exc:
        fail(str(exc))


def main() -> None:
    """Entry point for ``python -m newsetl``."""
    app()


if __name__ == "__main__":
    main()
