"""newsetl: raw Russian-language news in, a validated DuckDB warehouse of documents and facts out.

From Python or a notebook::

    import newsetl
    summary = newsetl.ingest(["samples/"], data_dir="data")      # runs the Prefect flow
    con = newsetl.connect()                                      # read-only, FTS loaded
    con.sql("select canonical_name, n_docs from v_entities order by n_docs desc limit 5").show()

Importing the package is cheap and changes nothing process-wide: the heavy modules (DuckDB,
Prefect, Great Expectations) load on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb

__all__ = ["connect", "ingest", "__version__"]


def connect(warehouse: Any = None, read_only: bool = True, data_dir: Any = None) -> "duckdb.DuckDBPyConnection":
    """A DuckDB connection to the warehouse with the FTS extension loaded (see :func:`newsetl.api.connect`)."""
    from newsetl.api import connect as _connect

    return _connect(warehouse, read_only=read_only, data_dir=data_dir)


def ingest(paths: Any, **options: Any) -> dict:
    """Run the ingest flow over ``paths`` and return its summary (see :func:`newsetl.api.ingest`)."""
    from newsetl.api import ingest as _ingest

    return _ingest(paths, **options)


def __getattr__(name: str) -> Any:
    """``newsetl.__version__``, read from the installed distribution on first access."""
    if name == "__version__":
        from newsetl.api import version

        return version()
    raise AttributeError(f"module 'newsetl' has no attribute {name!r}")
