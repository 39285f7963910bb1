"""Raw units → cleaned documents (or rejects, with the reason why).

Every unit becomes exactly one :class:`Document` or one :class:`Reject`; bad
input never raises. Reason codes of rejects:

- from reading: ``truncated_gzip``, ``unreadable`` (set by ``sources.read_units``);
- ``unsupported_format``: a file named explicitly whose kind is not news input;
- from decoding: ``empty``, ``binary``, ``undecodable``;
- ``malformed_jsonl``: a JSONL line that is not a JSON object;
- ``missing_text``: a JSONL record with neither a non-empty ``text`` nor ``html``;
- ``no_main_text``: an HTML page (or JSONL ``html``) with no extractable main text;
- ``empty_text``: nothing left after cleaning;
- ``extraction_failed``: an unexpected error in an extractor (a bug, reported, not raised).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import py3langid as langid

from newsetl.extractors.decoding import DecodeError, decode_bytes
from newsetl.extractors.html import clean_html, parse_iso_datetime
from newsetl.extractors.plaintext import parse_plaintext
from newsetl.schemas.records import Document, RawUnit, Reject

EXTRACTOR_VERSION = "documents/1"
# Fields of a JSONL record that map to Document columns; all others go to Document.extra.
JSONL_FIELDS = frozenset({"id", "url", "title", "published_at", "source", "text", "html"})
# Language identification reads at most this many characters.
LANGUAGE_SAMPLE_CHARS = 5000
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Extracted:
    """What one extractor (txt, html or jsonl) found in a unit: the text and its metadata."""

    text: str
    title: str | None = None
    url: str | None = None
    source_name: str | None = None
    author: str | None = None
    site_name: str | None = None
    description: str | None = None
    published_at: datetime | None = None
    published_at_evidence: str = "none"
    extra: dict[str, Any] = field(default_factory=dict)


class Rejected(Exception):
    """Raised inside the extractors to turn the current unit into a Reject."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(message)
        self.reason_code = reason_code
        self.message = message


def build_documents(units: Iterable[RawUnit]) -> tuple[list[Document], list[Reject]]:
    """Build a document or a reject from every unit."""
    documents: list[Document] = []
    rejects: list[Reject] = []
    for unit in units:
        result = build_document(unit)
        (documents if isinstance(result, Document) else rejects).append(result)
    return documents, rejects


def build_document(unit: RawUnit) -> Document | Reject:
    """Turn one raw unit into a cleaned Document, or a Reject saying why it cannot be one."""
    try:
        if unit.error is not None:
            raise Rejected(*unit.error)
        if unit.fmt not in EXTRACTORS:
            raise Rejected(
                "unsupported_format",
                f"{unit.source_uri}: unsupported file type (expected .txt, .html, .htm or .jsonl, optionally .gz)",
            )
        try:
            decoded = decode_bytes(unit.raw)
        except DecodeError as exc:
            raise Rejected(exc.reason_code, f"{unit.source_uri}: {exc.message}") from exc
        extracted = EXTRACTORS[unit.fmt](unit, decoded.text)
        if not extracted.text.strip():
            raise Rejected("empty_text", f"{unit.source_uri}: no text is left after cleaning")
        return _document(unit, decoded.encoding, extracted)
    except Rejected as rejected:
        return make_reject(unit, rejected.reason_code, rejected.message)
    except Exception as exc:  # noqa: BLE001 - bad input must never stop a run
        return make_reject(unit, "extraction_failed", f"{unit.source_uri}: {type(exc).__name__}: {exc}")


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
    return Extracted(
        text=parsed.body,
        title=parsed.title,
        url=parsed.url,
        source_name=parsed.source_name,
        published_at=parsed.published_at,
        published_at_evidence=parsed.published_at_evidence,
        extra=extra,
    )


def extract_html(unit: RawUnit, html: str, url: str | None = None) -> Extracted:
    """An HTML page: its main text and declared metadata; rejects a page without main text."""
    page = clean_html(html, url=url)
    if page is None:
        raise Rejected("no_main_text", f"{unit.source_uri}: the HTML page has no extractable main text")
    return Extracted(
        text=page.body,
        title=page.title,
        url=page.url,
        author=page.author,
        site_name=page.site_name,
        description=page.description,
        published_at=page.published_at,
        published_at_evidence="html_meta" if page.published_at is not None else "none",
    )


def extract_jsonl(unit: RawUnit, line: str) -> Extracted:
    """One JSONL record: ``text`` verbatim (or ``html`` cleaned), with the record's own fields winning.

    ``text`` is kept exactly as given, because gold annotation offsets refer to
    it; when a record has both, ``text`` is used and ``html`` is ignored.
    """
    record = _parse_record(unit, line)
    url = _string_field(record, "url")
    text = record.get("text")
    html = record.get("html")
    if isinstance(text, str) and text.strip():
        extracted = Extracted(text=text)
    elif isinstance(html, str) and html.strip():
        extracted = extract_html(unit, html, url=url)
    else:
        raise Rejected(
            "missing_text",
            f"{unit.source_uri}: line {unit.line_no}: the record has neither a non-empty 'text' nor 'html' field",
        )

    extracted.url = url or extracted.url
    extracted.title = _string_field(record, "title") or extracted.title
    extracted.source_name = _string_field(record, "source") or extracted.source_name
    extracted.extra = {key: value for key, value in record.items() if key not in JSONL_FIELDS}
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
            f"{unit.source_uri}: line {unit.line_no}: invalid JSON ({exc.msg} at column {exc.colno})",
        ) from exc
    if not isinstance(record, dict):
        raise Rejected(
            "malformed_jsonl",
            f"{unit.source_uri}: line {unit.line_no}: expected a JSON object, got {type(record).__name__}",
        )
    return record


def _string_field(record: dict[str, Any], key: str) -> str | None:
    """A non-empty string field of the record, stripped; None otherwise."""
    value = record.get(key)
    return (value.strip() or None) if isinstance(value, str) else None


def _apply_record_date(record: dict[str, Any], extracted: Extracted) -> None:
    """Use the record's ``published_at`` when it parses; keep an unparseable one in ``extra``."""
    value = record.get("published_at")
    if value is None or value == "":
        return
    parsed = parse_iso_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        extracted.extra["published_at_unparsed"] = value
        return
    extracted.published_at = parsed
    extracted.published_at_evidence = "jsonl_field"


def _document(unit: RawUnit, encoding: str, extracted: Extracted) -> Document:
    """The Document of a unit from what its extractor found."""
    text = extracted.text
    return Document(
        doc_id=doc_id_for(unit.source_id),
        source_id=unit.source_id,
        source_uri=unit.source_uri,
        format=unit.fmt,
        encoding=encoding,
        raw_hash=sha256_hex(unit.raw),
        content_hash=sha256_hex(text.encode("utf-8")),
        text=text,
        title=extracted.title,
        url=extracted.url,
        source_domain=domain_of(extracted.url),
        source_name=extracted.source_name,
        author=extracted.author,
        site_name=extracted.site_name,
        description=extracted.description,
        published_at=extracted.published_at,
        published_at_evidence=extracted.published_at_evidence if extracted.published_at else "none",
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


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


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


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language by py3langid (unreliable for a few words)."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    return langid.classify(sample)[0] if sample.strip() else None
