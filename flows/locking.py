"""One ingest at a time per warehouse: an advisory lock file next to the DuckDB file.

The ingest releases DuckDB's own lock between tasks so readers get in; this lock keeps a second
ingest (a scheduled deployment overlapping a manual run, say) from starting meanwhile and
clearing the first one's staging.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsetl.warehouse.db import WarehouseBusy, WarehouseError


def lock_path(warehouse: Path) -> Path:
    """The lock file of a warehouse."""
    return warehouse.with_name(warehouse.name + ".ingest.lock")


@contextmanager
def ingest_lock(warehouse: Path) -> Iterator[None]:
    """Hold the warehouse's ingest lock, or raise :class:`WarehouseBusy` at once if another
    ingest holds it. The lock goes with the process, so a killed ingest never leaves it behind."""
    try:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path(warehouse), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WarehouseError(f"cannot create the warehouse at {warehouse}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseBusy(
                f"another ingest is writing to {warehouse}; try again when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)
