"""One entry point for the text-level fact extractors.

``extract_facts(text, published_at, mentions)`` runs structure, interview, event,
date, occupation and attribution extraction over one document's text and returns
a ``Facts`` bundle.  Pure: no database, no I/O; mentions come from the entity
extractor (``newsetl.extractors.entities.analyze.extract_mentions``).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newsetl.extractors.facts.attributions import extract_attributions
from newsetl.extractors.facts.dates import extract_dates
from newsetl.extractors.facts.events import extract_events
from newsetl.extractors.facts.interviews import extract_turns
from newsetl.extractors.facts.occupations import extract_occupations
from newsetl.extractors.facts.structure import detect_genre, extract_lead, extract_sections
from newsetl.schemas.facts import Facts
from newsetl.schemas.records import Mention

FACTS_EXTRACTOR_VERSION = "facts/5"  # 5: a relative date moved to last year stays a real date


def extract_facts(text: str, published_at: datetime | None, mentions: Sequence[Mention]) -> Facts:
    """All fact records of one document; every record's offsets index into ``text``."""
    mentions = sorted(mentions, key=lambda m: m.start)
    sections = extract_sections(text)
    turns = extract_turns(text, mentions)
    dates = extract_dates(text, published_at)
    occupations = extract_occupations(text, mentions, dates, [s.char_start for s in sections])
    return Facts(
        lead=extract_lead(text),
        genre=detect_genre(text, turns),
        sections=sections,
        turns=turns,
        events=extract_events(text),
        dates=dates,
        occupations=occupations,
        attributions=extract_attributions(text, mentions, turns, occupations),
    )
