"""``newsetl server start|stop|status``: one local Prefect server per data folder.

While it runs, ``newsetl ingest`` on that data folder reports to it instead of starting a server of
its own, so later runs start at once, and every run, task and log stays visible in Prefect's UI.
Registered in ``newsetl/cli.py`` with ``app.add_typer(server_app, name="server")``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from newsetl.config import Settings, resolve_settings

# Deferred import: newsetl.flows.server pulls in urllib.request and Prefect's database helpers
# (≈ 40 ms); the commands import it when they run, so `newsetl --help` stays fast.
server_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="A local Prefect server for the data folder, which ingest then uses.")
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)
DataDirOpt = typer.Option(None, "--data-dir", help="Data folder [env NEWSETL_DATA_DIR; default ./data]")
EXIT_NOT_RUNNING = 3  # `status` when no server runs, like `systemctl status`


def _settings(data_dir: Optional[Path]) -> Settings:
    """The data folder's settings (the warehouse is not needed here)."""
    return resolve_settings(data_dir)


def _override_note(settings: Settings) -> str | None:
    """Why ``newsetl ingest`` would not use this server from this shell, if it would not."""
    if os.environ.get("PREFECT_API_URL"):
        return f"PREFECT_API_URL is set ({os.environ['PREFECT_API_URL']}): ingest reports there, not to this server"
    home = os.environ.get("PREFECT_HOME")
    if home and Path(home).expanduser().resolve() != settings.prefect_home:
        return f"PREFECT_HOME is set ({home}): ingest lets Prefect choose its server, not this one"
    return None


def _print_running(record, settings: Settings, verb: str) -> None:
    """Say where the server is: UI, API, pid, log, and any variable that bypasses it."""
    out.print(f"server {verb} for {escape(str(settings.data_dir))}")
    out.print(f"ui:  {record.ui_url}")
    out.print(f"api: {record.api_url}")
    out.print(f"pid: {record.pid}   log: {escape(record.log)}")
    if note := _override_note(settings):
        err.print(f"[yellow]note:[/] {escape(note)}")


@server_app.command()
def start(data_dir: Optional[Path] = DataDirOpt,
          port: Optional[int] = typer.Option(None, min=1, max=65535, help="Port [default: a free one]"),
          ui: bool = typer.Option(True, "--ui/--no-ui", help="Serve Prefect's UI")) -> None:
    """Start the data folder's Prefect server in the background (or show the one that runs)."""
    from newsetl.flows.server import ServerError, start_server  # deferred: see the module note

    settings = _settings(data_dir)
    try:
        record, started = start_server(settings, port=port, ui=ui)
    except (ServerError, OSError) as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        raise typer.Exit(1)
    _print_running(record, settings, "started" if started else "already running")


@server_app.command()
def stop(data_dir: Optional[Path] = DataDirOpt) -> None:
    """Stop the data folder's Prefect server."""
    from newsetl.flows.server import stop_server  # deferred: see the module note

    settings = _settings(data_dir)
    record = stop_server(settings)
    out.print(f"server stopped (pid {record.pid})" if record else f"no server runs for {escape(str(settings.data_dir))}")


@server_app.command()
def status(data_dir: Optional[Path] = DataDirOpt) -> None:
    """Show whether the data folder's Prefect server runs, and where (exit code 3 when it does not)."""
    from newsetl.flows.server import is_alive, read_record, running_server  # deferred: see the module note

    settings = _settings(data_dir)
    record = running_server(settings)
    if record:
        _print_running(record, settings, "running")
        return
    stale = read_record(settings)
    if stale and is_alive(stale):
        out.print(f"server process {stale.pid} runs but does not answer at {stale.api_url}; `newsetl server stop` stops it")
    else:
        out.print(f"no server runs for {escape(str(settings.data_dir))}; ingest starts one for each run"
                  " (`newsetl server start` keeps one running)")
    raise typer.Exit(EXIT_NOT_RUNNING)


if __name__ == "__main__":
    server_app(prog_name="newsetl server")
