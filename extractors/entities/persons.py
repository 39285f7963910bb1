"""Nominative of a person's name by the morphology of the name as a whole.

The words of a name share one case and one gender (one number, too: «братьев
Толмачёвых» is plural).  :class:`PersonNormalizer` scores every reading of the name
in one of the six cases and one gender (or the plural) and puts each word in the
nominative of the best reading.  A word can be read

- by a pymorphy3 parse tagged as a name part (``Name``, ``Surn``, ``Patr``) in that
  case, sing, of that gender (``ms-f`` fits both): the strongest evidence, weaker when
  pymorphy only guessed the parse for a word its dictionary lacks;
- by a parse of a common noun in that case and gender («Граса», «Пляска»);
- by an ending of an unknown name in that case (:data:`NAME_ENDINGS`: «Марции» →
  «Марция», «Манделы» → «Мандела», «Бизоньиной» → «Бизоньина»);
- as written: indeclinable names (``Fixd``: «Шойгу», «Кличко», «Гурченко», or an
  unknown word with an indeclinable ending: «Гвердцители») and foreign words pymorphy
  does not know as nouns («Машел») in any case and gender;
- part by part, for a hyphenated name («Анне-Марии» → «Анна-Мария»).

The morph tagger's case and gender of the words (from the sentence) add to the score
of the readings they agree with.  Ties are broken by the fixed order of
:data:`CASES` and :data:`GENDERS`, never by hashing, so the result depends on the
name and its sentence only.  Initials and particles (``аль``, ``фон``) stay as
written; so does every word when no reading beats keeping it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from newsetl.extractors.entities.name_endings import INDECLINABLE_ENDINGS, NAME_ENDINGS, PLURAL_KIN_LEMMAS

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
GENDERS = ("masc", "femn", "plur")
OC_CASE_ALIASES = {"gen1": "gent", "gen2": "gent", "loc2": "loct", "acc2": "accs", "voct": "nomn"}
UD_TO_OC_CASE = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
UD_TO_OC_GENDER = {"Masc": "masc", "Fem": "femn"}
NAME_TAGS = ("Name", "Surn", "Patr")
INITIAL = re.compile(r"^[А-ЯЁA-Z]\.?$")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
PARTICLES = frozenset({"бин", "ибн", "аль", "ал", "эль", "ван", "фон", "де", "да", "ди", "дер", "ле", "ла",
                       "дель", "ду", "ос"})

# Scores of the ways to read a word (see the module docstring).
SCORE_NAME_PARSE = 3.0
SCORE_GUESSED_NAME_PARSE = 2.0
SCORE_COMMON_NOUN = 1.0
SCORE_ENDING = 0.6
SCORE_ENDING_PER_LETTER = 0.1
SCORE_KEEP_INDECLINABLE = 2.5
SCORE_KEEP_UNKNOWN = 0.5
SCORE_KEEP_OTHER = 0.0
BONUS_TAGGER_CASE = 0.5
BONUS_TAGGER_GENDER = 0.3
PENALTY_PLURAL = 1.5


@dataclass(frozen=True)
class Reading:
    """One way to read a word: its nominative and how well the reading fits."""

    nominative: str
    score: float


class PersonNormalizer:
    """Nominative of person names over a pymorphy3 analyser's ``parse`` (memoised by the caller)."""

    def __init__(self, parse: Callable[[str], Sequence]) -> None:
        self._parse = parse

    def person(self, tokens: Sequence, plural_context: bool = False) -> str:
        """Nominative of the name made of ``tokens`` (Natasha tokens with ``text``, ``feats``)."""
        words = [t.text for t in tokens]
        name_words = [i for i, t in enumerate(tokens) if self._is_name_word(t.text)]
        if not name_words:
            return join_words(tokens, words)
        best = None
        for case in CASES:
            for gender in GENDERS:
                total, chosen = self._reading_of_name(tokens, name_words, case, gender, plural_context)
                if best is None or total > best[0]:
                    best = (total, chosen)
        for i, nominative in best[1].items():
            words[i] = recover_case(nominative, tokens[i].text)
        return join_words(tokens, words)

    @staticmethod
    def _is_name_word(word: str) -> bool:
        return bool(CYRILLIC.search(word)) and not INITIAL.match(word) and word.lower() not in PARTICLES \
            and not (word.isupper() and len(word) > 1)

    def _reading_of_name(self, tokens: Sequence, name_words: Sequence[int], case: str, gender: str,
                         plural_context: bool) -> tuple[float, dict[int, str]]:
        """Total score of reading every name word in ``case`` and ``gender``, with the nominatives."""
        total = 0.0 if gender != "plur" or plural_context else -PENALTY_PLURAL
        chosen = {}
        for i in name_words:
            token = tokens[i]
            reading = self.best_reading(token.text, case, gender)
            total += reading.score
            chosen[i] = reading.nominative
            feats = getattr(token, "feats", None) or {}
            if UD_TO_OC_CASE.get(feats.get("Case", "")) == case:
                total += BONUS_TAGGER_CASE
            tagger_gender = "plur" if feats.get("Number") == "Plur" else UD_TO_OC_GENDER.get(feats.get("Gender", ""))
            if tagger_gender == gender:
                total += BONUS_TAGGER_GENDER
        return total, chosen

    def best_reading(self, word: str, case: str, gender: str) -> Reading:
        """The best-scoring reading of one word in ``case`` and ``gender`` (first of equals);
        a hyphenated word may also be read part by part («Анне-Марии» → «Анна-Мария»)."""
        readings = [self._word_reading(word, case, gender)]
        if "-" in word.strip("-"):
            readings.append(self._hyphenated_reading(word, case, gender))
        return max(readings, key=lambda r: r.score)

    def _hyphenated_reading(self, word: str, case: str, gender: str) -> Reading:
        """Each part of a hyphenated name read in ``case`` and ``gender``; particles («аль») as written."""
        parts = word.split("-")
        readings = [None if part.lower() in PARTICLES or not part else self._word_reading(part, case, gender)
                    for part in parts]
        scored = [r.score for r in readings if r is not None]
        if not scored:
            return Reading(word.lower(), SCORE_KEEP_OTHER)
        nominative = "-".join(part.lower() if r is None else r.nominative for part, r in zip(parts, readings))
        return Reading(nominative, sum(scored) / len(scored))

    def _word_reading(self, word: str, case: str, gender: str) -> Reading:
        """The best reading of a word taken whole."""
        readings = [self._keep(word)]
        readings.extend(self._parse_readings(word, case, gender))
        if not self._known_noun(word):
            readings.extend(ending_readings(word.lower(), case, gender))
        return max(readings, key=lambda r: r.score)  # max keeps the first of equal scores

    def _keep(self, word: str) -> Reading:
        """The word as written: fits any case when it is indeclinable or no noun pymorphy knows."""
        parses = self._parse(word.lower())
        if any("Fixd" in p.tag and any(t in p.tag for t in NAME_TAGS) and not is_hyphen_guess(p) for p in parses):
            return Reading(word.lower(), SCORE_KEEP_INDECLINABLE)
        if not self._known_noun(word) and word.lower().endswith(INDECLINABLE_ENDINGS):
            return Reading(word.lower(), SCORE_KEEP_INDECLINABLE)
        if not self._known_noun(word):
            return Reading(word.lower(), SCORE_KEEP_UNKNOWN)
        return Reading(word.lower(), SCORE_KEEP_OTHER)

    def _known_noun(self, word: str) -> bool:
        """pymorphy's dictionary has the word as a noun (not only by a guess)."""
        return any(p.tag.POS == "NOUN" and not is_guess(p) for p in self._parse(word.lower()))

    def _parse_readings(self, word: str, case: str, gender: str) -> list[Reading]:
        """Readings by the noun parses of ``word`` in ``case`` that agree with ``gender``."""
        number = "plur" if gender == "plur" else "sing"
        readings = []
        for parse in self._parse(word.lower()):
            tag = parse.tag
            if tag.POS != "NOUN" or _case_of(parse) != case or (tag.number or "sing") != number:
                continue
            is_name = any(t in tag for t in NAME_TAGS)
            if number == "sing" and tag.gender not in (gender, None) and not is_common_gender(tag):
                continue
            if number == "plur" and "Surn" not in tag:
                continue
            if "Fixd" in tag:
                continue  # read by _keep
            nominative = _nominative(parse, number, gender)
            if nominative is None:
                continue
            base = SCORE_NAME_PARSE if is_name else SCORE_COMMON_NOUN
            if is_name and is_guess(parse):
                base = SCORE_GUESSED_NAME_PARSE
            readings.append(Reading(nominative, base + parse.score))
        return readings


def ending_readings(word: str, case: str, gender: str) -> list[Reading]:
    """Readings of an unknown name by its ending in ``case`` and ``gender`` (:data:`NAME_ENDINGS`)."""
    readings = []
    for ending, nominative_ending, genders, cases in NAME_ENDINGS:
        if gender in genders and case in cases and word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: len(word) - len(ending)] if ending else word
            readings.append(Reading(stem + nominative_ending, SCORE_ENDING + SCORE_ENDING_PER_LETTER * len(ending)))
    return readings


def _nominative(parse, number: str, gender: str) -> str | None:
    """The parse's word in the nominative of ``number`` (and of ``gender`` for surnames)."""
    grammemes = {"nomn", number}
    if number == "sing" and "Surn" in parse.tag and gender in ("masc", "femn"):
        grammemes.add(gender)
    inflected = parse.inflect(grammemes) or parse.inflect({"nomn", number})
    return inflected.word if inflected else None


def _case_of(parse) -> str | None:
    case = parse.tag.case
    return OC_CASE_ALIASES.get(case, case)


def is_guess(parse) -> bool:
    """pymorphy's guess for a word its dictionary lacks (by a known suffix or an unknown prefix)."""
    return any(type(step[0]).__name__ not in ("DictionaryAnalyzer", "HyphenatedWordsAnalyzer")
               for step in parse.methods_stack)


def is_common_gender(tag) -> bool:
    """The parse fits men and women alike (``ms-f``: «Шойгу», «Обама»)."""
    return "ms-f" in str(tag) or "Ms-f" in str(tag)


def is_hyphen_guess(parse) -> bool:
    """pymorphy read the word by its hyphenated parts (its ``Fixd`` is a guess, not the dictionary's)."""
    return any(type(step[0]).__name__ == "HyphenatedWordsAnalyzer" for step in parse.methods_stack)


def is_plural_kin(token, lemma: Callable[[str], str]) -> bool:
    """A plural kinship word before a surname («братьев», «сестёр», «супругов»)."""
    feats = getattr(token, "feats", None) or {}
    return lemma(token.text) in PLURAL_KIN_LEMMAS and (feats.get("Number") == "Plur" or token.text.lower().endswith(
        ("ья", "ьев", "ьям", "ьями", "ьях", "ры", "ёр", "ер", "гов", "ги", "ами", "ам", "ах")))


def recover_case(word: str, reference: str) -> str:
    """``word`` capitalised like ``reference`` per hyphen-separated part («ливиу-дитер» → «Ливиу-Дитер»)."""
    if word == reference.lower():
        return reference
    if "-" in word and word.count("-") == reference.count("-"):
        return "-".join(recover_case(w, r) for w, r in zip(word.split("-"), reference.split("-")))
    if reference.isupper() and len(reference) > 1:
        return word.upper()
    if reference[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def join_words(tokens: Sequence, words: Sequence[str]) -> str:
    """Join words with single spaces where their tokens were separated, glued where they touched."""
    parts = []
    for i, (tok, word) in enumerate(zip(tokens, words)):
        if i and tok.start > tokens[i - 1].stop:
            parts.append(" ")
        parts.append(word)
    return "".join(parts)
