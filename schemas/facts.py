"""Fact records: what a document's text says, beyond its entity mentions.

Every record carries ``char_start``/``char_end`` into the document text, and
``text[char_start:char_end]`` equals the record's surface (``heading``, ``text``,
``name``/``surface`` or ``evidence``).  Records that refer to an entity store the
mention ``key`` (see ``schemas.records.Mention``) so the warehouse can map it to
an entity id.  ``row()`` gives the flat dict the warehouse loads.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

GENRES = ("interview", "news")
EVENT_KINDS = ("exercise", "operation", "forum", "programme", "conference", "summit", "festival")
GRANULARITIES = ("day", "month", "year", "range", "duration")
OCCUPATION_KINDS = ("appointed", "held", "left", "candidate")
ATTRIBUTION_KINDS = ("outlet", "original_source", "quote")


class _Row:
    """Mixin: ``row()`` returns the record as a flat dict."""

    __slots__ = ()

    def row(self) -> dict[str, Any]:
        """The record as a flat dict (dates stay ``datetime.date``)."""
        return asdict(self)


@dataclass(slots=True)
class Section(_Row):
    """A headed section: the heading's span and the span of its body.

    ``para_start``/``para_end`` are paragraph indices (end exclusive) of the body,
    counting the non-blank paragraphs of the whole text from 0.
    """

    section_no: int
    heading: str
    char_start: int
    char_end: int
    body_start: int
    body_end: int
    para_start: int
    para_end: int


@dataclass(slots=True)
class Lead(_Row):
    """The lead paragraph: the first body paragraph (no header/date/label/heading)."""

    text: str
    char_start: int
    char_end: int


@dataclass(slots=True)
class Genre(_Row):
    """The document's genre (one of ``GENRES``) with the text that shows it."""

    kind: str
    evidence: str
    char_start: int
    char_end: int


@dataclass(slots=True)
class InterviewTurn(_Row):
    """One interview turn: ``text`` is what the speaker says (label excluded)."""

    turn_no: int
    speaker: str
    speaker_key: str | None
    is_question: bool
    text: str
    char_start: int
    char_end: int


@dataclass(slots=True)
class NamedEvent(_Row):
    """A named event (exercise, operation, forum, programme, ...).

    ``name`` is the text span itself (inside the quotes when quoted).
    """

    name: str
    kind: str
    year: int | None
    char_start: int
    char_end: int


@dataclass(slots=True)
class DateExpr(_Row):
    """A temporal expression and the calendar interval it denotes.

    ``start``/``end`` are inclusive.  Relative expressions («в октябре с.г.») are
    resolved against the publication date when it is known (``resolved``).
    ``is_future`` marks an interval after the publication date; it is only produced
    when the text itself names the date or marks it as planned.
    """

    surface: str
    char_start: int
    char_end: int
    start: date | None
    end: date | None
    granularity: str
    is_relative: bool
    resolved: bool
    duration: str | None = None
    is_future: bool = False


@dataclass(slots=True)
class Occupation(_Row):
    """Someone holds (held, was appointed to, ran for, left) a position.

    ``evidence`` is the text span the fact was read from; ``position`` is in the
    nominative where it could be derived; ``start``/``end`` are the valid time.
    """

    person_key: str
    person: str
    position: str
    org_key: str | None
    org: str | None
    start: date | None
    end: date | None
    kind: str
    evidence: str
    char_start: int
    char_end: int
    position_start: int = -1
    position_end: int = -1


@dataclass(slots=True)
class Attribution(_Row):
    """Who the text credits: the outlet, its original source, or a quote's speaker."""

    kind: str
    source: str
    source_key: str | None
    char_start: int
    char_end: int
    evidence: str


@dataclass(slots=True)
class Facts:
    """All fact records of one document (``extractors.facts.extract_facts``)."""

    lead: Lead | None = None
    genre: Genre | None = None
    sections: list[Section] = field(default_factory=list)
    turns: list[InterviewTurn] = field(default_factory=list)
    events: list[NamedEvent] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    occupations: list[Occupation] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
