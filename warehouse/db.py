"""Opening the warehouse: one DuckDB file, idempotent DDL, the offline full-text-search extension.

DuckDB lets one process write a file, or several read it. newsetl keeps write transactions short
(the ingest flow opens the writer only while it loads or publishes) and both sides retry a locked
file for a while before giving up with :class:`WarehouseBusy`.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd

LOCK_WAIT_ENV = "NEWSETL_LOCK_WAIT"
READER_WAIT_SECONDS = 15.0
WRITER_WAIT_SECONDS = 60.0  # an ingest outwaits a long-running reader rather than fail mid-run
_LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "lock on file")


class WarehouseError(Exception):
    """A warehouse problem to show the user as one line."""


class WarehouseBusy(WarehouseError):
    """Another process holds the warehouse's write lock."""


def sql_files() -> list[str]:
    """Names of the DDL/view files under ``warehouse/sql``, in the order they apply."""
    folder = resources.files("newsetl.warehouse") / "sql"
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))


def read_sql(name: str) -> str:
    """The text of one packaged SQL file."""
    return (resources.files("newsetl.warehouse") / "sql" / name).read_text(encoding="utf-8")


def fts_extension_path() -> str:
    """Path of the FTS extension shipped by the ``duckdb-extension-fts`` package."""
    root = resources.files("duckdb_extension_fts") / "extensions" / f"v{duckdb.__version__}"
    path = Path(str(root)) / "fts.duckdb_extension"
    if not path.exists():
        raise WarehouseError(f"full-text search extension not found at {path}; reinstall newsetl")
    return str(path)


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the full-text-search extension from the package file (never from the network); a second
    load on the same connection costs nothing."""
    con.execute(f"LOAD '{fts_extension_path()}'")


def _is_lock_error(exc: Exception) -> bool:
    return any(marker in str(exc) for marker in _LOCK_MARKERS)


# No extension is fetched or loaded behind our back. A new warehouse file gets 16 KiB blocks instead
# of DuckDB's 256 KiB: each table and each index with rows takes at least one block, so with ~60
# tables the default spent ~25 MB on a warehouse of six documents; scans and loads measured the same.
# An existing file keeps the block size it was created with.
WAREHOUSE_BLOCK_SIZE = 16 * 1024
CONNECTION_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False,
                     "default_block_size": str(WAREHOUSE_BLOCK_SIZE)}

# DuckDB keeps every block it reads cached up to its memory limit, 80 % of the machine's memory by
# default, so a process's memory would grow with the warehouse it scans. Bounded instead (queries
# that need more spill to ``<warehouse>.tmp``); ``NEWSETL_DUCKDB_MEMORY`` overrides, in DuckDB's
# units ("512MB", "4GB").
DUCKDB_MEMORY_ENV = "NEWSETL_DUCKDB_MEMORY"
DEFAULT_DUCKDB_MEMORY = "1GB"


def connection_config() -> dict[str, str | bool]:
    """The configuration every warehouse connection opens with."""
    return {**CONNECTION_CONFIG, "memory_limit": os.environ.get(DUCKDB_MEMORY_ENV) or DEFAULT_DUCKDB_MEMORY}

# Per warehouse file: when this process's writers began to find it locked, and last found it so
# (cleared once one gets in; forgotten when no writer tried for a whole wait).
_WRITER_BLOCKED: dict[str, tuple[float, float]] = {}


def open_connection(path: Path, read_only: bool, retry_seconds: float) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds a conflicting lock. A writer's wait is
    bounded end to end: retried tasks and the failure bookkeeping after them share one budget
    (``NEWSETL_LOCK_WAIT``, else 60 s) counted from when the lock was first found held."""
    deadline = time.monotonic() + retry_seconds
    if not read_only:
        deadline = min(deadline, _writer_budget_end(path))
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=connection_config())
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(f"cannot open warehouse {path}: {str(exc).splitlines()[0]}") from None
            if not read_only:
                _note_writer_blocked(path)
            if time.monotonic() >= deadline:
                holder = "an ingest is writing to it" if read_only else "another process is using it"
                raise WarehouseBusy(f"warehouse {path} is busy ({holder}); retry in a few seconds") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        else:
            if not read_only:
                _WRITER_BLOCKED.pop(str(path), None)
            return con


def _writer_budget_end(path: Path) -> float:
    """When a writer still blocked on ``path`` must give up (infinity while it is not blocked)."""
    budget = lock_wait(None, WRITER_WAIT_SECONDS)
    since, last = _WRITER_BLOCKED.get(str(path), (None, None))
    if since is None or time.monotonic() - last > budget:
        return float("inf")
    return since + budget


def _note_writer_blocked(path: Path) -> None:
    """Record that a writer found ``path`` locked (the start of a blocked stretch, or its latest moment)."""
    now = time.monotonic()
    since, last = _WRITER_BLOCKED.get(str(path), (now, now))
    _WRITER_BLOCKED[str(path)] = (now if now - last > lock_wait(None, WRITER_WAIT_SECONDS) else since, now)


def lock_wait(seconds: float | None, default: float) -> float:
    """How long to wait for a locked warehouse: the argument, else ``NEWSETL_LOCK_WAIT``, else ``default``."""
    return seconds if seconds is not None else float(os.environ.get(LOCK_WAIT_ENV, default))


_SCHEMA_APPLIED: set[tuple[str, int]] = set()


def ensure_schema(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> None:
    """Apply every DDL and view file (each is idempotent), then fill what a warehouse created by an
    earlier version lacks; once per file per process."""
    from newsetl.warehouse.events import fill_event_dates  # it imports this module

    marker = (str(path), path.stat().st_ino) if path is not None and path.exists() else None
    if marker in _SCHEMA_APPLIED:
        return
    load_fts(con)  # the search views call stem(), which DuckDB binds when it creates them
    for name in sql_files():
        con.execute(read_sql(name))
    fill_event_dates(con)
    if marker is not None:
        _SCHEMA_APPLIED.add(marker)


@contextmanager
def writer(path: Path, retry_seconds: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-write connection with the schema in place. The full-text-search
    extension is not loaded (20 ms per connection, and most writers never stem): what stems loads
    it (:func:`load_fts`)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the warehouse folder {path.parent}: {exc.strerror}") from None
    con = open_connection(path, read_only=False, retry_seconds=lock_wait(retry_seconds, WRITER_WAIT_SECONDS))
    try:
        ensure_schema(con, path)
        yield con
    finally:
        con.close()


@contextmanager
def reader(path: Path, retry_seconds: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; fails with a one-line error if there is no warehouse yet."""
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}; run `newsetl ingest <paths>` first")
    con = open_connection(path, read_only=True, retry_seconds=lock_wait(retry_seconds, READER_WAIT_SECONDS))
    try:
        load_fts(con)
        yield con
    finally:
        con.close()


def read_dml(name: str) -> str:
    """A packaged statement from ``warehouse/sql/dml``."""
    return read_sql(f"dml/{name}.sql")


def execute_script(con: duckdb.DuckDBPyConnection, script: str, params: dict[str, Any] | None = None) -> None:
    """Run a multi-statement SQL file, binding each named ``$param`` only where it is used."""
    body = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    for statement in (s.strip() for s in body.split(";")):
        if not statement:
            continue
        used = {k: v for k, v in (params or {}).items() if f"${k}" in statement}
        con.execute(statement, used or None)


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    """``frame`` (a DataFrame or an Arrow table) visible to the block's queries as the view ``name``."""
    con.register(name, frame)
    try:
        yield con
    finally:
        con.unregister(name)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, ignore: bool = False) -> int:
    """Bulk-insert a DataFrame by column name; returns the number of rows offered."""
    if frame.empty:
        return 0
    verb = "INSERT OR IGNORE INTO" if ignore else "INSERT INTO"
    with registered(con, "_batch", frame):
        con.execute(f"{verb} {table} BY NAME SELECT * FROM _batch")
    return len(frame)


def with_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, query: str,
               params: list | dict | None = None) -> list[tuple]:
    """Run ``query`` with ``frame`` registered as the view ``name``; returns the rows."""
    with registered(con, name, frame):
        return con.execute(query, params).fetchall()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: committed if it completes, rolled back if it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
