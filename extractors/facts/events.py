"""Named events: exercises, special operations, forums, programmes, conferences.

Two shapes:

* a trigger word, a few words, then a list of quoted names —
  «учения: "Взаимодействие", "Поиск"», «учение ОДКБ "Барьер-2026"»,
  «операций под условными наименованиями "Наемник", "Канал" и "ПРОКСИ"»;
  the kind comes from the trigger.  Quotes after «девиз/лейтмотив/слоган» or far from
  a trigger (mottos, outlet titles such as «"Союзники. ОДКБ"») are not events.
* a capitalised name built on a trigger noun, not at a sentence start —
  «Международного форума обеспечения коллективной безопасности»,
  «Целевой межгосударственной Программы по укреплению таджикско-афганской границы»,
  «Петербургский международный экономический форум»: the words before the trigger
  must be adjectives agreeing with it (the first one capitalised, or the trigger is),
  the words after it a genitive or prepositional complement that never ends with a
  preposition.  A verb or a name before the trigger gives nothing («Греф выступил на форуме»).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from newsetl.extractors.models import morph
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
_MAX_ADJECTIVES = 4
_MAX_TAIL_WORDS = 8
_YEAR = re.compile(r"(?:19|20)\d{2}")

_WORD_TOKEN = re.compile(r"[А-ЯЁа-яёA-Za-z]+(?:-[А-ЯЁа-яёA-Za-z]+)*|\d+|\S")
_TRIGGER_WORD = re.compile("|".join(p for p, _ in _TRIGGERS), re.I)
# Trigger nouns that make a name on their own when capitalised: «... Программы по укреплению ...».
_CAPITALISED_ALONE = re.compile(r"(?:Форум|Программ|Конференци)\w*")
_TAIL_PREPOSITIONS = frozenset({"по", "для", "о", "об", "при"})  # not «в/на»: place and time


@dataclass(frozen=True, slots=True)
class _Word:
    """One token of the text with its character span."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        """Whether the token starts with a letter."""
        return self.text[0].isalpha()

    def forms(self, *pos: str):
        """Morphological readings of the word with one of the parts of speech ``pos``."""
        return [f for f in morph().parse(self.text.lower()) if f.tag.POS in pos] if self.is_word else []
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


def _agrees(adjective: _Word, nouns) -> bool:
    """An adjective that can share case, number and (in the singular) gender with the noun."""
    for a in adjective.forms("ADJF", "PRTF"):
        for n in nouns:
            if a.tag.case == n.tag.case and a.tag.number == n.tag.number and \
                    (n.tag.number == "plur" or a.tag.gender == n.tag.gender):
                return True
    return False


def _name_start(words: list[_Word], trigger: int) -> int | None:
    """Index of the first word of a capitalised name ending at ``words[trigger]``, else None.

    The words before the trigger must be adjectives agreeing with it; the name starts at
    the first capitalised one («экспертного Международного форума» -> «Международного»).
    """
    nouns = words[trigger].forms("NOUN")
    if not nouns:
        return None
    first = trigger
    while first > 0 and trigger - first < _MAX_ADJECTIVES and _agrees(words[first - 1], nouns):
        first -= 1
    capitalised = [i for i in range(first, trigger) if words[i].text[0].isupper()]
    if capitalised:
        return capitalised[0]
    return trigger if _CAPITALISED_ALONE.fullmatch(words[trigger].text) else None


def _tail_end(words: list[_Word], trigger: int) -> int:
    """Index of the last word of the name's lower-case complement («форума обеспечения
    коллективной безопасности», «Программы по укреплению ... границы»); never a preposition."""
    last = trigger
    after_preposition = False
    for k in range(trigger + 1, min(len(words), trigger + 1 + _MAX_TAIL_WORDS)):
        word = words[k]
        if not word.is_word:
            break
        if word.text in _TAIL_PREPOSITIONS:
            if after_preposition:
                break
            after_preposition = True
            continue
        if word.text.isupper() and len(word.text) >= 2:  # an acronym: «форума ОДКБ»
            last, after_preposition = k, False
            continue
        if word.text[0].isupper():
            break
        readings = word.forms("NOUN", "ADJF", "PRTF")
        if not readings or morph().parse(word.text)[0].tag.POS not in ("NOUN", "ADJF", "PRTF"):
            break
        if not after_preposition and not any(f.tag.case == "gent" for f in readings):
            break
        last, after_preposition = k, False
    return last


def _capitalised_events(text: str) -> list[NamedEvent]:
    """Unquoted names: capitalised agreeing adjectives + trigger noun + genitive complement.

    Anything else around a trigger (a verb, a person's name) yields nothing.
    """
    words = [_Word(m.group(), m.start(), m.end()) for m in _WORD_TOKEN.finditer(text)]
    events = []
    for i, word in enumerate(words):
        if not word.is_word or not _TRIGGER_WORD.fullmatch(word.text):
            continue
        first = _name_start(words, i)
        if first is None or _sentence_start(text, words[first].start):
            continue
        start, end = words[first].start, words[_tail_end(words, i)].end
        name = text[start:end]
        events.append(NamedEvent(name, _kind(word.text), _year(name), start, end))
    return events


def extract_events(text: str) -> list[NamedEvent]:
    """Named events in text order; a quoted reading wins over an overlapping capitalised one."""
    events = _quoted_events(text)
    for event in _capitalised_events(text):
        if not any(event.char_start < e.char_end and e.char_start < event.char_end for e in events):
            events.append(event)
    return sorted(events, key=lambda e: e.char_start)
