"""Input paths → the source files to read.

:func:`scan` expands the paths a user names (files, folders, glob patterns) into
:class:`SourceFile` s. Untrusted trees are handled: names that are not UTF-8 or hold control
characters get ids that are valid text (``names.safe_text``); special files (FIFOs, devices,
sockets) are skipped; symlinks that resolve outside the named inputs are skipped and counted
unless ``follow_symlinks``.
"""
from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from newsetl.extractors.sources.names import safe_text

FORMAT_BY_SUFFIX = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".warc": "warc"}
UNSUPPORTED = "unsupported"
_GLOB_CHARS = frozenset("*?[")


class InputNotFound(Exception):
    """A path or glob pattern given as input matches nothing."""


@dataclass(slots=True)
class SourceFile:
    """One input file: its path, the root it was found under, its id, format and compression."""

    path: str
    root: str
    source_id: str
    fmt: str
    gz: bool


@dataclass(slots=True)
class Scan:
    """The files to ingest, and the paths found in folders that are not read.

    ``skipped`` lists every path not read (unsupported kinds, hidden folders, special files,
    symlinks leading outside the inputs), as valid text; ``skipped_symlinks`` is the part of it
    that are symlinks resolving outside the named inputs.
    """

    files: list[SourceFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    skipped_symlinks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Walk:
    """The state of one scan: its result, the files already added, the named inputs' real paths."""

    result: Scan
    follow_symlinks: bool
    bounds: list[str]
    seen: set[str] = field(default_factory=set)

    def skip(self, path: str, symlink: bool = False) -> None:
        """Record a path that is not read."""
        self.result.skipped.append(safe_text(path))
        if symlink:
            self.result.skipped_symlinks.append(safe_text(path))

    def inside(self, path: str) -> bool:
        """Whether ``path`` resolves inside one of the named inputs."""
        real = os.path.realpath(path)
        return any(real == bound or real.startswith(bound.rstrip(os.sep) + os.sep) for bound in self.bounds)


def file_format(name: str) -> tuple[str, bool]:
    """The input format ("txt", "html", "jsonl", "warc" or "unsupported") of a file name, and whether it is gzipped."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[: -len(".gz")]
    return FORMAT_BY_SUFFIX.get(Path(lower).suffix, UNSUPPORTED), gz


def scan(paths: list[str], follow_symlinks: bool = False) -> Scan:
    """Expand files, folders (recursively, sorted) and glob patterns into the source files to read.

    A file named explicitly is always kept (an unsupported one with fmt "unsupported", so that it
    is rejected, not dropped), even when it is a symlink; unsupported files met inside folders or
    glob matches are listed in ``skipped``. Symlinks found inside folders or glob matches that
    resolve outside every named input are skipped (``skipped_symlinks``) unless
    ``follow_symlinks``. Raises :class:`InputNotFound` for a path or pattern that matches nothing.
    """
    walk = _Walk(Scan(), follow_symlinks, [os.path.realpath(_named_root(path)) for path in paths])
    for path in paths:
        if os.path.isfile(path):
            _add_file(walk, path, os.path.dirname(os.path.abspath(path)), explicit=True)
        elif os.path.isdir(path):
            _add_folder(walk, path, root=path)
        elif _GLOB_CHARS & set(path):
            _add_glob(walk, path)
        else:
            raise InputNotFound(f"Input not found: {safe_text(path)!r} is neither a file nor a folder.")
    return walk.result


def _named_root(path: str) -> str:
    """The file or folder a named input stands for (a glob pattern: its fixed prefix)."""
    if not os.path.exists(path) and _GLOB_CHARS & set(path):
        return _glob_root(path)
    return path


def _add_glob(walk: _Walk, pattern: str) -> None:
    """Add every file and folder a glob pattern matches; ids are relative to the pattern's fixed prefix."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        raise InputNotFound(f"Input not found: no file matches the pattern {safe_text(pattern)!r}.")
    root = _glob_root(pattern)
    for match in matches:
        if os.path.isdir(match):
            if os.path.islink(match) and not walk.follow_symlinks and not walk.inside(match):
                walk.skip(match, symlink=True)
            else:
                _add_folder(walk, match, root=root)
        else:
            _add_file(walk, match, root, explicit=False)


def _glob_root(pattern: str) -> str:
    """The folder part of a glob pattern before its first wildcard ("data/*/x.txt" → "data")."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


def _add_folder(walk: _Walk, folder: str, root: str) -> None:
    """Add the files under ``folder``, in the order of their sorted relative paths.

    Hidden folders (``.git``, ``.cache`` …) are not entered; they are listed in ``skipped``.
    Symlinked folders are entered only with ``follow_symlinks`` (each real folder once);
    without it, one resolving outside the inputs is listed as a skipped symlink.
    """
    found: list[str] = []
    visited = {os.path.realpath(folder)}
    for current, dirnames, filenames in os.walk(folder, followlinks=walk.follow_symlinks):
        for name in sorted(dirnames):
            path = os.path.join(current, name)
            if name.startswith("."):
                walk.skip(path)
            elif os.path.islink(path) and not walk.follow_symlinks and not walk.inside(path):
                walk.skip(path, symlink=True)
        dirnames[:] = [name for name in dirnames if not name.startswith(".")
                       and _first_visit(os.path.join(current, name), visited)]
        found.extend(os.path.join(current, name) for name in filenames)
    for path in sorted(found, key=lambda p: Path(os.path.relpath(p, folder)).parts):
        _add_file(walk, path, root, explicit=False)


def _first_visit(path: str, visited: set[str]) -> bool:
    """True the first time a folder's real path is met (symlink loops are entered once)."""
    real = os.path.realpath(path)
    if real in visited:
        return False
    visited.add(real)
    return True


def _add_file(walk: _Walk, path: str, root: str, explicit: bool) -> None:
    """Add one file (once): as a source file, or to ``skipped`` when it is not to be read."""
    absolute = os.path.abspath(path)
    if absolute in walk.seen:
        return
    walk.seen.add(absolute)
    if not explicit and not _readable_here(walk, path):
        return
    fmt, gz = file_format(os.path.basename(path))
    if fmt == UNSUPPORTED and not explicit:
        walk.skip(path)
        return
    if explicit:
        source_id = os.path.basename(path)
    else:
        source_id = Path(os.path.relpath(absolute, os.path.abspath(root))).as_posix()
    walk.result.files.append(SourceFile(path=path, root=root, source_id=safe_text(source_id), fmt=fmt, gz=gz))


def _readable_here(walk: _Walk, path: str) -> bool:
    """Whether a file met in a folder or glob may be read: inside the inputs (or links followed), and
    a regular file (or gone: reading it then reports it as unreadable). Records the skip otherwise."""
    if not walk.follow_symlinks and not walk.inside(path):
        walk.skip(path, symlink=True)
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return True
    if not stat.S_ISREG(mode):
        walk.skip(path)
        return False
    return True
