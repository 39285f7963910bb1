"""Named events: exercises, special operations, forums, programmes, conferences.

Two shapes:

* a trigger word, a few words, then a list of quoted names —
  «учения: "Взаимодействие", "Поиск"», «учение ОДКБ "Барьер-2026"»,
  «операций под условными наименованиями "Наемник", "Канал" и "ПРОКСИ"»;
  the kind comes from the trigger.  Quotes after «девиз/лейтмотив/слоган» or far from
  a trigger (mottos, outlet titles such as «"Союзники. ОДКБ"») are not events.
* a capitalised name built on a trigger noun, not at a sentence start —
  «Международного форума обеспечения коллективной безопасности»,
  «Целевой межгосударственной Программы по укреплению таджикско-афганской границы».
"""
from __future__ import annotations

import re

from newsetl.schemas.facts import NamedEvent

_TRIGGERS = [
    (r"учени[еяйюмх]\w*", "exercise"),
    (r"(?:спец)?операци[яиюй]\w*", "operation"),
    (r"форум\w*", "forum"),
    (r"программ\w*", "programme"),
    (r"конференци[яиюй]\w*", "conference"),
    (r"саммит\w*", "summit"),
    (r"фестивал[ьяюе]\w*", "festival"),
]
_TRIGGER = re.compile(r"\b(?:" + "|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(_TRIGGERS)) + r")\b",
                      re.I)
_QUOTED = r"(?:\"(?P<q1>[^\"\n]{1,80})\"|«(?P<q2>[^»\n]{1,80})»|“(?P<q3>[^”\n]{1,80})”)"
_QUOTED_ITEM = re.compile(_QUOTED)
_LIST_SEPARATOR = re.compile(r"\s*(?:,|и|,\s*а\s+также)\s*")
_NOT_A_NAME = re.compile(r"\b(?:девиз\w*|лейтмотив\w*|слоган\w*|лозунг\w*|тем[аеуы]|тематик\w*)\b", re.I)
_MAX_GAP_WORDS = 6
_YEAR = re.compile(r"(?:19|20)\d{2}")

_UPPER_WORD = r"[А-ЯЁ][а-яё-]+"
_LOWER_WORD = r"[а-яё][а-яё-]*"
# Capitalised adjectives, the trigger noun, and its lower-case genitive/prepositional tail.
_CAPITALISED = re.compile(
    r"(?P<name>(?:" + _UPPER_WORD + r"\s+)(?:" + _LOWER_WORD + r"\s+){0,2}(?P<trigger>(?i:"
    + r"|".join(p for p, _ in _TRIGGERS) + r"))"
    r"|(?P<trigger2>Форум\w*|Программ\w*|Конференци\w*))"
    r"(?P<tail>(?:\s+(?:по|в|для|о|об|на)?\s*(?:" + _LOWER_WORD + r"|[А-ЯЁ]{2,}))+)?"
)


def _kind(trigger: str) -> str | None:
    for pattern, kind in _TRIGGERS:
        if re.fullmatch(pattern, trigger, re.I):
            return kind
    return None


def _year(name: str) -> int | None:
    match = _YEAR.search(name)
    return int(match.group()) if match else None


def _quoted_after(text: str, pos: int) -> list[re.Match[str]]:
    """The list of quoted names that starts within a few words after ``pos``, or []."""
    first = _QUOTED_ITEM.search(text, pos)
    if first is None:
        return []
    gap = text[pos:first.start()]
    if re.search(r"[.!?;\n\"«»]", gap) or len(gap.split()) > _MAX_GAP_WORDS or _NOT_A_NAME.search(gap):
        return []
    items = [first]
    while True:
        sep = _LIST_SEPARATOR.match(text, items[-1].end())
        nxt = _QUOTED_ITEM.match(text, sep.end()) if sep else None
        if not nxt:
            return items
        items.append(nxt)


def _quoted_events(text: str) -> list[NamedEvent]:
    events = []
    for trigger in _TRIGGER.finditer(text):
        kind = _kind(trigger.group())
        for item in _quoted_after(text, trigger.end()):
            group = next(g for g in ("q1", "q2", "q3") if item.group(g) is not None)
            start, end = item.span(group)
            events.append(NamedEvent(text[start:end], kind, _year(text[start:end]), start, end))
    return events


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t")
    return not before or before[-1] in ".!?\n"


def _capitalised_events(text: str) -> list[NamedEvent]:
    events = []
    for match in _CAPITALISED.finditer(text):
        start, end = match.span("name")
        if match.group("tail"):
            end = match.end("tail")
        if _sentence_start(text, start):
            continue
        trigger = match.group("trigger") or match.group("trigger2")
        name = text[start:end].rstrip()
        events.append(NamedEvent(name, _kind(trigger), _year(name), start, start + len(name)))
    return events


def extract_events(text: str) -> list[NamedEvent]:
    """Named events in text order; a quoted reading wins over an overlapping capitalised one."""
    events = _quoted_events(text)
    for event in _capitalised_events(text):
        if not any(event.char_start < e.char_end and e.char_start < event.char_end for e in events):
            events.append(event)
    return sorted(events, key=lambda e: e.char_start)
