"""A migrated, empty Prefect database kept once per user, copied into every new Prefect home.

Creating Prefect's SQLite database replays its whole migration history (≈ 7-13 s); a new data
folder would pay that on its first run. The first time newsetl sees Prefect create a database, it
copies it — right after the server reported healthy, before any client wrote to it — into the user
cache as a template, if the copy holds nothing but the schema and the registered block types. Later
new homes start from a copy of that template; Prefect's start-up then finds the schema at its head
revision and runs no migration. The template is named after the Prefect version, so an upgrade
makes a new one (and Prefect would migrate an older copy forward anyway).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from importlib.metadata import version
from pathlib import Path

from newsetl.config import cache_dir

DB_FILE = "prefect.db"
# Tables a template may hold rows in: the schema version and the block catalogue Prefect registers
# at start-up. Any other row (a flow, a run, a log, an event) belongs to some data folder.
TEMPLATE_TABLES = frozenset({"alembic_version", "block_type", "block_schema", "block_schema_reference"})


def template_path() -> Path:
    """Where the template database for the installed Prefect version lives."""
    return cache_dir() / f"prefect-{version('prefect')}.db"


def uses_default_database() -> bool:
    """Whether Prefect keeps its database at ``<PREFECT_HOME>/prefect.db`` (no connection URL set)."""
    return not os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL")


def seed_home(home: Path) -> bool:
    """Copy the template into a Prefect home that has no database yet; True when it did."""
    target = home / DB_FILE
    template = template_path()
    if target.exists() or not template.is_file() or not uses_default_database():
        return False
    home.mkdir(parents=True, exist_ok=True)
    try:
        _copy_no_clobber(template, target)
    except OSError:  # includes FileExistsError: another process seeded it first
        return False
    return True


def save_template(home: Path) -> bool:
    """Snapshot a freshly created database of ``home`` as the template, if none exists and the
    snapshot holds nothing but the schema and the block catalogue; True when it saved one."""
    source = home / DB_FILE
    template = template_path()
    if template.exists() or not source.is_file() or not uses_default_database():
        return False
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=template.parent, prefix=".prefect-", suffix=".db")
        os.close(fd)
        try:
            _backup(source, Path(tmp))
            if not is_clean(Path(tmp)):
                return False
            os.replace(tmp, template)
            return True
        finally:
            Path(tmp).unlink(missing_ok=True)
    except (OSError, sqlite3.Error):
        return False


def is_clean(database: Path) -> bool:
    """Whether ``database`` has rows only in :data:`TEMPLATE_TABLES` and is at some revision."""
    con = sqlite3.connect(database)
    try:
        tables = [name for (name,) in con.execute("select name from sqlite_master where type = 'table'")]
        if "alembic_version" not in tables:
            return False
        return all(con.execute(f'select not exists (select 1 from "{t}")').fetchone()[0]
                   for t in tables if t not in TEMPLATE_TABLES and not t.startswith("sqlite_"))
    finally:
        con.close()


def _backup(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included) through SQLite's backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_no_clobber(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target``, which is never seen half-written and never replaced
    (``FileExistsError`` when it appeared meanwhile)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".prefect-", suffix=".db")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.link(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
