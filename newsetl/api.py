"""The Python entry points: open the warehouse, run the ingest flow, the installed version.

``newsetl/__init__.py`` forwards to these lazily, so ``import newsetl`` stays fast.
"""
from __future__ import annotations

from collections.abc import Iterable
from os import PathLike, fspath
from typing import Any

from newsetl.config import Settings, configure_prefect, resolve_settings

PathArg = str | PathLike | None
INGEST_OPTIONS = ("warehouse", "data_dir", "batch_size", "workers", "publish_every")


def version() -> str:
    """The installed newsetl version ("unknown" when run from a source tree that is not installed)."""
    # deferred: importlib.metadata adds ≈ 17 ms to every start, and only --version needs it
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("newsetl")
    except PackageNotFoundError:
        return "unknown"


def connect(warehouse: PathArg = None, read_only: bool = True, data_dir: PathArg = None) -> Any:
    """A DuckDB connection to the warehouse, FTS extension loaded, SQL API (views, macros) ready.

    ``warehouse`` defaults as on the command line (``NEWSETL_WAREHOUSE``, else
    ``<data dir>/newsetl.duckdb``). Read-only by default, which lets it run beside an ingest's
    short write transactions; a read-only open of a missing file raises ``WarehouseError``. With
    ``read_only=False`` the file is created if needed and the schema applied. Close it when done.
    """
    from newsetl.warehouse import db  # deferred: duckdb and pandas (≈ 0.4 s); `import newsetl` stays fast

    settings = resolve_settings(data_dir, warehouse)
    path = settings.warehouse
    if read_only and not path.exists():
        raise db.WarehouseError(f"no warehouse at {path}; run newsetl.ingest(paths) or `newsetl ingest <paths>` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    wait = db.lock_wait(None, db.READER_WAIT_SECONDS if read_only else db.WRITER_WAIT_SECONDS)
    con = db.open_connection(path, read_only=read_only, retry_seconds=wait)
    db.load_fts(con)
    if not read_only:
        db.ensure_schema(con, path)
    return con


def ingest(paths: str | PathLike | Iterable[str | PathLike], **options: Any) -> dict:
    """Run the ingest flow over files, folders or globs and return the run's summary.

    Options: ``warehouse``, ``data_dir``, ``batch_size`` (200), ``workers`` (2),
    ``publish_every`` (2000: input units per write-audit-publish window), as on the command line.
    The summary has ``run_id``, ``counts`` (seen, new, unchanged, updated, duplicate, quarantined),
    ``validation_success``, ``warnings``, ``quarantined_records``, ``docs_index`` and ``warehouse``.
    Prefect runs on an ephemeral API with its home in the data folder unless ``PREFECT_API_URL`` or
    ``PREFECT_HOME`` is set.
    """
    unknown = sorted(set(options) - set(INGEST_OPTIONS))
    if unknown:
        raise TypeError(f"unknown ingest option(s) {', '.join(unknown)}; use {', '.join(INGEST_OPTIONS)}")
    if isinstance(paths, (str, PathLike)):
        paths = [paths]
    settings: Settings = resolve_settings(options.get("data_dir"), options.get("warehouse"))
    configure_prefect(settings)
    from newsetl.flows.run import run_ingest  # deferred: the worker pool, then Prefect (start-up time)

    extra = {"publish_every": int(options["publish_every"])} if "publish_every" in options else {}
    return run_ingest([fspath(p) for p in paths], settings,
                      batch_size=int(options.get("batch_size", 200)), workers=int(options.get("workers", 2)), **extra)
