"""Span repair and rule-based additions on top of Natasha's NER spans.

Spans are half-open ranges of token indexes into the Natasha document's tokens.
The rules: spans never cross a line break, a colon (speaker labels), a bracket, a
quote or a sentence boundary; quoted names of exercises, operations, vehicles and
works are not organisations; a descriptor before a quoted name («компания
«Газпром»») is not part of the name; trailing common words are trimmed; acronyms
in capitals and descriptor + quoted name add organisations Natasha missed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

OPENING_QUOTES = "«„"
CLOSING_QUOTES = "»”"
AMBIGUOUS_QUOTES = "\"“'"
ALL_QUOTES = OPENING_QUOTES + CLOSING_QUOTES + AMBIGUOUS_QUOTES
SPLITTING_PUNCT = {":", ";", "(", ")", "[", "]", "|", "—"} | set(ALL_QUOTES)
CHAIN_WORDS = {",", "и", "или", ":", "а", "также"}
LETTER = re.compile(r"[А-Яа-яЁёA-Za-z]")
CYRILLIC_WORD = re.compile(r"^[а-яё]")
CYRILLIC_ACRONYM = re.compile(r"^[А-ЯЁ]{2,6}$")
# Two-letter capitals are too often not names (ТМ, ГБ, ОТ) to add on their own.
MIN_ADDED_ACRONYM = 3
YEAR_SUFFIX = re.compile(r"(?:[-–—]\s*)?(?:19|20)\d\d$")

# Lemmas that, right before a quoted name, say the name is an organisation.
ORG_DESCRIPTORS = {
    "компания", "концерн", "холдинг", "корпорация", "фирма", "группа", "банк", "оао", "зао", "ооо", "ао",
    "пао", "нао", "гуп", "фгуп", "муп", "нко", "ано", "ип", "тоо", "оо", "ра", "риа", "иа", "ртк", "ркк",
    "газета", "журнал", "издание", "еженедельник", "агентство", "телеканал", "канал", "радиостанция",
    "радио", "телекомпания", "издательство", "студия", "лейбл", "партия", "движение", "объединение",
    "блок", "клуб", "команда", "фонд", "ассоциация", "союз", "общество", "институт", "университет",
    "театр", "завод", "фабрика", "комбинат", "предприятие", "организация", "центр", "сеть", "ритейлер",
    "оператор", "авиакомпания", "производитель", "группировка", "коллектив", "ансамбль", "портал",
    "сайт", "медиахолдинг", "телерадиокомпания", "кинокомпания", "инвесткомпания", "госкорпорация",
    "профсоюз", "школа", "академия", "больница", "клиника", "музей", "библиотека",
}
# Lemmas that, right before a quoted name, say the name is an event, a vehicle or a work.
NON_ORG_DESCRIPTORS = {
    "учение", "учения", "операция", "наименование", "название", "маневры", "манёвры", "форум",
    "конкурс", "фестиваль", "акция", "турнир", "чемпионат", "выставка", "премия", "программа",
    "фильм", "сериал", "альбом", "песня", "книга", "роман", "статья", "спектакль", "шаттл", "корабль",
    "станция", "спутник", "ракета", "самолет", "самолёт", "лодка", "крейсер", "авианосец", "ледокол",
    "лозунг", "лейтмотив", "девиз", "марка", "автомобиль", "модель", "телескоп", "аппарат", "бизнес-центр",
    "аэропорт", "стадион", "гостиница", "отель", "ресторан", "кафе", "кинотеатр", "платформа", "игра",
    "миссия", "стратегия", "доктрина", "закон", "резолюция", "операция", "мероприятие", "кампания",
    "слоган", "номинация", "шоу", "передача", "программа", "рубрика", "трек", "композиция", "сингл",
    "поезд", "судно", "теплоход", "комплекс", "система", "бригада", "парк", "улица", "проспект",
    "площадь", "памятник", "орден", "медаль",
}
# Common nouns that name a kind of body; alone («Организации», «Секретариате») they name no entity.
GENERIC_ORG_HEADS = {
    "организация", "секретариат", "миссия", "правительство", "министерство", "комитет", "совет", "университет",
    "институт", "бюро", "союз", "служба", "агентство", "управление", "департамент", "администрация",
    "парламент", "палата", "суд", "прокуратура", "академия", "центр", "фонд", "компания", "партия",
    "комиссия", "ассамблея", "федерация", "ассоциация", "объединение", "сеть", "почта", "войско", "войска",
}
# Descriptors so generic that, followed by nothing but lowercase nouns, they name no body:
# «Организации перечней вооружения» is a descriptor with a genitive object, not a name.
DESCRIPTORS_NEEDING_A_NAME = {"организация"}
# Case endings of adjectives and participles (the tagger sometimes calls a genitive noun ADJ).
ADJECTIVE_ENDINGS = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им",
                     "ых", "их", "ую", "юю", "ыми", "ими")
# Capitalised abbreviations that are not named entities.
NON_ENTITY_ACRONYMS = {
    "СМИ", "ЖЖ", "ВВП", "ДТП", "ЧП", "ИТ", "ПО", "ГМО", "ВИЧ", "СПИД", "ОРВИ", "НДС", "ЖКХ", "ТВ", "ЧС", "АЭС",
    "ГЭС", "ТЭЦ", "ЛЭП", "БПЛА", "ПВО", "ПРО", "ВПК", "ОПК", "РСЗО", "ЗРК", "СВО", "КТО", "ОМП", "ЯО", "ИИ",
    "НКО", "ООО", "ОАО", "ЗАО", "ПАО", "АО", "ИП", "ГУП", "ФГУП", "МУП", "ТЦ", "ЖК",
    "ЕГЭ", "ОГЭ", "ВУЗ", "СМС", "ОС", "СПО", "ИКТ", "ДНК", "РНК", "ФИО", "ИНН", "СНИЛС", "ОСАГО", "КАСКО", "ГСМ", "НПЗ", "МРОТ",
}
# Legal-form and agency abbreviations that stand before a quoted name as its descriptor.
LEGAL_FORMS = {"ОАО", "ЗАО", "ООО", "АО", "ПАО", "НАО", "ГУП", "ФГУП", "МУП", "ИА", "РИА", "ИП", "ТОО", "АНО", "НКО"}
LOC_ACRONYMS = {
    "США", "РФ", "КНР", "КНДР", "ОАЭ", "ЮАР", "ФРГ", "ГДР", "СССР", "ДНР", "ЛНР", "ЦАР", "РСФСР", "УССР",
    "БССР", "ДРК", "ЕАО", "ХМАО", "ЯНАО", "НАО", "ПМР", "ЧССР", "СФРЮ", "КР", "РК", "РТ", "РБ", "ЛО", "МО",
}
# Places in Natasha's eyes that are organisations.
SUPRANATIONAL_ORGS = {
    "ес", "евросоюз", "европейский союз", "еврокомиссия", "европейская комиссия", "нато", "оон", "снг",
    "одкб", "шос", "еаэс", "евразэс", "брикс", "опек", "асеан", "обсе", "оэср", "мвф", "вто", "воз",
}


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """A quoted name: ``open`` and ``close`` are the token indexes of its quote marks."""

    open: int
    close: int

    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close


class SpanFixer:
    """Applies the repair rules to one document's Natasha spans."""

    def __init__(self, text: str, tokens: Sequence, sent_of: Sequence[int], lemma: Callable[[str], str]):
        self.text = text
        self.tokens = tokens
        self.sent_of = sent_of
        self.lemma = lemma
        self.quotes = find_quote_regions(text, tokens)
        self.region_of: dict[int, QuoteRegion] = {}
        for region in self.quotes:
            for i in range(region.open, region.close + 1):
                self.region_of[i] = region
        self._region_kind: dict[QuoteRegion, str] = {}
        self.common_acronyms = self._acronyms_of_common_words()

    # --- public ------------------------------------------------------------------------
    def fix(self, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Repaired and extended spans, sorted and without overlaps."""
        fixed = []
        for start, stop, kind in spans:
            for piece_start, piece_stop in self.split(start, stop):
                piece = self.clean(piece_start, piece_stop, kind)
                if piece:
                    fixed.append(piece)
        fixed.extend(self.quoted_orgs(fixed))
        fixed.extend(self.acronyms(fixed))
        return drop_overlaps(fixed)

    # --- splitting ------------------------------------------------------------------------
    def split(self, start: int, stop: int) -> list[tuple[int, int]]:
        """Cut a span at line breaks, splitting punctuation, quotes and sentence boundaries."""
        pieces, piece_start = [], start
        for i in range(start, stop):
            token = self.tokens[i]
            cut_before = token.text in SPLITTING_PUNCT and not (token.text == "—" and self._same_region(i - 1, i))
            if i > start:
                gap = self.text[self.tokens[i - 1].stop:token.start]
                sentence_break = self.sent_of[i] != self.sent_of[i - 1] and gap and not self._same_region(i - 1, i)
                if "\n" in gap or sentence_break:
                    cut_before = True
            if cut_before:
                pieces.append((piece_start, i))
                piece_start = i + 1 if token.text in SPLITTING_PUNCT else i
        pieces.append((piece_start, stop))
        return [(a, b) for a, b in pieces if b > a]

    def _same_region(self, i: int, j: int) -> bool:
        region = self.region_of.get(i)
        return region is not None and region is self.region_of.get(j)

    # --- cleaning -------------------------------------------------------------------------
    def clean(self, start: int, stop: int, kind: str) -> tuple[int, int, str] | None:
        """Trim a piece; None when nothing that names an entity is left."""
        start, stop = self._trim_punct(start, stop)
        if stop <= start:
            return None
        region = self.region_of.get(start)
        if region is not None and region.inner() == (start, stop):
            if self.region_kind(region) == "other":
                return None
            return start, stop, kind
        while start < stop and self._is_descriptor(self.tokens[start]) and kind == "ORG":
            start += 1
        while stop > start + 1 and self._stands_alone(stop - 1) and self._is_trailing_common_word(self.tokens[stop - 1], kind):
            stop -= 1
        if kind == "PER":
            while start < stop and not any(ch.isupper() for ch in self.tokens[start].text):
                start += 1
        start, stop = self._trim_punct(start, stop)
        if stop <= start or not any(LETTER.search(self.tokens[i].text) for i in range(start, stop)):
            return None
        if stop - start == 1 and self.tokens[start].text in NON_ENTITY_ACRONYMS:
            return None
        if stop - start == 1 and kind == "ORG" and self.lemma(self.tokens[start].text) in GENERIC_ORG_HEADS:
            return None
        if kind == "ORG" and self._descriptor_with_object(start, stop):
            return None
        return start, stop, kind

    def _descriptor_with_object(self, start: int, stop: int) -> bool:
        """A generic descriptor followed by two or more lowercase nouns and nothing else
        («Организации перечней вооружения»): a phrase, not an organisation's name."""
        rest = self.tokens[start + 1:stop]
        return self.lemma(self.tokens[start].text) in DESCRIPTORS_NEEDING_A_NAME and len(rest) >= 2 \
            and all(t.text.islower() and not t.text.endswith(ADJECTIVE_ENDINGS) and t.pos in ("NOUN", "ADJ")
                    for t in rest)

    def _trim_punct(self, start: int, stop: int) -> tuple[int, int]:
        while start < stop and not self._wordlike(self.tokens[start].text):
            start += 1
        while stop > start and not self._wordlike(self.tokens[stop - 1].text):
            stop -= 1
        return start, stop

    @staticmethod
    def _wordlike(text: str) -> bool:
        return any(ch.isalnum() for ch in text)

    def _is_descriptor(self, token) -> bool:
        """A legal-form abbreviation or a lowercase descriptor heading a span («ОАО», «компания»)."""
        text = token.text
        if text.isupper() and text.lower() in ORG_DESCRIPTORS and len(text) <= 4:
            return text in LEGAL_FORMS and self._next_is_quote(token)
        return text.islower() and self.lemma(text) in ORG_DESCRIPTORS

    def _next_is_quote(self, token) -> bool:
        index = self._index_of(token)
        return index + 1 < len(self.tokens) and self.tokens[index + 1].text in ALL_QUOTES

    def _index_of(self, token) -> int:
        return self._token_index[token.start]

    @property
    def _token_index(self) -> dict[int, int]:
        if not hasattr(self, "_index_cache"):
            self._index_cache = {t.start: i for i, t in enumerate(self.tokens)}
        return self._index_cache

    def _stands_alone(self, index: int) -> bool:
        """The token is separated from the one before it (not the «ru» of «Lenta.ru»)."""
        return index == 0 or self.tokens[index].start > self.tokens[index - 1].stop

    @staticmethod
    def _is_trailing_common_word(token, kind: str) -> bool:
        """A lowercase word that cannot end a name («Организации перешло», «Организации экспертного»).

        Organisation and place names may end in a lowercase noun («Белом доме», «Академии
        наук»); person names never end in a lowercase word."""
        text = token.text
        if not text[:1].islower() or not CYRILLIC_WORD.match(text):
            return False
        if kind == "PER":
            return not any(ch.isupper() for ch in text)
        return token.pos not in ("NOUN", "PROPN")

    # --- quoted names ---------------------------------------------------------------------------
    def region_kind(self, region: QuoteRegion) -> str:
        """"org", "other" (event, vehicle, work) or "unknown", from the descriptor before the quote."""
        if region not in self._region_kind:
            self._region_kind[region] = self._classify_region(region)
        return self._region_kind[region]

    def _classify_region(self, region: QuoteRegion) -> str:
        inner_start, inner_stop = region.inner()
        inner_text = self.text[self.tokens[inner_start].start:self.tokens[inner_stop - 1].stop] if inner_stop > inner_start else ""
        if YEAR_SUFFIX.search(inner_text):
            return "other"
        head = self._chain_head(region)
        while head > 0 and self.tokens[head - 1].text.lower() in CHAIN_WORDS:
            head -= 1
        for i in range(head - 1, max(head - 4, -1), -1):
            token = self.tokens[i]
            if self.sent_of[i] != self.sent_of[head] or not LETTER.search(token.text):
                break
            lemma = self.lemma(token.text)
            if lemma in NON_ORG_DESCRIPTORS:
                # «станция „Водоканала“»: a genitive name is the owner, not the object's name
                owner = self.tokens[inner_start].feats.get("Case") == "Gen" if inner_stop > inner_start else False
                return "unknown" if owner and token.feats.get("Case") != "Gen" else "other"
            if lemma in ORG_DESCRIPTORS:
                return "org"
        return "unknown"

    def _chain_head(self, region: QuoteRegion) -> int:
        """Opening quote of the first name in a list «A», «B» и «C» that ``region`` belongs to."""
        head = region.open
        while head > 0:
            i = head - 1
            while i >= 0 and self.tokens[i].text.lower() in CHAIN_WORDS:
                i -= 1
            previous = self.region_of.get(i)
            if i == head - 1 or previous is None or previous.close != i:
                break
            head = previous.open
        return head

    def follows_descriptor(self, region: QuoteRegion) -> bool:
        """The quoted name (or the list «A», «B» и «C» it belongs to) comes right after a descriptor noun
        («компании «Газпром»», «газеты «Известия»», «ОАО «Газпром»»), so it is in the nominative."""
        head = self._chain_head(region)
        if head == 0 or self.sent_of[head - 1] != self.sent_of[head]:
            return False
        token = self.tokens[head - 1]
        if token.text in LEGAL_FORMS:
            return True
        lemma = self.lemma(token.text)
        return token.text.islower() and (lemma in ORG_DESCRIPTORS or lemma in NON_ORG_DESCRIPTORS)

    def quoted_orgs(self, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Quoted names after an organisation descriptor that no span covers yet."""
        covered = covered_tokens(spans)
        found = []
        for region in self.quotes:
            start, stop = region.inner()
            if stop <= start or any(i in covered for i in range(start, stop)):
                continue
            first = self.tokens[start].text
            if not (first[:1].isupper() or first[:1].isdigit()) or stop - start > 8:
                continue
            if self.region_kind(region) == "org":
                found.append((start, stop, "ORG"))
        return found

    # --- acronyms ---------------------------------------------------------------------------
    def acronyms(self, spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Capitalised Cyrillic acronyms (ОДКБ, МГУ) that no span covers: ORG, or LOC for countries."""
        covered = covered_tokens(spans)
        found = []
        for i, token in enumerate(self.tokens):
            text = token.text
            if i in covered or not CYRILLIC_ACRONYM.match(text) or text in NON_ENTITY_ACRONYMS:
                continue
            if len(text) < MIN_ADDED_ACRONYM and text not in LOC_ACRONYMS or text in self.common_acronyms:
                continue
            if self._in_caps_line(i):
                continue
            region = self.region_of.get(i)
            if region is not None and region.inner() == (i, i + 1) and self.region_kind(region) == "other":
                continue
            found.append((i, i + 1, "LOC" if text in LOC_ACRONYMS else "ORG"))
        return found

    def _acronyms_of_common_words(self) -> set[str]:
        """Acronyms the text defines from lowercase words: «программного обеспечения (СПО)»."""
        found = set()
        for i in range(2, len(self.tokens) - 1):
            if self.tokens[i - 1].text == "(" and self.tokens[i + 1].text == ")" \
                    and CYRILLIC_ACRONYM.match(self.tokens[i].text) and self.tokens[i - 2].text.islower():
                found.add(self.tokens[i].text)
        return found

    def _in_caps_line(self, index: int) -> bool:
        """The token stands among other all-caps words (a shouted headline), not in running text."""
        neighbours = [self.tokens[j].text for j in (index - 1, index + 1) if 0 <= j < len(self.tokens)]
        return any(len(w) > 3 and w.isupper() and LETTER.search(w) and w not in LOC_ACRONYMS for w in neighbours
                   if not CYRILLIC_ACRONYM.match(w))


def find_quote_regions(text: str, tokens: Sequence) -> list[QuoteRegion]:
    """Pair quote-mark tokens into regions on one line; straight quotes alternate open/close."""
    regions, stack = [], []
    for i, token in enumerate(tokens):
        if i and "\n" in text[tokens[i - 1].stop:token.start]:
            stack.clear()
        mark = token.text
        if mark not in ALL_QUOTES:
            continue
        if mark in OPENING_QUOTES:
            stack.append((i, mark))
        elif mark in CLOSING_QUOTES or stack and stack[-1][1] in AMBIGUOUS_QUOTES + "„" and _closes_here(tokens, i):
            if stack:
                open_index, _ = stack.pop()
                regions.append(QuoteRegion(open_index, i))
        else:
            stack.append((i, mark))
    return sorted(regions, key=lambda r: r.open)


def _closes_here(tokens: Sequence, index: int) -> bool:
    """An ambiguous quote closes when it is glued to the word before it."""
    return index > 0 and tokens[index - 1].stop == tokens[index].start or index + 1 >= len(tokens) \
        or tokens[index + 1].start > tokens[index].stop


def covered_tokens(spans: Sequence[tuple[int, int, str]]) -> set[int]:
    return {i for start, stop, _ in spans for i in range(start, stop)}


def drop_overlaps(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sorted spans; of two overlapping spans the earlier (then longer) one wins."""
    result: list[tuple[int, int, str]] = []
    for span in sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0]))):
        if result and span[0] < result[-1][1]:
            continue
        result.append(span)
    return result
