"""Source files → raw units, streamed with bounded memory.

:func:`scan` (from ``discovery``) expands the paths a user names into :class:`SourceFile` s;
:func:`read_units` streams them as :class:`RawUnit` s: one per .txt/.html file, one per non-blank
JSONL line, one per HTML response record of a WARC file. gzip is decompressed on the fly. A unit
that cannot be read carries an ``error`` instead of raising:

- ``unreadable``: the file cannot be opened or read;
- ``truncated_gzip`` / ``corrupt_gzip``: a gzip stream that ends early / is not gzip or is corrupt;
- ``decompression_bomb``: a gzip stream expanding past ``max_unit_bytes`` (whole-file formats) or
  past the ratio limit (see ``limits``); reading that file stops there;
- ``too_large``: a file, JSONL line or WARC record over ``max_unit_bytes`` (its first bytes kept);
- ``empty``: a JSONL or WARC file without a single non-blank line or record (one unit per file);
- ``truncated_warc`` / ``malformed_warc``: a damaged WARC record (see ``warc``).

Every file gives at least one unit, except a WARC file whose records were all skipped (they are
counted in :class:`ReadStats`).
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator

from newsetl.extractors.sources.accounting import ReadStats
from newsetl.extractors.sources.decoding import DecodeError, decode_bytes
from newsetl.extractors.sources.discovery import SourceFile
from newsetl.extractors.sources.limits import (
    DEFAULT_MAX_UNIT_BYTES, KEPT_PREFIX_BYTES, BoundedBuffer, check_max_unit_bytes, kept_prefix_bytes,
    too_large_message,
)
from newsetl.extractors.sources.names import safe_text
from newsetl.extractors.sources.streams import BrokenStream, LineSplitter, read_chunks
from newsetl.extractors.sources.warc import warc_units
from newsetl.schemas.records import RawUnit


def read_units(files: Iterable[SourceFile], max_unit_bytes: int = DEFAULT_MAX_UNIT_BYTES,
               stats: ReadStats | None = None) -> Iterator[RawUnit]:
    """Stream the raw units of the given files; ``stats`` (when given) counts what was read."""
    limit = check_max_unit_bytes(max_unit_bytes)
    stats = stats if stats is not None else ReadStats()
    for source in files:
        stats.files += 1
        for unit in _file_units(source, limit, stats):
            stats.units += 1
            yield unit


def _file_units(source: SourceFile, limit: int, stats: ReadStats) -> Iterator[RawUnit]:
    """The units of one file, by its format."""
    uri = safe_text(os.path.abspath(source.path))
    if source.fmt == "jsonl":
        yield from _jsonl_units(source, uri, limit)
    elif source.fmt == "warc":
        yield from _warc_file_units(source, uri, limit, stats)
    else:
        yield _whole_file_unit(source, uri, limit)


def _whole_file_unit(source: SourceFile, uri: str, limit: int) -> RawUnit:
    """The whole (decompressed) file as one unit; an unreadable, too large or bomb file gives a unit with an error."""
    kept = BoundedBuffer(limit)
    error = None
    try:
        for chunk in read_chunks(source.path, source.gz):
            kept.add(chunk)
            if kept.overflowed:
                error = _over_limit(source, uri, limit)
                break
    except BrokenStream as exc:
        error = (exc.reason_code, f"{uri}: {exc}")
        if not kept.size:
            kept.add(_stored_prefix(source.path))
    except OSError as exc:
        error = _unreadable(uri, exc)
    raw = kept.value()
    if error is not None and error[0] == "decompression_bomb":
        raw = raw[:kept_prefix_bytes(limit)]
    return _file_unit(source, uri, raw, error)


def _over_limit(source: SourceFile, uri: str, limit: int) -> tuple[str, str]:
    """The error of a whole file over the limit: ``decompression_bomb`` when gzipped, else ``too_large``."""
    if source.gz:
        return ("decompression_bomb", f"{uri}: the gzip stream expands beyond the limit of {limit} bytes; "
                                      f"only its first {kept_prefix_bytes(limit)} bytes are kept")
    return "too_large", f"{uri}: {too_large_message('the file', limit + 1, limit, exact=False)}"


def _stored_prefix(path: str) -> bytes:
    """The first bytes of the file as stored (kept when nothing could be decompressed from a broken .gz)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(KEPT_PREFIX_BYTES)
    except OSError:
        return b""


def _file_unit(source: SourceFile, uri: str, raw: bytes, error: tuple[str, str] | None) -> RawUnit:
    """A unit standing for the whole file."""
    return RawUnit(source_uri=uri, source_id=source.source_id, fmt=source.fmt, raw=raw, error=error)


def _unreadable(uri: str, exc: OSError) -> tuple[str, str]:
    """The error of a file that cannot be read."""
    return "unreadable", f"{uri}: cannot read the file ({exc.strerror or exc})"


def _jsonl_units(source: SourceFile, uri: str, limit: int) -> Iterator[RawUnit]:
    """One unit per non-blank line; a line over ``limit`` is ``too_large``; a broken .gz ends with one
    error unit holding the partial line; a file without a non-blank line gives one ``empty`` unit."""
    splitter = LineSplitter(limit)
    line_no = 0
    yielded = False
    try:
        for chunk in read_chunks(source.path, source.gz):
            for line, size in splitter.feed(chunk):
                line_no += 1
                if line.strip():
                    yielded = True
                    yield _jsonl_unit(source, uri, line, size, line_no, limit)
    except BrokenStream as exc:
        line, _ = splitter.take()
        if exc.reason_code == "decompression_bomb":
            line = line[:kept_prefix_bytes(limit)]
        message = f"{uri}: {exc}; the lines before line {line_no + 1} were read"
        yield _line_unit(source, uri, line, line_no + 1, (exc.reason_code, message))
        return
    except OSError as exc:
        yield _file_unit(source, uri, b"", _unreadable(uri, exc))
        return
    line, size = splitter.take()
    if line.strip():
        yield _jsonl_unit(source, uri, line, size, line_no + 1, limit)
    elif not yielded:
        yield _file_unit(source, uri, b"", ("empty", f"{uri}: the JSONL file has no non-blank line"))


def _jsonl_unit(source: SourceFile, uri: str, line: bytes, size: int, line_no: int, limit: int) -> RawUnit:
    """The unit of one JSONL line, identified by the record's ``id`` when it has one."""
    if size > limit:
        message = f"{uri}: {too_large_message(f'line {line_no}', size, limit)}"
        return _line_unit(source, uri, line, line_no, ("too_large", message))
    line = line.rstrip(b"\r")
    return RawUnit(source_uri=f"{uri}#L{line_no}", source_id=_record_id(line) or f"{source.source_id}#L{line_no}",
                   fmt="jsonl", raw=line, line_no=line_no)


def _line_unit(source: SourceFile, uri: str, raw: bytes, line_no: int, error: tuple[str, str]) -> RawUnit:
    """An error unit for one JSONL line, identified by its line number."""
    return RawUnit(source_uri=f"{uri}#L{line_no}", source_id=f"{source.source_id}#L{line_no}", fmt="jsonl",
                   raw=raw, line_no=line_no, error=error)


def _record_id(line: bytes) -> str | None:
    """The ``id`` of a JSON object line, as valid text; None if the line is not such an object.

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
    return safe_text(str(record_id))


def _loads_decoded(line: bytes):
    """The JSON value of a line that is not valid UTF-8, read after ``decode_bytes``; None if it is not JSON."""
    try:
        return json.loads(decode_bytes(line).text)
    except (DecodeError, ValueError):
        return None


def _warc_file_units(source: SourceFile, uri: str, limit: int, stats: ReadStats) -> Iterator[RawUnit]:
    """The units of a WARC file; one ``empty`` unit when it holds no record at all."""
    records_before = stats.warc_records
    try:
        yield from warc_units(source.source_id, uri, read_chunks(source.path, source.gz), limit, stats)
    except OSError as exc:
        stats.warc_unit()
        yield _file_unit(source, uri, b"", _unreadable(uri, exc))
        return
    if stats.warc_records == records_before:
        stats.warc_unit()
        yield _file_unit(source, uri, b"", ("empty", f"{uri}: the WARC file holds no record"))
