"""WARC files → raw units: one per HTML response record; other records are skipped and counted.

Records are framed here by their ``Content-Length`` over the (gunzipped) stream, so that a unit's
``raw`` is the record's exact bytes (header, block and trailing CRLFs), memory stays bounded by
``max_unit_bytes``, and reading resumes after a damaged record at the next ``WARC/`` line. warcio
parses the headers (here) and the record itself (:func:`parse_record`, for the document builder).

Units: ``source_id`` is the WARC-Record-ID (without its angle brackets), ``source_uri`` is
``<file>#R<n>`` (n counts every record of the file from 1). Damage gives a unit with an error:
``truncated_warc`` (the file ends inside a record, or its gzip stream is cut), ``malformed_warc``
(a header block that is not WARC, a bad Content-Length, a block longer than declared, corrupt
gzip data), ``too_large`` (an HTML response over the limit) or ``decompression_bomb``.
"""
from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser, StatusAndHeadersParserException

from newsetl.extractors.sources.accounting import ReadStats
from newsetl.extractors.sources.limits import KEPT_PREFIX_BYTES, BoundedBuffer, kept_prefix_bytes, too_large_message
from newsetl.extractors.sources.names import safe_text
from newsetl.extractors.sources.streams import READ_CHUNK_BYTES, BrokenStream, ChunkReader
from newsetl.schemas.records import RawUnit

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
WARC_VERSIONS = ["WARC/1.0", "WARC/1.1", "WARC/0.18", "WARC/0.17"]
MAX_HEADER_LINE_BYTES = 64 * 1024
MAX_HEADER_BYTES = 256 * 1024
RECORD_TRAILER = b"\r\n\r\n"
# What a broken gzip stream means for the record it cuts.
RECORD_REASON_OF_STREAM = {"truncated_gzip": "truncated_warc", "corrupt_gzip": "malformed_warc"}


class WarcDamage(Exception):
    """A record that cannot be read; ``reason_code`` is "malformed_warc" or "truncated_warc"."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(message)
        self.reason_code = reason_code


@dataclass(slots=True)
class WarcRecord:
    """What the document builder needs from an HTML response record."""

    record_id: str | None
    target_uri: str | None
    warc_date: str | None
    http_status: int | None
    content_type: str | None
    payload: bytes


def warc_units(source_id: str, uri: str, chunks: Iterable[bytes], limit: int, stats: ReadStats) -> Iterator[RawUnit]:
    """The units of one WARC stream (already gunzipped); see the module docstring."""
    yield from _Framer(source_id, uri, ChunkReader(chunks), limit, stats).units()


class _Framer:
    """Reads records one after the other, turning each into a unit, a skip or a damage unit."""

    def __init__(self, source_id: str, uri: str, reader: ChunkReader, limit: int, stats: ReadStats):
        self.source_id, self.uri, self.reader, self.limit, self.stats = source_id, uri, reader, limit, stats
        self.record_no = 0
        self.current = BoundedBuffer(limit)
        self.headers: StatusAndHeaders | None = None

    def units(self) -> Iterator[RawUnit]:
        """Every unit of the stream; a broken gzip stream ends it with one damage unit."""
        try:
            while self._start_record():
                unit = self._record_unit()
                if unit is not None:
                    yield unit
        except BrokenStream as exc:
            between_records = not self.current.size
            self.current.add(self.reader.buffered())
            if between_records:
                self.record_no += 1
            reason = exc.reason_code
            if self.current.size and reason in RECORD_REASON_OF_STREAM:
                reason = RECORD_REASON_OF_STREAM[reason]
            unit = self._damage_unit(reason, f"{exc}; the records before record {self.record_no} were read")
            if reason == "decompression_bomb":
                unit.raw = unit.raw[:kept_prefix_bytes(self.limit)]
            yield unit

    def _start_record(self) -> bool:
        """Skip blank lines up to the next record; False at the end of the stream."""
        self.current, self.headers = BoundedBuffer(self.limit), None
        while line := self.reader.readline(MAX_HEADER_LINE_BYTES):
            if line.strip():
                self.reader.unread(line)
                self.record_no += 1
                return True
        return False

    def _record_unit(self) -> RawUnit | None:
        """The current record as a unit (None when it is skipped), or its damage unit."""
        try:
            self.headers = self._read_headers()
            length = _content_length(self.headers)
            self._read_block(length)
            self._check_trailer()
        except WarcDamage as exc:
            unit = self._damage_unit(exc.reason_code, str(exc))
            if exc.reason_code == "malformed_warc":
                self._resync()
                unit.raw = self.current.value()
            return unit
        return self._classified_unit()

    def _read_headers(self) -> StatusAndHeaders:
        """The record's WARC header block, parsed; WarcDamage when it is not one."""
        block = bytearray()
        first = self.reader.readline(MAX_HEADER_LINE_BYTES)
        self.current.add(first)
        if not first.startswith(b"WARC/"):
            raise WarcDamage("malformed_warc", f"not a WARC record (it starts with {safe_text(repr(first[:20]))})")
        block += first
        while (line := self.reader.readline(MAX_HEADER_LINE_BYTES)) and line.strip():
            block += line
            self.current.add(line)
            if len(block) > MAX_HEADER_BYTES:
                raise WarcDamage("malformed_warc", f"the header block is longer than {MAX_HEADER_BYTES} bytes")
        self.current.add(line)
        if not line:
            raise WarcDamage("truncated_warc", "the file ends inside the record's header block")
        try:
            return StatusAndHeadersParser(WARC_VERSIONS).parse(io.BytesIO(bytes(block) + b"\r\n"))
        except (StatusAndHeadersParserException, ValueError, UnicodeDecodeError) as exc:
            raise WarcDamage("malformed_warc", f"not a WARC record header ({safe_text(str(exc))[:200]})") from exc

    def _read_block(self, length: int) -> None:
        """Read the record's block (``length`` bytes) into the current record; WarcDamage when cut."""
        remaining = length
        while remaining:
            piece = self.reader.read(min(remaining, READ_CHUNK_BYTES))
            self.current.add(piece)
            remaining -= len(piece)
            if not piece:
                raise WarcDamage("truncated_warc",
                                 f"the file ends inside the record ({length - remaining} of {length} bytes)")

    def _check_trailer(self) -> None:
        """Consume the CRLF CRLF after the block; WarcDamage when other bytes follow (a wrong length)."""
        trailer = self.reader.read(len(RECORD_TRAILER))
        if trailer == RECORD_TRAILER or not trailer.strip():
            self.current.add(trailer)
            return
        self.reader.unread(trailer)
        raise WarcDamage("malformed_warc", "the record's block is longer than its Content-Length")

    def _resync(self) -> None:
        """Skip to the next line that starts a WARC record, keeping the skipped bytes in the current unit."""
        while line := self.reader.readline(MAX_HEADER_LINE_BYTES):
            if line.startswith(b"WARC/") and self.current.size:
                self.reader.unread(line)
                return
            self.current.add(line)

    def _classified_unit(self) -> RawUnit | None:
        """A complete record: a unit when it is an HTML response, else counted as skipped (None)."""
        raw = self.current.value()
        skip = skip_kind(self.headers, raw)
        if skip is not None:
            self.stats.skip_warc_record(skip)
            return None
        if self.current.overflowed:
            return self._damage_unit("too_large", too_large_message("the WARC record", self.current.size, self.limit))
        self.stats.warc_unit()
        return RawUnit(source_uri=self._uri(), source_id=self._source_id(), fmt="warc", raw=raw)

    def _damage_unit(self, reason_code: str, message: str) -> RawUnit:
        """A unit with an error for the current record, holding what was read of it."""
        self.stats.warc_unit()
        return RawUnit(source_uri=self._uri(), source_id=self._source_id(), fmt="warc",
                       raw=self.current.value(), error=(reason_code, f"{self._uri()}: {message}"))

    def _uri(self) -> str:
        """The current record's URI: ``<file>#R<n>``."""
        return f"{self.uri}#R{self.record_no}"

    def _source_id(self) -> str:
        """The record's WARC-Record-ID when it has one, else ``<file id>#R<n>``."""
        record_id = self.headers.get_header("WARC-Record-ID") if self.headers is not None else None
        record_id = (record_id or "").strip().strip("<>").strip()
        return safe_text(record_id) if record_id else f"{self.source_id}#R{self.record_no}"


def _content_length(headers: StatusAndHeaders) -> int:
    """The record's Content-Length; WarcDamage when it is missing or not a number."""
    value = (headers.get_header("Content-Length") or "").strip()
    if not value.isdigit():
        raise WarcDamage("malformed_warc", f"the record has no valid Content-Length ({safe_text(value[:40])!r})")
    return int(value)


def skip_kind(headers: StatusAndHeaders, raw: bytes) -> str | None:
    """Why a complete record is not news input (the ReadStats key), or None for an HTML response."""
    record_type = (headers.get_header("WARC-Type") or "unknown").strip().lower()
    if record_type != "response":
        return safe_text(record_type[:40])
    http = http_headers(raw[:KEPT_PREFIX_BYTES])
    if http is None or _media_type(http) not in HTML_CONTENT_TYPES:
        return "response_not_html"
    status = _status_code(http)
    if status is not None and not 200 <= status < 300:
        return "response_not_ok"
    return None


def http_headers(record_prefix: bytes) -> StatusAndHeaders | None:
    """The HTTP response headers in a record's first bytes (after its WARC header block); None if none."""
    _, separator, block = record_prefix.partition(b"\r\n\r\n")
    if not separator or not block.startswith(b"HTTP/"):
        return None
    try:
        return StatusAndHeadersParser([], verify=False).parse(io.BytesIO(block))
    except (StatusAndHeadersParserException, ValueError, UnicodeDecodeError):
        return None


def _media_type(http: StatusAndHeaders) -> str:
    """The HTTP Content-Type without its parameters, lower case."""
    return (http.get_header("Content-Type") or "").split(";")[0].strip().lower()


def _status_code(http: StatusAndHeaders) -> int | None:
    """The HTTP status code, None when it is not a number."""
    code = (http.get_statuscode() or "").strip()
    return int(code) if code.isdigit() else None


def parse_record(raw: bytes, max_payload_bytes: int) -> WarcRecord:
    """An HTML response record's metadata and payload (HTTP chunking and Content-Encoding undone).

    Raises WarcDamage("malformed_warc") when ``raw`` is not such a record, or its payload expands
    beyond ``max_payload_bytes`` ("too_large").
    """
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(raw))), None)
        if record is None or record.rec_type != "response" or record.http_headers is None:
            raise WarcDamage("malformed_warc", "the raw bytes do not hold a WARC response record")
        payload = record.content_stream().read(max_payload_bytes + 1)
    except (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, OSError, EOFError) as exc:
        raise WarcDamage("malformed_warc", f"the WARC record cannot be parsed ({safe_text(str(exc))[:200]})") from exc
    if len(payload) > max_payload_bytes:
        raise WarcDamage("too_large", f"the record's decoded payload is larger than {max_payload_bytes} bytes")
    headers, http = record.rec_headers, record.http_headers
    return WarcRecord(
        record_id=(headers.get_header("WARC-Record-ID") or "").strip("<> ") or None,
        target_uri=(headers.get_header("WARC-Target-URI") or "").strip() or None,
        warc_date=(headers.get_header("WARC-Date") or "").strip() or None,
        http_status=_status_code(http),
        content_type=http.get_header("Content-Type"),
        payload=payload,
    )


def parse_warc_date(value: str | None) -> datetime | None:
    """A WARC-Date ("2026-01-29T10:00:00Z", UTC) as a naive UTC datetime; None if unparseable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed
