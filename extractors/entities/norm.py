"""Normal forms and resolution keys for entity mentions.

Works on Natasha ``DocToken`` objects (``text``, ``pos``, ``feats`` from the morph
tagger) and a pymorphy3 analyser (Natasha's ``MorphVocab``).

Organisations and places (:meth:`Normalizer.phrase`): with a usable dependency
parse of the span (``entities_syntax.SpanSyntax``), the syntactic head and the
tokens that agree with it are put in the nominative and everything else stays as
written («Организации Договора о коллективной безопасности» → «Организация Договора
о коллективной безопасности», «Боснии и Герцеговины» → «Босния и Герцеговина»).
Without one, or when the head cannot be inflected, the head rule applies: the first
noun after leading adjectives is the head, and only it and those adjectives change.

Persons (:meth:`Normalizer.person`): the name's words are read together in one
case and gender by their pymorphy3 name tags (:mod:`persons`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Sequence

from newsetl.extractors.entities.persons import PersonNormalizer, join_words
from newsetl.extractors.entities.syntax import SpanSyntax

UD_TO_OC_CASE = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
OC_CASE_ALIASES = {"gen1": "gent", "gen2": "gent", "loc2": "loct", "acc2": "accs", "voct": "nomn"}
# Lemmas pymorphy scores as high as a commoner homograph's («Большим» → «больший», not «большой»).
DISFAVOURED_LEMMAS = frozenset({"больший"})
QUOTE_CHARS = "«»„“”\"'‘’`"
_QUOTE_TABLE = str.maketrans("", "", QUOTE_CHARS)
_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]")
CYRILLIC_NAME = re.compile(r"^[А-ЯЁ][А-Яа-яЁё-]*$")
INITIAL = re.compile(r"^[А-ЯЁA-Z]\.?$")
PATRONYMIC_ENDINGS = ("вич", "вна", "чна", "ична", "инична", "оглы", "кызы")
SURNAME_ENDINGS = (
    "ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ской", "ова", "ева", "ина", "ына", "ская", "цкая",
    "енко", "ук", "юк", "швили", "дзе", "ян", "янц", "уни", "их", "ых", "ич",
)
SURNAME_PARTICLES = {"бин", "ибн", "аль", "ал", "эль", "ван", "фон", "де", "да", "ди", "дер", "ле", "ла", "дель", "ду", "ос"}

def fold(text: str) -> str:
    """Case-fold, ё→е, drop quotes and collapse whitespace: the comparable form of a name."""
    text = text.translate(_QUOTE_TABLE).casefold().replace("ё", "е")
    return " ".join(text.split())


def recover_shape(word: str, reference: str) -> str:
    """Give ``word`` the capitalisation of ``reference`` (lower, UPPER, Title, per-part or inner
    capitals: «автоваз» shaped like «АвтоВАЗа» is «АвтоВАЗ»)."""
    if word.lower() == reference.lower():
        return reference
    if reference.isupper() and len(reference) > 1:
        return word.upper()
    if reference.islower():
        return word.lower()
    if "-" in word and "-" in reference and word.count("-") == reference.count("-"):
        return "-".join(recover_shape(w, r) for w, r in zip(word.split("-"), reference.split("-")))
    if any(ch.isupper() for ch in reference[1:]):
        return _copy_case_of_common_prefix(word, reference)
    if reference[:1].isupper():
        return word[:1].upper() + word[1:].lower()
    return word


def _copy_case_of_common_prefix(word: str, reference: str) -> str:
    """``word`` with the letter case of ``reference`` over their common prefix; the rest takes the
    case of the prefix's last letter («автоваз», «АвтоВАЗа» → «АвтоВАЗ»)."""
    prefix = common_prefix_length(word.lower(), reference.lower())
    if prefix == 0:
        return word[:1].upper() + word[1:].lower()
    rest = word[prefix:]
    rest = rest.upper() if reference[prefix - 1].isupper() else rest.lower()
    return reference[:prefix] + rest


def common_prefix_length(a: str, b: str) -> int:
    """Number of leading characters ``a`` and ``b`` share."""
    length = 0
    for x, y in zip(a, b):
        if x != y:
            break
        length += 1
    return length


def oc_case(parse) -> str | None:
    """The pymorphy parse's case with gen2/loc2/voct folded into the main cases."""
    case = parse.tag.case
    return OC_CASE_ALIASES.get(case, case)


# Word parses kept per worker: ~1.2 KB each, so the cache stays under ~60 MB however large the
# vocabulary of a long-running feed grows (200,000 could reach ~230 MB per worker).
PARSE_CACHE_SIZE = 50_000


class Normalizer:
    """Puts entity spans in the nominative using the morph tagger's features and pymorphy."""

    def __init__(self, morph) -> None:
        self._parse: Callable = lru_cache(maxsize=PARSE_CACHE_SIZE)(morph.parse)
        self._persons = PersonNormalizer(self._parse)

    # --- words ---------------------------------------------------------------
    def inflect(self, word: str, pos_set: set[str], case: str | None, number: str | None,
                gender: str | None, target: set[str], prefer: tuple[str, ...] = (),
                same_number: bool = False, strict_gender: bool = False) -> str | None:
        """Inflect ``word`` into ``target`` grammemes via its best parse matching the given features.

        Returns None when no parse of the right part of speech matches the case (any case
        when ``case`` is None); ``same_number`` rules out parses of another number
        altogether, ``strict_gender`` parses of another gender.
        """
        best, best_score = None, -1.0
        for parse in self._parse(word.lower()):
            tag = parse.tag
            if tag.POS not in pos_set:
                continue
            score = parse.score
            if case:
                if oc_case(parse) != case:
                    continue
            if number and tag.number and tag.number != number:
                if same_number:
                    continue
                score -= 1.0
            if gender and tag.gender and tag.gender != gender and "Ms-f" not in tag:
                if strict_gender:
                    continue
                score -= 2.0
            if any(g in tag for g in prefer):
                score += 1.0
            if parse.normal_form in DISFAVOURED_LEMMAS:
                score -= 0.5
            if score > best_score:
                best, best_score = parse, score
        if best is None:
            return None
        grammemes = set(target)
        if best.tag.number == "plur" or number == "plur":
            grammemes.discard("sing")
        inflected = best.inflect(grammemes) or best.inflect({"nomn"})
        return inflected.word if inflected else None

    # --- organisations and places ------------------------------------------------
    def phrase(self, tokens: Sequence, syntax: SpanSyntax | None = None) -> str:
        """Nominative of an ORG/LOC phrase: by the dependency parse when usable, else by the head rule."""
        if syntax is not None:
            normal = self.phrase_by_syntax(tokens, syntax)
            if normal is not None:
                return normal
        return self.phrase_by_head_rule(tokens)

    def phrase_by_syntax(self, tokens: Sequence, syntax: SpanSyntax) -> str | None:
        """Inflect the syntactic head and the tokens that agree with it; None when the head cannot be inflected.

        A dependent takes the nominative only if it has a form in its governor's case and
        number (and, for singular modifiers, gender), so a misattached genitive stays as written.
        """
        words = [t.text for t in tokens]
        head_tok = tokens[syntax.head]
        if head_tok.pos not in ("NOUN", "PROPN") or not _inflectable(head_tok.text):
            return None
        case = UD_TO_OC_CASE.get(head_tok.feats.get("Case", ""))
        if case is None:
            return None
        if case == "nomn":
            return join_words(tokens, words)
        number = _number_of(head_tok)
        normal_head = self.inflect(head_tok.text, {"NOUN"}, case, number, None, {"nomn", number})
        if normal_head is None:
            return None
        words[syntax.head] = recover_shape(normal_head, head_tok.text)
        agreement = {syntax.head: (number, self._gender_of(normal_head))}
        for dependent in syntax.agreeing:
            if dependent.governor not in agreement or not _inflectable(tokens[dependent.index].text):
                continue
            token = tokens[dependent.index]
            governor_number, governor_gender = agreement[dependent.governor]
            if dependent.kind == "modifier":
                normal = self.agreeing_modifier(token.text, case, governor_number, governor_gender)
            else:
                own_number = _number_of(token)
                normal = self.inflect(token.text, {"NOUN"}, case, own_number, None, {"nomn", own_number},
                                      same_number=True)
                if normal is not None:
                    agreement[dependent.index] = (own_number, self._gender_of(normal))
            if normal is not None:
                words[dependent.index] = recover_shape(normal, token.text)
        return join_words(tokens, words)

    def agreeing_modifier(self, word: str, case: str, number: str, gender: str | None) -> str | None:
        """Nominative of an adjective or participle that agrees with a noun in ``case``/``number``/``gender``."""
        target = {"nomn", number} | ({gender} if gender and number == "sing" else set())
        gender_to_match = gender if number == "sing" else None
        return self.inflect(word, {"ADJF", "PRTF"}, case, number, gender_to_match, target,
                            same_number=True, strict_gender=True)

    def phrase_by_head_rule(self, tokens: Sequence) -> str:
        """Nominative of an ORG/LOC phrase: inflect the leading adjectives and the head noun only."""
        words = [t.text for t in tokens]
        head = self._head_index(tokens)
        if head is None:
            return join_words(tokens, words)
        head_tok = tokens[head]
        case = UD_TO_OC_CASE.get(head_tok.feats.get("Case", ""))
        if case is None or case == "nomn":
            return join_words(tokens, words)
        number = _number_of(head_tok)
        normal_head = self.inflect(head_tok.text, {"NOUN"}, case, number, None, {"nomn", number})
        if normal_head is None:
            return join_words(tokens, words)
        words[head] = recover_shape(normal_head, head_tok.text)
        head_gender = self._gender_of(normal_head)
        for i in range(head):
            target = {"nomn", number} | ({head_gender} if head_gender and number == "sing" else set())
            adj = self.inflect(tokens[i].text, {"ADJF", "PRTF"}, case, number, None, target)
            if adj:
                words[i] = recover_shape(adj, tokens[i].text)
        return join_words(tokens, words)

    def _head_index(self, tokens: Sequence) -> int | None:
        """Index of the head noun: the first noun after leading adjectives, if the phrase starts so."""
        for i, tok in enumerate(tokens):
            if not _WORD.search(tok.text) or tok.text.isupper() and len(tok.text) > 1:
                return None
            if self._is_modifier(tok):
                continue
            if tok.pos in ("NOUN", "PROPN"):
                return i
            return None
        return None

    def _is_modifier(self, tok) -> bool:
        """An adjective, determiner, numeral or participle, or a word the tagger calls a proper
        noun that pymorphy knows only as an adjective or participle («Соединённых»)."""
        if tok.pos in ("ADJ", "DET", "NUM") or tok.pos == "VERB" and tok.feats.get("VerbForm") == "Part":
            return True
        if tok.pos != "PROPN":
            return False
        parts = {p.tag.POS for p in self._parse(tok.text.lower())}
        return bool(parts) and parts <= {"ADJF", "PRTF"}

    def _gender_of(self, noun: str) -> str | None:
        for parse in self._parse(noun.lower()):
            if parse.tag.POS == "NOUN" and oc_case(parse) == "nomn":
                return parse.tag.gender
        return None

    # --- quoted names ----------------------------------------------------------------
    def quoted_word(self, token, only_if_never_nominative: bool = False) -> str | None:
        """Nominative of a one-word quoted name in an oblique case («Газпрома» → «Газпром»,
        «АвтоВАЗа» → «АвтоВАЗ», «Известий» → «Известия»), or None to keep it as written.

        The name's noun parses in the tagger's case are taken (all oblique noun parses
        when pymorphy has none in that case and none in the nominative); parses tagged as
        names (Orgn, Name, Geox, Surn) or guessed for an unknown word are preferred, but a
        guess that is not a name does not outweigh a nominative reading of the word.
        The number of the parse is kept, so plural-only names stay plural.  None when the
        word is not Cyrillic, is an acronym, the tagger reads it as nominative, the parses
        disagree on the nominative, or the nominative does not look like the same word.
        ``only_if_never_nominative`` (a name after a descriptor, which should be in the
        nominative) also returns None whenever any noun parse is nominative.
        """
        word = token.text
        if not CYRILLIC_NAME.match(word) or not _inflectable(word):
            return None
        nouns = [p for p in self._parse(word.lower()) if p.tag.POS == "NOUN"]
        can_be_nominative = any(oc_case(p) == "nomn" for p in nouns)
        if can_be_nominative and only_if_never_nominative:
            return None
        case = UD_TO_OC_CASE.get(token.feats.get("Case", ""))
        if case == "nomn" and can_be_nominative:
            return None
        candidates = [p for p in nouns if oc_case(p) == case and case != "nomn"]
        if not candidates and not can_be_nominative:
            candidates = [p for p in nouns if oc_case(p) != "nomn"]
        chosen = [p for p in candidates if _is_name(p) or _is_guess(p)] or candidates
        if can_be_nominative and all(_is_guess(p) and not _is_name(p) for p in chosen):
            return None  # «Мечела»: a guess «мечело» against a nominative reading
        nominatives = {_nominative_keeping_number(p) for p in chosen} - {None}
        if len(nominatives) != 1:
            return None
        nominative = nominatives.pop()
        if not _same_word(nominative, word.lower()):
            return None
        return recover_shape(nominative, word)

    # --- persons ---------------------------------------------------------------------
    def person(self, tokens: Sequence, plural_context: bool = False) -> str:
        """Nominative of a person's name by the morphology of the whole name (:mod:`persons`)."""
        return self._persons.person(tokens, plural_context)


NAME_GRAMMEMES = ("Orgn", "Name", "Geox", "Surn")


def _is_name(parse) -> bool:
    """A parse that reads the word as a proper name (organisation, first name, place, surname)."""
    return any(g in parse.tag for g in NAME_GRAMMEMES)


def _is_guess(parse) -> bool:
    """pymorphy's guess for a word its dictionary lacks (by a known suffix or an unknown prefix)."""
    return any(type(step[0]).__name__ != "DictionaryAnalyzer" for step in parse.methods_stack)


def _nominative_keeping_number(parse) -> str | None:
    """The parse's word in the nominative of the same number («известий» → «известия»)."""
    number = parse.tag.number or "sing"
    inflected = parse.inflect({"nomn", number})
    return inflected.word if inflected else None


def _same_word(nominative: str, oblique: str) -> bool:
    """The nominative differs from the oblique form only in the ending (at most three letters)."""
    shared = common_prefix_length(nominative.replace("ё", "е"), oblique.replace("ё", "е"))
    return shared >= 2 and shared >= max(len(nominative), len(oblique)) - 3


def _number_of(token) -> str:
    """OpenCorpora number of a tagged token: plural only when the tagger says so."""
    return "plur" if token.feats.get("Number") == "Plur" else "sing"


def _inflectable(word: str) -> bool:
    """A word we may inflect: has letters and is not an acronym in capitals (ФСБ, МГУ)."""
    return bool(_WORD.search(word)) and not (word.isupper() and len(word) > 1)


# --- keys ----------------------------------------------------------------------------------

def person_key(normal: str, is_name: Callable[[str], bool] | None = None) -> str:
    """Resolution key of a person: surname first, then given names; initials kept as «в.в.».

    The patronymic is left out so «Владимир Владимирович Путин» and «Владимир Путин» agree.
    """
    words = fold(normal.replace(".", ". ")).split()
    initials = "".join(w for w in words if INITIAL.match(w.upper()) and w.endswith("."))
    names = [w for w in words if not (INITIAL.match(w.upper()) and w.endswith("."))]
    names = [w for w in names if not (len(names) > 2 and w.endswith(PATRONYMIC_ENDINGS))]
    if not names:
        return "PER:" + initials
    surname_at = _surname_index(names, is_name)
    surname = names[surname_at]
    given = names[:surname_at] + names[surname_at + 1:]
    # particles (бин, фон, ...) belong to the surname
    while given and given[-1] in SURNAME_PARTICLES and surname_at == len(names) - 1:
        surname = given.pop() + " " + surname
    parts = [surname] + given + ([initials] if initials else [])
    return "PER:" + " ".join(parts)


def _surname_index(names: list[str], is_name: Callable[[str], bool] | None) -> int:
    """Which word of a name is the surname: surname-like and not a known first name; else the last."""
    if len(names) == 1:
        return 0

    def score(word: str) -> int:
        value = 0
        if word.endswith(SURNAME_ENDINGS):
            value += 1
        if is_name and is_name(word):
            value -= 2
        return value

    scores = [score(w) for w in names]
    best = max(scores)
    candidates = [i for i, s in enumerate(scores) if s == best]
    return candidates[-1]


def phrase_key(entity_type: str, normal: str) -> str:
    """Resolution key of an organisation or place: type plus the folded normal form."""
    return f"{entity_type}:{fold(normal)}"
