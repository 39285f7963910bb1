"""Record models: the contract between the pipeline's stages.

Extractors produce these records from raw input; ``warehouse`` loads them in bulk.
They are plain dataclasses so that millions of them stay cheap; validation of the
loaded rows happens in the Great Expectations suites (``schemas.suites``).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

# Where a document's publication date came from.
# ``warc_date``: the WARC-Date of the record (when the crawler fetched the page), used only when the
# page itself declares no date.
DATE_EVIDENCE = ("header", "timestamp_line", "html_meta", "jsonl_field", "warc_date", "none")
INPUT_FORMATS = ("txt", "html", "jsonl", "warc")
ENTITY_TYPES = ("PER", "ORG", "LOC")


@dataclass(slots=True)
class RawUnit:
    """One unit of raw input: a whole file, one line of a JSONL file, or one WARC record.

    ``raw`` holds the exact bytes (already gunzipped; for WARC the whole record) so the unit
    can be reprocessed without the original file; ``source_id`` is the JSONL ``id`` or the
    WARC-Record-ID when there is one, else the path relative to the ingested root (plus
    ``#L<n>`` for a JSONL line, ``#R<n>`` for a WARC record). A unit with an ``error`` over the
    size limit holds only its first bytes.
    """

    source_uri: str
    source_id: str
    fmt: str
    raw: bytes
    line_no: int | None = None
    # Set when the unit is already known to be unreadable (e.g. a truncated .gz).
    error: tuple[str, str] | None = None


@dataclass(slots=True, kw_only=True)
class DocumentMetadata:
    """What a document says about itself: the fields an extractor reads from the page or file."""

    published_at: datetime | None = None
    published_at_evidence: str = "none"
    title: str | None = None
    url: str | None = None
    source_name: str | None = None
    author: str | None = None
    site_name: str | None = None
    description: str | None = None


METADATA_FIELDS = tuple(f.name for f in fields(DocumentMetadata))


def metadata_of(found: Any) -> dict[str, Any]:
    """The :class:`DocumentMetadata` fields that ``found`` (a parsed page, file or record) has."""
    return {name: getattr(found, name) for name in METADATA_FIELDS if hasattr(found, name)}


@dataclass(slots=True, kw_only=True)
class Document(DocumentMetadata):
    """A cleaned news document, ready to load into ``documents`` (keyword arguments only)."""

    doc_id: str
    source_id: str
    source_uri: str
    format: str
    encoding: str | None
    raw_hash: str
    content_hash: str
    text: str
    source_domain: str | None = None
    language: str | None = None
    n_chars: int = 0
    n_words: int = 0
    extractor_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    raw: bytes = b""

    def row(self) -> dict[str, Any]:
        """The document as a flat dict, without the raw bytes."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "raw"}
        return data


@dataclass(slots=True)
class Reject:
    """An input unit that could not become a document, with the reason why."""

    source_uri: str
    source_id: str
    reason_code: str
    message: str
    raw: bytes
    raw_hash: str

    def row(self) -> dict[str, Any]:
        """The reject as a flat dict (raw bytes included)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed entity mention: ``text[start:stop] == surface``.

    ``normal`` is the nominative normal form; ``key`` is the resolution key
    (type plus a case-folded canonical form) that groups mentions into entities.
    """

    start: int
    stop: int
    type: str
    surface: str
    normal: str
    sentence_no: int
    key: str


@dataclass(frozen=True, slots=True)
class Acronym:
    """An acronym defined in the text, e.g. «Совета коллективной безопасности (СКБ)»."""

    short_form: str
    long_form: str
    long_normal: str
    short_start: int
    short_stop: int
    long_start: int
    long_stop: int
