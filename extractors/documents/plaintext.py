"""Plain-text news: header date and title, timestamp line, permalink footer, credited source.

Conventions of the seed texts (see samples/seeds):

- first line ``date YYYY-MM-DD <title>`` (or ``date DD.MM.YYYY <title>``) → publication
  date (evidence "header") and title;
- a ``HH:MM DD.MM.YYYY`` timestamp opening one of the first lines → a date candidate,
  the publication date only when there is no header date;
- footer ``Постоянный адрес статьи - <url>`` → the document's URL;
- "сообщает X со ссылкой на Y" → the credited source X (the sentence stays in the body).

Recognised header, timestamp and footer lines leave the body; nothing else is guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

# How many non-blank lines from the top may hold the timestamp line.
TIMESTAMP_SEARCH_LINES = 4

_HEADER_LINE = re.compile(
    r"^date\s+(?:(?P<iso>\d{4}-\d{2}-\d{2})|(?P<dotted>\d{1,2}\.\d{1,2}\.\d{4}))(?:\s+(?P<title>.*))?$"
)
_TIMESTAMP = re.compile(
    r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})\s+(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?=\s|$)\s*"
)
_PERMALINK_FOOTER = re.compile(r"^Постоянный адрес статьи\s*[-–—:]\s*(?P<url>\S+)$", re.IGNORECASE)
_CREDITED_SOURCE = re.compile(
    r"\bсообщает\s+(?P<source>[^\s,;:!?()]+(?:\s+[^\s,;:!?()]+){0,3}?)\s*,?\s+со\s+ссылкой\s+на\b"
)
_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\f\v]+")
_SOURCE_QUOTES = " «»\"“”„'"


@dataclass(slots=True)
class PlainText:
    """What a plain-text news file says about itself, and its cleaned body."""

    title: str | None
    published_at: datetime | None
    published_at_evidence: str
    url: str | None
    source_name: str | None
    body: str
    date_candidates: dict[str, str] = field(default_factory=dict)


def parse_plaintext(text: str) -> PlainText:
    """Split a plain-text news file into its metadata (header, timestamp, footer) and body."""
    lines = [normalize_line(line) for line in text.lstrip("\ufeff").splitlines()]
    title, header_date = _take_header(lines)
    timestamp = _take_timestamp(lines)
    url = _take_permalink_footer(lines)
    body = join_paragraphs(lines)

    date_candidates: dict[str, str] = {}
    if header_date is not None:
        date_candidates["header"] = header_date.isoformat()
    if timestamp is not None:
        date_candidates["timestamp_line"] = timestamp.isoformat()
    published_at, evidence = header_date, "header"
    if published_at is None:
        published_at, evidence = timestamp, "timestamp_line"
    if published_at is None:
        evidence = "none"
    return PlainText(
        title=title,
        published_at=published_at,
        published_at_evidence=evidence,
        url=url,
        source_name=find_credited_source(body),
        body=body,
        date_candidates=date_candidates,
    )


def normalize_line(line: str) -> str:
    """One line with runs of spaces, tabs and NBSPs turned into one space, and stripped."""
    return _INLINE_SPACE.sub(" ", line).strip()


def join_paragraphs(lines: list[str]) -> str:
    """Join lines into text where paragraphs (runs of non-blank lines) are separated by one blank line."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return "\n\n".join("\n".join(paragraph) for paragraph in paragraphs)


def find_credited_source(text: str) -> str | None:
    """The outlet X in "сообщает X со ссылкой на Y", without quotes; None when there is none."""
    match = _CREDITED_SOURCE.search(text)
    if match is None:
        return None
    return match.group("source").strip(_SOURCE_QUOTES) or None


def _first_nonblank_index(lines: list[str], start: int = 0) -> int | None:
    """Index of the first non-blank line at or after ``start``."""
    return next((i for i in range(start, len(lines)) if lines[i]), None)


def _take_header(lines: list[str]) -> tuple[str | None, datetime | None]:
    """Remove a leading ``date YYYY-MM-DD <title>`` (or ``date DD.MM.YYYY <title>``) line; return its title and date."""
    index = _first_nonblank_index(lines)
    match = _HEADER_LINE.match(lines[index]) if index is not None else None
    if match is None:
        return None, None
    try:
        if match.group("iso"):
            published = datetime.strptime(match.group("iso"), "%Y-%m-%d")
        else:
            published = datetime.strptime(match.group("dotted"), "%d.%m.%Y")
    except ValueError:
        return None, None
    lines[index] = ""
    return (match.group("title") or "").strip() or None, published


def _take_timestamp(lines: list[str]) -> datetime | None:
    """Remove a ``HH:MM DD.MM.YYYY`` timestamp opening one of the first lines; return it.

    Text following the timestamp on the same line (often the lead sentence) stays in the body.
    """
    seen = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        match = _TIMESTAMP.match(line)
        if match is not None:
            stamp = _timestamp_datetime(match)
            if stamp is not None:
                lines[index] = line[match.end():]
                return stamp
        seen += 1
        if seen >= TIMESTAMP_SEARCH_LINES:
            return None
    return None


def _timestamp_datetime(match: re.Match[str]) -> datetime | None:
    """The datetime of a timestamp match, None if it is not a real date/time (e.g. 25:61 32.13.2026)."""
    try:
        return datetime(*(int(match.group(part)) for part in ("year", "month", "day", "hour", "minute")))
    except ValueError:
        return None


def _take_permalink_footer(lines: list[str]) -> str | None:
    """Remove the last ``Постоянный адрес статьи - <url>`` line; return its URL."""
    for index in range(len(lines) - 1, -1, -1):
        match = _PERMALINK_FOOTER.match(lines[index])
        if match is not None:
            lines[index] = ""
            return match.group("url")
    return None
