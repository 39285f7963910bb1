"""Raw units → cleaned documents (or rejects, with the reason why).

Every unit becomes exactly one :class:`Document` or one :class:`Reject`; bad
input never raises. Reason codes of rejects:

- from reading (set by ``sources.read_units``): ``truncated_gzip``, ``corrupt_gzip``, ``unreadable``,
  ``too_large``, ``decompression_bomb``, ``empty``, ``truncated_warc``, ``malformed_warc``;
- ``unsupported_format``: a file named explicitly whose kind is not news input;
- from decoding: ``empty``, ``binary``, ``undecodable``;
- ``malformed_jsonl``: a JSONL line that is not a JSON object;
- ``missing_text``: a JSONL record with neither a non-empty ``text`` nor ``html``;
- ``no_main_text``: an HTML page (or JSONL ``html``) with no extractable main text;
- ``empty_text``: nothing left after cleaning;
- ``extraction_failed``: an unexpected error in an extractor (a bug, reported, not raised).

A document keeps only an http(s) URL; any other (``javascript:``, ``file:``, no host) becomes NULL
and is named in ``extra["warnings"]``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from newsetl.extractors.sources.decoding import Decoded, DecodeError, decode_bytes
from newsetl.extractors.sources.limits import DEFAULT_MAX_UNIT_BYTES
from newsetl.extractors.sources.names import http_url
from newsetl.extractors.sources.warc import WarcDamage, parse_record, parse_warc_date
from newsetl.extractors.documents.html import clean_html, parse_iso_datetime, plausible_naive_utc
from newsetl.extractors.documents.language import detect_language
from newsetl.extractors.documents.plaintext import parse_plaintext
from newsetl.schemas.keys import sha256_hex
from newsetl.schemas.records import Document, DocumentMetadata, RawUnit, Reject, metadata_of

EXTRACTOR_VERSION = "documents/4"
# Fields of a JSONL record that map to Document columns; all others go to Document.extra.
JSONL_FIELDS = frozenset({"id", "url", "title", "published_at", "source", "text", "html"})
# Keys of a JSON object that name it ({"name": "ТАСС"}), tried in this order.
NAME_KEYS = ("name", "title")
# An epoch number at or above this is in milliseconds (as seconds it would be after the year 5000).
EPOCH_MILLISECONDS_FROM = 10**11
_WORD = re.compile(r"\w+")
# C0 control characters other than tab, LF and CR, and lone UTF-16 surrogates (from JSON "\ud800"
# escapes): neither belongs in published text, and a surrogate cannot even be stored as UTF-8.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# "01.03.2026", "1.3.2026 10:00", "01.03.2026, 10:00:15"
_DOTTED_DATE = re.compile(
    r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"
    r"(?:,?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)
# "1 марта 2026", "1 Март 2026 г.", "01 мар. 2026 года, 10:00"
_RUSSIAN_DATE = re.compile(
    r"^(?P<day>\d{1,2})\s+(?P<month>[а-яё]+)\.?\s+(?P<year>\d{4})(?:\s*(?:г\.|года?))?"
    r"(?:,?\s+(?:в\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$",
    re.IGNORECASE,
)
# Russian month names in every grammatical case, and their usual abbreviations.
_SOFT_ENDINGS = "(?:ь|я|е|ю|ём|ем)"
_HARD_ENDINGS = "(?:|а|е|у|ом)"
RUSSIAN_MONTH_NAMES = {
    number: re.compile(pattern)
    for number, pattern in (
        (1, f"январ{_SOFT_ENDINGS}|янв"), (2, f"феврал{_SOFT_ENDINGS}|февр?"), (3, f"март{_HARD_ENDINGS}|мар"),
        (4, f"апрел{_SOFT_ENDINGS}|апр"), (5, "ма(?:й|я|е|ю|ем)"), (6, f"июн{_SOFT_ENDINGS}|июн"),
        (7, f"июл{_SOFT_ENDINGS}|июл"), (8, f"август{_HARD_ENDINGS}|авг"), (9, f"сентябр{_SOFT_ENDINGS}|сент?"),
        (10, f"октябр{_SOFT_ENDINGS}|окт"), (11, f"ноябр{_SOFT_ENDINGS}|нояб?"), (12, f"декабр{_SOFT_ENDINGS}|дек"),
    )
}
_YEAR_MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")


@dataclass(slots=True, kw_only=True)
class Extracted(DocumentMetadata):
    """What one extractor (txt, html or jsonl) found in a unit: the text and its metadata."""

    text: str
    extra: dict[str, Any] = field(default_factory=dict)


class Rejected(Exception):
    """Raised inside the extractors to turn the current unit into a Reject."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message


def build_document(unit: RawUnit) -> Document | Reject:
    """Turn one raw unit into a cleaned Document, or a Reject saying why it cannot be one."""
    try:
        if unit.error is not None:
            raise Rejected(*unit.error)
        if unit.fmt == "warc":
            decoded, extracted = extract_warc(unit)
        elif unit.fmt in EXTRACTORS:
            decoded = _decode(unit, unit.raw)
            text = decoded.text if unit.fmt == "jsonl" else blank_control_characters(decoded.text)
            extracted = EXTRACTORS[unit.fmt](unit, text)
        else:
            raise Rejected(
                "unsupported_format",
                "unsupported file type (expected .txt, .html, .htm, .jsonl or .warc, optionally .gz)",
            )
        if not extracted.text.strip():
            raise Rejected("empty_text", "no text is left after cleaning")
        return _document(unit, decoded.encoding, extracted)
    except Rejected as rejected:
        return make_reject(unit, rejected.reason_code, rejected.message)
    except Exception as exc:  # noqa: BLE001 - bad input must never stop a run
        return make_reject(unit, "extraction_failed", f"{type(exc).__name__}: {exc}")


def _decode(unit: RawUnit, raw: bytes) -> Decoded:
    """The unit's bytes as text; Rejected (empty, binary, undecodable) when they are not text."""
    try:
        return decode_bytes(raw)
    except DecodeError as exc:
        raise Rejected(exc.reason_code, f"{exc.message}") from exc


def make_reject(unit: RawUnit, reason_code: str, message: str) -> Reject:
    """A Reject of ``unit`` with its raw bytes and their hash."""
    return Reject(
        source_uri=unit.source_uri,
        source_id=unit.source_id,
        reason_code=reason_code,
        message=message,
        raw=unit.raw,
        raw_hash=sha256_hex(unit.raw),
    )


def extract_txt(unit: RawUnit, text: str) -> Extracted:
    """A plain-text file: header/timestamp/footer metadata and the normalised body."""
    parsed = parse_plaintext(text)
    extra = {"date_candidates": parsed.date_candidates} if parsed.date_candidates else {}
    return Extracted(text=parsed.body, extra=extra, **metadata_of(parsed))


def extract_html(unit: RawUnit, html: str, url: str | None = None) -> Extracted:
    """An HTML page: its main text and declared metadata; rejects a page without main text."""
    page = clean_html(html, url=url)
    if page is None:
        raise Rejected("no_main_text", "the HTML page has no extractable main text")
    evidence = "html_meta" if page.published_at is not None else "none"
    return Extracted(text=page.body, published_at_evidence=evidence, **metadata_of(page))


def extract_warc(unit: RawUnit) -> tuple[Decoded, Extracted]:
    """A WARC response record (``unit.raw`` alone): its HTML page, the URL it was fetched from, and
    the page's date or, failing that, the record's WARC-Date (evidence ``warc_date``)."""
    try:
        record = parse_record(unit.raw, DEFAULT_MAX_UNIT_BYTES)
    except WarcDamage as exc:
        raise Rejected(exc.reason_code, f"{exc}") from exc
    decoded = _decode(unit, record.payload)
    extracted = extract_html(unit, blank_control_characters(decoded.text), url=record.target_uri)
    warc_date = parse_warc_date(record.warc_date)
    if extracted.published_at is None and warc_date is not None:
        extracted.published_at, extracted.published_at_evidence = warc_date, "warc_date"
    extracted.extra = {"warc_record_id": record.record_id, "warc_target_uri": record.target_uri,
                       "warc_date": record.warc_date, "http_status": record.http_status}
    return decoded, extracted


def extract_jsonl(unit: RawUnit, line: str) -> Extracted:
    """One JSONL record: ``text`` verbatim (or ``html`` cleaned), with the record's own fields winning.

    ``text`` is kept as given, because gold annotation offsets refer to it; only
    control characters are blanked, which keeps every offset. When a record has
    both, ``text`` is used and ``html`` is ignored. A ``title`` or ``source``
    that is not a string gives the string it holds (first of a list, ``name`` of
    an object) and is kept as is in ``extra`` under "<field>_original".
    """
    record = _parse_record(unit, line)
    url = _string_field(record, "url")
    text = record.get("text")
    html = record.get("html")
    if isinstance(text, str) and text.strip():
        extracted = Extracted(text=blank_control_characters(text))
    elif isinstance(html, str) and html.strip():
        extracted = extract_html(unit, blank_control_characters(html), url=url)
    else:
        raise Rejected(
            "missing_text",
            f"line {unit.line_no}: the record has neither a non-empty 'text' nor 'html' field",
        )

    extracted.url = url or extracted.url
    extracted.title = derive_string(record.get("title")) or extracted.title
    extracted.source_name = derive_string(record.get("source")) or extracted.source_name
    extracted.extra = {key: value for key, value in record.items() if key not in JSONL_FIELDS}
    for key in ("title", "source"):
        if record.get(key) is not None and not isinstance(record[key], str):
            extracted.extra[f"{key}_original"] = record[key]
    _apply_record_date(record, extracted)
    return extracted


EXTRACTORS = {"txt": extract_txt, "html": extract_html, "jsonl": extract_jsonl}


def _parse_record(unit: RawUnit, line: str) -> dict[str, Any]:
    """The JSON object on a JSONL line; rejects malformed JSON and non-objects."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise Rejected(
            "malformed_jsonl",
            f"line {unit.line_no}, column {exc.colno}: invalid JSON ({exc.msg.removesuffix(' starting at')})",
        ) from exc
    if not isinstance(record, dict):
        raise Rejected(
            "malformed_jsonl",
            f"line {unit.line_no}: expected a JSON object, got {type(record).__name__}",
        )
    return record


def _string_field(record: dict[str, Any], key: str) -> str | None:
    """A non-empty string field of the record, stripped; None otherwise."""
    value = record.get(key)
    return (value.strip() or None) if isinstance(value, str) else None


def derive_string(value: Any) -> str | None:
    """The string a JSON value stands for: itself, its first derivable item, or its ``name``; None if none.

    The string is stripped, with control characters blanked.
    """
    if isinstance(value, str):
        return blank_control_characters(value).strip() or None
    if isinstance(value, list):
        return next((derived for item in value if (derived := derive_string(item))), None)
    if isinstance(value, dict):
        return next((derived for key in NAME_KEYS if (derived := derive_string(value.get(key)))), None)
    return None


def blank_control_characters(text: str) -> str:
    """``text`` with each C0 control character but tab/LF/CR blanked to a space, each lone surrogate to U+FFFD.

    One character replaces one, so character offsets into the text stay valid.
    """
    text = _CONTROL_CHARACTER.sub(" ", text)
    return _LONE_SURROGATE.sub("\ufffd", text)


def parse_published_at(value: Any) -> datetime | None:
    """A publication date as a naive datetime (UTC when the value has a zone); None if unparseable.

    Accepts ISO 8601, "01.03.2026[ 10:00]", "1 марта 2026[ 10:00]" (any case
    of the month name), RFC 2822 ("Sun, 01 Mar 2026 10:00:00 +0300"), "2026-03"
    and "2026" (the period's start), and Unix time in seconds or milliseconds
    (number or digit string of 9+ digits). Dates before 1800 are refused.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _parse_number_date(value)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if value.isdigit() and len(value) != 8:  # 8 digits: ISO "20260301"
        return _parse_number_date(int(value))
    for parse in (parse_iso_datetime, _parse_dotted_date, _parse_russian_date, _parse_rfc2822_date,
                  _parse_year_month):
        parsed = parse(value)
        if parsed is not None:
            return parsed
    return None


def _parse_number_date(number: int | float) -> datetime | None:
    """A year (4 digits) or Unix time in seconds (9+ digits) or milliseconds; None otherwise."""
    if number != number or number < 0:  # NaN or before 1970
        return None
    if isinstance(number, int) and 1000 <= number <= 9999:
        return _checked_datetime(number, 1, 1)
    if number < 10**8:
        return None
    seconds = number / 1000 if number >= EPOCH_MILLISECONDS_FROM else number
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _parse_dotted_date(value: str) -> datetime | None:
    """ "01.03.2026" or "01.03.2026 10:00[:00]" (day first, as in Russian)."""
    match = _DOTTED_DATE.match(value)
    return _datetime_of_match(match, int(match.group("month"))) if match else None


def _parse_russian_date(value: str) -> datetime | None:
    """ "1 марта 2026", "1 Марта 2026 г.", "01 мар. 2026, 10:00"."""
    match = _RUSSIAN_DATE.match(value)
    if match is None:
        return None
    month = russian_month_number(match.group("month"))
    return _datetime_of_match(match, month) if month else None


def russian_month_number(name: str) -> int | None:
    """The month number (1-12) of a Russian month name in any case or abbreviation; None if it is not one."""
    name = name.lower()
    return next((number for number, pattern in RUSSIAN_MONTH_NAMES.items() if pattern.fullmatch(name)), None)


def _datetime_of_match(match: re.Match[str], month: int) -> datetime | None:
    """The datetime of a day/year/[hour/minute/second] match and a month number; None if impossible."""
    time_parts = [int(match.group(part) or 0) for part in ("hour", "minute", "second")]
    return _checked_datetime(int(match.group("year")), month, int(match.group("day")), *time_parts)


def _parse_rfc2822_date(value: str) -> datetime | None:
    """An RFC 2822 date ("Sun, 01 Mar 2026 10:00:00 +0300"), as in RSS feeds and e-mail."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return plausible_naive_utc(parsed) if parsed is not None else None


def _parse_year_month(value: str) -> datetime | None:
    """ "2026-03": the first day of the month."""
    match = _YEAR_MONTH.match(value)
    return _checked_datetime(int(match.group("year")), int(match.group("month")), 1) if match else None


def _checked_datetime(*parts: int) -> datetime | None:
    """``datetime(*parts)`` when it exists and is not before the year 1800; None otherwise."""
    try:
        return plausible_naive_utc(datetime(*parts))
    except ValueError:
        return None


def _apply_record_date(record: dict[str, Any], extracted: Extracted) -> None:
    """Use the record's ``published_at`` when it parses; keep an unparseable one in ``extra``."""
    value = record.get("published_at")
    if value is None or value == "":
        return
    parsed = parse_published_at(value)
    if parsed is None:
        extracted.extra["published_at_unparsed"] = value
        return
    extracted.published_at = parsed
    extracted.published_at_evidence = "jsonl_field"


def _document(unit: RawUnit, encoding: str, extracted: Extracted) -> Document:
    """The Document of a unit from what its extractor found."""
    text = extracted.text
    url, warning = http_url(extracted.url)
    if warning is not None:
        extracted.extra = {**extracted.extra, "warnings": [*extracted.extra.get("warnings", []), warning]}
    metadata = {**metadata_of(extracted), "url": url,
                "published_at_evidence": extracted.published_at_evidence if extracted.published_at else "none"}
    return Document(
        **metadata,
        doc_id=doc_id_for(unit.source_id),
        source_id=unit.source_id,
        source_uri=unit.source_uri,
        format=unit.fmt,
        encoding=encoding,
        raw_hash=sha256_hex(unit.raw),
        content_hash=sha256_hex(text.encode("utf-8")),
        text=text,
        source_domain=domain_of(url),
        language=detect_language(text),
        n_chars=len(text),
        n_words=len(_WORD.findall(text)),
        extractor_version=EXTRACTOR_VERSION,
        extra=extracted.extra,
        raw=unit.raw,
    )


def doc_id_for(source_id: str) -> str:
    """The stable document id of a source: the first 16 hex digits of sha256("doc:" + source_id)."""
    return sha256_hex(f"doc:{source_id}".encode("utf-8"))[:16]


def domain_of(url: str | None) -> str | None:
    """Host of ``url`` in lower case without a leading "www."; None without a URL or host."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[len("www."):] if host.startswith("www.") else host
