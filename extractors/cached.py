"""Built objects kept in newsetl's per-user cache (:func:`newsetl.config.cache_dir`) as pickles.

Used for what is slow to build and the same for every process of one installed version (the
gazetteer's indexes, the language identifier's decompressed model). The caller names the file so
that it changes with whatever the object is built from; a missing, truncated, foreign or
unwritable file only means building the object again.
"""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def load_or_build(path: Path, build: Callable[[], T], kind: type, replaces: str | None = None) -> T:
    """The ``kind`` object pickled at ``path``; else ``build()``, pickled there for next time, and
    the other files of the cache folder matching the glob ``replaces`` (older builds) removed."""
    cached = read_cache(path, kind)
    if cached is not None:
        return cached
    built = build()
    write_cache(path, built)
    if replaces and path.exists():
        for older in path.parent.glob(replaces):
            if older != path:
                older.unlink(missing_ok=True)
    return built


def read_cache(path: Path, kind: type):
    """The ``kind`` object pickled at ``path``, or None when it is missing, unreadable or another type."""
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
    except Exception:  # a missing, truncated or foreign file: the caller builds it again
        return None
    return loaded if isinstance(loaded, kind) else None


def write_cache(path: Path, value: object) -> None:
    """Pickle ``value`` at ``path`` atomically (a reader never sees half a file); a cache that
    cannot be written is skipped."""
    handle = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.stem}-", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        if handle is not None:
            Path(handle.name).unlink(missing_ok=True)
