"""Where newsetl keeps its data: the data folder, the warehouse file, Prefect's and GX's homes.

Resolution order for the data folder: ``--data-dir`` option, ``NEWSETL_DATA_DIR``, then ``./data``.
The warehouse defaults to ``<data folder>/newsetl.duckdb``; ``--warehouse`` or ``NEWSETL_WAREHOUSE``
override it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "NEWSETL_DATA_DIR"
WAREHOUSE_ENV = "NEWSETL_WAREHOUSE"
CACHE_ENV = "NEWSETL_CACHE_DIR"
DEFAULT_DATA_DIR = "data"
WAREHOUSE_FILE = "newsetl.duckdb"
# The level of Prefect's console log handler (its API handler keeps every level).
CONSOLE_LEVEL_ENV = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"


@dataclass(frozen=True)
class Settings:
    """Resolved locations for one invocation."""

    data_dir: Path
    warehouse: Path

    @property
    def prefect_home(self) -> Path:
        """Prefect's home (its SQLite database and settings) inside the data folder."""
        return self.data_dir / "prefect"


def resolve_settings(data_dir: str | Path | None = None, warehouse: str | Path | None = None) -> Settings:
    """Resolve the data folder and warehouse path from options, environment and defaults."""
    root = Path(data_dir or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).expanduser().resolve()
    wh = warehouse or os.environ.get(WAREHOUSE_ENV) or root / WAREHOUSE_FILE
    return Settings(data_dir=root, warehouse=Path(wh).expanduser().resolve())


def cache_dir() -> Path:
    """newsetl's per-user cache: ``NEWSETL_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsetl``, else ``~/.cache/newsetl``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser() / "newsetl"


def configure_prefect(settings: Settings, verbose: bool = False) -> None:
    """Point Prefect at its home inside the data folder, telemetry and analytics off, and set how
    much of Prefect's logging reaches the console: errors only, or with ``verbose`` every flow and
    task line (the API still receives every log line either way).

    A variable already set in the environment wins. Must run before ``prefect`` is imported:
    Prefect reads its settings at import time.
    """
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_HOME", str(settings.prefect_home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "true")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # Prefect's SDK telemetry and its first-run notice
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault(CONSOLE_LEVEL_ENV, "INFO" if verbose else "ERROR")
