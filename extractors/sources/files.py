"""Input paths → source files → raw units.

:func:`scan` expands the paths a user names (files, folders, glob patterns) into
:class:`SourceFile` s; :func:`read_units` streams them as :class:`RawUnit` s: one
per .txt/.html file, one per non-blank JSONL line. gzip is decompressed on the fly;
a file that cannot be read becomes a unit with an ``error`` instead of an exception
(``unreadable``, ``truncated_gzip`` for a gzip stream that ends early, ``corrupt_gzip``
for a .gz file that is not gzip or has corrupt compressed data).
"""
from __future__ import annotations

import glob
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsetl.extractors.sources.decoding import DecodeError, decode_bytes
from newsetl.schemas.records import RawUnit

FORMAT_BY_SUFFIX = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
UNSUPPORTED = "unsupported"
READ_CHUNK_BYTES = 1 << 20
GZIP_WBITS = 16 + zlib.MAX_WBITS  # gzip header and trailer
GZIP_MAGIC = b"\x1f\x8b"
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
    """The files to ingest, and the files found in folders that are not news input."""

    files: list[SourceFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class _BrokenGzip(Exception):
    """Raised by the chunk reader for a broken gzip stream; ``reason_code`` is "truncated_gzip" or "corrupt_gzip"."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(message)
        self.reason_code = reason_code


def file_format(name: str) -> tuple[str, bool]:
    """The input format ("txt", "html", "jsonl" or "unsupported") of a file name, and whether it is gzipped."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[: -len(".gz")]
    return FORMAT_BY_SUFFIX.get(Path(lower).suffix, UNSUPPORTED), gz


def scan(paths: list[str]) -> Scan:
    """Expand files, folders (recursively, sorted) and glob patterns into the source files to read.

    A file named explicitly is always kept (an unsupported one with fmt "unsupported",
    so that it is rejected, not dropped); unsupported files met inside folders or glob
    matches are listed in ``skipped``. Raises :class:`InputNotFound` for a path or
    pattern that matches nothing.
    """
    result = Scan()
    seen: set[str] = set()
    for path in paths:
        if os.path.isfile(path):
            _add_file(result, seen, path, os.path.dirname(os.path.abspath(path)), explicit=True)
        elif os.path.isdir(path):
            _add_folder(result, seen, path, root=path)
        elif _GLOB_CHARS & set(path):
            _add_glob(result, seen, path)
        else:
            raise InputNotFound(f"Input not found: {path!r} is neither a file nor a folder.")
    return result


def _add_glob(result: Scan, seen: set[str], pattern: str) -> None:
    """Add every file and folder a glob pattern matches; ids are relative to the pattern's fixed prefix."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        raise InputNotFound(f"Input not found: no file matches the pattern {pattern!r}.")
    root = _glob_root(pattern)
    for match in matches:
        if os.path.isdir(match):
            _add_folder(result, seen, match, root=root)
        else:
            _add_file(result, seen, match, root, explicit=False)


def _glob_root(pattern: str) -> str:
    """The folder part of a glob pattern before its first wildcard ("data/*/x.txt" → "data")."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


def _add_folder(result: Scan, seen: set[str], folder: str, root: str) -> None:
    """Add the files under ``folder``, in the order of their sorted relative paths.

    Hidden folders (``.git``, ``.cache`` …) are not entered; they are listed in ``skipped``.
    """
    found: list[str] = []
    for current, dirnames, filenames in os.walk(folder):
        hidden = [name for name in dirnames if name.startswith(".")]
        result.skipped.extend(os.path.join(current, name) for name in sorted(hidden))
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        found.extend(os.path.join(current, name) for name in filenames)
    for path in sorted(found, key=lambda p: Path(os.path.relpath(p, folder)).parts):
        _add_file(result, seen, path, root, explicit=False)


def _add_file(result: Scan, seen: set[str], path: str, root: str, explicit: bool) -> None:
    """Add one file (once): as a source file, or to ``skipped`` when it was not named and is unsupported."""
    absolute = os.path.abspath(path)
    if absolute in seen:
        return
    seen.add(absolute)
    fmt, gz = file_format(os.path.basename(path))
    if fmt == UNSUPPORTED and not explicit:
        result.skipped.append(path)
        return
    if explicit:
        source_id = os.path.basename(path)
    else:
        source_id = Path(os.path.relpath(absolute, os.path.abspath(root))).as_posix()
    result.files.append(SourceFile(path=path, root=root, source_id=source_id, fmt=fmt, gz=gz))


def read_units(files: Iterable[SourceFile]) -> Iterator[RawUnit]:
    """Stream the raw units of the given files: one per txt/html file, one per non-blank JSONL line."""
    for source in files:
        if source.fmt == "jsonl":
            yield from _jsonl_units(source)
        else:
            yield _whole_file_unit(source)


def _whole_file_unit(source: SourceFile) -> RawUnit:
    """The whole (decompressed) file as one unit; an unreadable file gives a unit with an error."""
    uri = os.path.abspath(source.path)
    chunks: list[bytes] = []
    error = None
    try:
        for chunk in _read_chunks(source):
            chunks.append(chunk)
    except _BrokenGzip as exc:
        error = (exc.reason_code, f"{uri}: {exc}")
        if not chunks:
            chunks = [_compressed_bytes(source.path)]
    except OSError as exc:
        error = ("unreadable", f"{uri}: cannot read the file ({exc.strerror or exc})")
    return RawUnit(source_uri=uri, source_id=source.source_id, fmt=source.fmt, raw=b"".join(chunks), error=error)


def _compressed_bytes(path: str) -> bytes:
    """The file's bytes as stored (kept when nothing could be decompressed from a broken .gz)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _jsonl_units(source: SourceFile) -> Iterator[RawUnit]:
    """One unit per non-blank line; a broken .gz ends with one error unit holding the partial line."""
    uri = os.path.abspath(source.path)
    line_no = 0
    pending = b""
    try:
        for chunk in _read_chunks(source):
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                line_no += 1
                if line.strip():
                    yield _jsonl_unit(source, uri, line.rstrip(b"\r"), line_no)
    except _BrokenGzip as exc:
        line_no += 1
        message = f"{uri}: {exc}; the lines before line {line_no} were read"
        yield RawUnit(
            source_uri=f"{uri}#L{line_no}",
            source_id=f"{source.source_id}#L{line_no}",
            fmt="jsonl",
            raw=pending,
            line_no=line_no,
            error=(exc.reason_code, message),
        )
        return
    except OSError as exc:
        yield RawUnit(
            source_uri=uri,
            source_id=source.source_id,
            fmt="jsonl",
            raw=b"",
            error=("unreadable", f"{uri}: cannot read the file ({exc.strerror or exc})"),
        )
        return
    if pending.strip():
        yield _jsonl_unit(source, uri, pending.rstrip(b"\r"), line_no + 1)


def _jsonl_unit(source: SourceFile, uri: str, line: bytes, line_no: int) -> RawUnit:
    """The unit of one JSONL line, identified by the record's ``id`` when it has one."""
    return RawUnit(
        source_uri=f"{uri}#L{line_no}",
        source_id=_record_id(line) or f"{source.source_id}#L{line_no}",
        fmt="jsonl",
        raw=line,
        line_no=line_no,
    )


def _record_id(line: bytes) -> str | None:
    """The ``id`` of a JSON object line, as a string; None if the line is not such an object.

    A line that is not UTF-8 is decoded the way its document will be (``decode_bytes``),
    so that a stray byte or a legacy code page does not lose the record's id.
    """
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        record = _loads_decoded(line)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    record_id = record.get("id")
    if record_id is None or isinstance(record_id, (dict, list)) or str(record_id).strip() == "":
        return None
    return str(record_id)


def _loads_decoded(line: bytes):
    """The JSON value of a line that is not valid UTF-8, read after ``decode_bytes``; None if it is not JSON."""
    try:
        return json.loads(decode_bytes(line).text)
    except (DecodeError, ValueError):
        return None


def _read_chunks(source: SourceFile) -> Iterator[bytes]:
    """The file's bytes in chunks, gunzipped when it is a .gz; raises _BrokenGzip on a broken stream."""
    if not source.gz:
        with open(source.path, "rb") as handle:
            while chunk := handle.read(READ_CHUNK_BYTES):
                yield chunk
        return
    with open(source.path, "rb") as handle:
        yield from _gunzip(handle)


def _gunzip(handle) -> Iterator[bytes]:
    """Decompress a (possibly multi-member) gzip stream chunk by chunk.

    Decompressing by hand, rather than with ``gzip.open``, keeps every byte that
    could be recovered before a truncation or corruption, which then raises
    _BrokenGzip: "corrupt_gzip" when the file is not gzip or its data is corrupt,
    "truncated_gzip" when the stream ends early. An empty file holds no bytes;
    zero padding after the last member is ignored (as ``gzip`` does).
    """
    decompressor = zlib.decompressobj(GZIP_WBITS)
    started = False
    while compressed := handle.read(READ_CHUNK_BYTES):
        if not started:
            _check_gzip_magic(compressed)
            started = True
        while compressed:
            if decompressor.eof:
                if not compressed.strip(b"\x00"):
                    break
                decompressor = zlib.decompressobj(GZIP_WBITS)
            try:
                data = decompressor.decompress(compressed)
            except zlib.error as exc:
                raise _BrokenGzip("corrupt_gzip", f"the gzip file is corrupt ({exc})") from exc
            if data:
                yield data
            compressed = decompressor.unused_data if decompressor.eof else b""
    if started and not decompressor.eof:
        raise _BrokenGzip(
            "truncated_gzip", "the gzip file is truncated (it ends before the end of the compressed stream)"
        )


def _check_gzip_magic(head: bytes) -> None:
    """Raise _BrokenGzip("corrupt_gzip") when a .gz file does not start with the gzip signature."""
    if not head.startswith(GZIP_MAGIC[: len(head)]):
        raise _BrokenGzip("corrupt_gzip", f"the file is not gzip-compressed (it starts with {head[:4]!r})")
