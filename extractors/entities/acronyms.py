"""Acronym definitions: «Совета коллективной безопасности (СКБ)».

The long form is found by matching the acronym's letters, left to right, to the
initial letters of the words before the bracket: function words («о», «по», «и»)
may be skipped, a compound word may give more than one letter («межгосударственной»
→ «М», or «Г» from inside), and once every letter is matched, dependent words may
follow (the «по укреплению таджикско-афганской границы» of «ЦМП»).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

ACRONYM = re.compile(r"^(?=(?:.*[А-ЯЁA-Z]){2})[А-ЯЁA-Z][А-ЯЁA-Zа-яёa-z]{1,9}$")
FUNCTION_WORDS = {
    "о", "об", "по", "и", "в", "во", "на", "для", "при", "с", "со", "от", "за", "к", "ко", "из", "у", "над",
    "под", "между", "против", "без", "of", "and", "for", "the", "de", "la", "&",
}
LONG_FORM_GLUE = {"-", "«", "»", '"', "„", "“", "”"}
MAX_LONG_WORDS = 14
MAX_TAIL_WORDS = 6


@dataclass(frozen=True, slots=True)
class LongFormMatch:
    """Token range of a long form and how well it fits the acronym (lower is better)."""

    start: int
    stop: int
    cost: int


def find_definitions(text: str, tokens: Sequence) -> list[tuple[int, LongFormMatch | None]]:
    """For each bracketed acronym «(ACR)»: its token index and the long form before it, if any."""
    found = []
    for i in range(1, len(tokens) - 1):
        if tokens[i - 1].text != "(" or tokens[i + 1].text != ")" or not ACRONYM.match(tokens[i].text):
            continue
        found.append((i, match_long_form(text, tokens, i - 1, tokens[i].text)))
    return found


def preceding_words(text: str, tokens: Sequence, bracket: int) -> list[int]:
    """Indexes of the words before ``bracket``, back to punctuation or a line break."""
    indexes = []
    i = bracket - 1
    while i >= 0 and len(indexes) < MAX_LONG_WORDS:
        text = tokens[i].text
        if not any(ch.isalnum() for ch in text) and text not in LONG_FORM_GLUE:
            break
        if "\n" in text[tokens[i].stop:tokens[i + 1].start]:
            break
        if any(ch.isalnum() for ch in text):
            indexes.append(i)
        i -= 1
    return indexes[::-1]


def match_long_form(text: str, tokens: Sequence, bracket: int, acronym: str) -> LongFormMatch | None:
    """The best long form ending before ``bracket`` whose words spell ``acronym``."""
    letters = acronym.lower()
    words = preceding_words(text, tokens, bracket)
    best = None
    for first in range(len(words)):
        cost = _spell_cost([tokens[w].text.lower() for w in words[first:]], letters)
        if cost is None:
            continue
        candidate = LongFormMatch(words[first], words[-1] + 1, cost)
        if best is None or candidate.cost < best.cost:
            best = candidate
    return best


def _spell_cost(words: list[str], letters: str) -> int | None:
    """Cost of spelling ``letters`` with ``words`` from the first word on; None if impossible.

    Every content word before the last matched letter must start with the next letter;
    inner letters and trailing words each add to the cost.
    """
    if not words or not words[0].startswith(letters[0]):
        return None
    best: int | None = None

    def walk(word_index: int, letter_index: int, cost: int) -> None:
        nonlocal best
        if best is not None and cost >= best:
            return
        if letter_index == len(letters):
            tail = len(words) - word_index
            if tail <= MAX_TAIL_WORDS:
                total = cost + 2 * tail
                best = total if best is None else min(best, total)
            return
        if word_index == len(words):
            return
        word = words[word_index]
        if word in FUNCTION_WORDS:
            walk(word_index + 1, letter_index, cost)
        if not word.startswith(letters[letter_index]):
            return
        # the word gives its first letter, then optionally more letters from inside it
        walk(word_index + 1, letter_index + 1, cost)
        position, taken = 1, letter_index + 1
        while taken < len(letters):
            position = word.find(letters[taken], position + 1)
            if position < 0:
                break
            taken += 1
            walk(word_index + 1, taken, cost + 3 * (taken - letter_index - 1))

    walk(0, 0, 0)
    return best
