"""Occupations: who holds, held, was appointed to, ran for or left which post.

Four patterns, each over one sentence (or one list item) and the entity mentions:

* title before the name: «Генеральный секретарь ОДКБ Таалатбек Масадыков»,
  «мэра Москвы Юрия Лужкова», «Глава государства Казахстана Касым-Жомарт Токаев»;
* title after the name: «Алексей Кудрин, министр финансов», «Удальцов (координатор
  Левого фронта)», «Вельмакин — депутат ...»;
* a predicate: «назначении Таалатбека Масадыкова генеральным секретарем ОДКБ»,
  «Масадыков занимал пост заместителя генерального секретаря ОДКБ», «... на посту
  генерального секретаря организации»;
* a biography list whose items carry year ranges: «политический советник ... Миссии
  ООН в Афганистане (2002–2014)» — the person is the one the section is about.

A post is recognised by its head noun (``POSITION_HEADS``, by lemma); adjectives
before it and genitive/prepositional words after it up to the organisation
belong to the post.  The organisation is the first ORG/LOC mention after it.
Morphology (lemmas, case, nominative forms) comes from Natasha's MorphVocab.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from razdel import sentenize, tokenize

from newsetl.extractors.facts.coref import (
    morph_vocab, nominative_phrase, resolve_descriptor, resolve_pronoun,
)
from newsetl.extractors.facts.dates import extract_dates
from newsetl.extractors.facts.structure import paragraphs
from newsetl.schemas.facts import DateExpr, Occupation
from newsetl.schemas.records import Mention

POSITION_HEADS = frozenset("""
президент вице-президент премьер-министр премьер вице-премьер министр замминистра министерство
глава замглавы губернатор вице-губернатор мэр вице-мэр председатель зампред зампредседателя
сопредседатель директор гендиректор замдиректора руководитель худрук начальник замначальника
заместитель секретарь генсек госсекретарь пресс-секретарь посол полпред представитель депутат
сенатор спикер лидер координатор советник помощник член основатель владелец совладелец канцлер
король королева царь шеф главнокомандующий командующий командир тренер бундестренер наставник
капитан вратарь защитник полузащитник нападающий форвард астронавт космонавт фотограф редактор
главред корреспондент обозреватель экономист аналитик эксперт профессор ректор декан архиепископ
патриарх митрополит епископ генерал генерал-майор генерал-лейтенант генерал-полковник полковник
адмирал маршал парламентарий управляющий оператор солист хореограф наблюдатель докладчик прокурор
генпрокурор судья омбудсмен уполномоченный консул атташе дипломат аким префект консультант
кандидат претендент президент-элект сотрудник вице-спикер
""".split()) - {"министерство"}

# Relations between people, not posts: «Его предшественник Алексей Смирнов».
RELATIONAL_NOUNS = frozenset({"предшественник", "преемник", "коллега", "соратник", "сторонник", "противник",
                              "союзник", "соперник", "оппонент", "партнер", "друг", "подчиненный"})
assert not POSITION_HEADS & RELATIONAL_NOUNS

# Heads that name a post only with an organisation or a name after them (too generic alone).
_CANDIDACY_HEADS = frozenset({"кандидат", "претендент"})
_LEFT_MARKERS = frozenset({"бывший", "экс", "прежний", "покойный"})
_MODIFIER_LEMMAS = frozenset({"бывший", "нынешний", "новый", "прежний", "первый", "второй", "действующий",
                              "временно", "исполняющий", "обязанность", "экс", "вновь", "избранный",
                              "назначенный", "покойный", "генеральный", "главный", "старший"})
_PREPOSITIONS = frozenset({"в", "во", "по", "при", "на", "для", "от"})
_CONJUNCTIONS = frozenset({"и"})
_APPOSITION_SEPARATORS = frozenset({",", "(", "—", "–", "-"})
_OPEN_QUOTES = frozenset("«\"“„")
_CLOSE_QUOTES = frozenset("»\"”“")


@dataclass(frozen=True, slots=True)
class _QuotedName:
    """A quoted organisation name the NER did not tag («Архнадзор»)."""

    start: int
    stop: int

# Predicate triggers: lemma -> occupation kind.
_APPOINT_NOUNS = {"назначение": "appointed", "избрание": "appointed", "утверждение": "appointed",
                  "назначить": "appointed", "избрать": "appointed", "утвердить": "appointed",
                  "освобождение": "left", "отставка": "left", "увольнение": "left"}
_PREDICATE_VERBS = {"назначить": "appointed", "избрать": "appointed", "стать": "appointed",
                    "утвердить": "appointed", "занять": "appointed", "занимать": "held",
                    "являться": "held", "работать": "held", "служить": "held", "оставаться": "held",
                    "быть": "held",
                    "покинуть": "left", "уйти": "left", "освободить": "left", "уволить": "left"}
_POST_NOUNS = frozenset({"пост", "должность", "место", "кресло"})
# «До назначения X был председателем ...»: the appointment is another post's, this one is past.
_BEFORE_EVENT = frozenset({"до", "перед", "накануне"})
_PASSIVE_APPOINT = frozenset({"назначить", "избрать", "утвердить"})
# Leaving a post without naming it: «подал в отставку», «покинул пост», «освобожден от должности».
_LEAVING = re.compile(
    r"(?:под[ао]л[аио]?|уш[её]л|ушл[аио]|(?:был[аио]?\s+)?отправлен[аы]?)\s+в\s+отставку"
    r"|покинул[аио]?\s+(?:свой\s+|занимаемый\s+)?(?:пост|должность)"
    r"|(?:был[аио]?\s+)?(?:освобожд[её]н[аы]?|уволен[аы]?|отстран[её]н[аы]?)\s+от\s+(?:занимаемой\s+)?"
    r"(?:должности|поста)", re.I)
_LEAVING_GAP_WORDS = 3
_NEAREST_TITLE_CHARS = 600
_HOLDING_PHRASES = re.compile(r"\b(?:на\s+посту|на\s+должности|в\s+должности|в\s+качестве)\s+", re.I)


@dataclass(slots=True)
class _Token:
    """A word or punctuation token with its morphology and the mention it belongs to."""

    text: str
    start: int
    stop: int
    mention: Mention | None

    @property
    def low(self) -> str:
        return self.text.casefold().replace("ё", "е")

    @property
    def forms(self):
        return morph_vocab().parse(self.text.lower())

    @property
    def is_punct(self) -> bool:
        return all(not ch.isalnum() for ch in self.text)

    def lemma(self) -> str:
        return self.forms[0].normal_form.replace("ё", "е") if self.forms else self.low

    def pos(self) -> str | None:
        return self.forms[0].tag.POS if self.forms else None


def _head_lemma(token: _Token) -> str | None:
    """The position lemma of a head noun («секретарем» -> «секретарь»), else None."""
    if token.mention is not None or token.is_punct or not token.text[0].isalpha():
        return None
    word = token.low
    if word in RELATIONAL_NOUNS or token.lemma() in RELATIONAL_NOUNS:
        return None
    for prefix in ("экс-", "экс"):
        if word.startswith(prefix) and word[len(prefix):] in POSITION_HEADS:
            return word[len(prefix):]
    if word in POSITION_HEADS:
        return word
    forms = token.forms
    if forms and forms[0].tag.POS not in ("NOUN", "ADJF", "PRTF"):
        return None  # «после» is a preposition first, not «посол»
    for form in forms:
        lemma = form.normal_form.replace("ё", "е")
        if lemma in POSITION_HEADS and form.tag.POS == "NOUN":
            return lemma
    if word.startswith("экс-"):
        for form in morph_vocab().parse(word[4:]):
            if form.normal_form in POSITION_HEADS:
                return form.normal_form
    return None


def _is_verb(token: _Token) -> bool:
    return token.pos() in {"VERB", "INFN", "GRND", "PRTS"}


def _is_adjective(token: _Token) -> bool:
    forms = token.forms
    if forms and "Apro" in forms[0].tag:
        return False  # «её основатель»: a pronoun, not part of the post
    return token.pos() in {"ADJF", "PRTF", "NUMR"} or token.lemma() in _MODIFIER_LEMMAS


def _cases(token: _Token) -> set[str]:
    """Grammatical cases the token can be in (empty when unknown)."""
    return {f.tag.case for f in token.forms if f.tag.case and f.tag.POS in ("NOUN", "ADJF", "PRTF")}


def _nominative_only(token: _Token) -> bool:
    """A word that can only be nominative («первая»): it cannot be a genitive complement."""
    cases = _cases(token)
    return bool(cases) and cases <= {"nomn"}


def _plural_head(token: _Token) -> bool:
    """A head that can only be plural («руководители»): a list, not one person's post."""
    numbers = {f.tag.number for f in token.forms if f.tag.POS == "NOUN"}
    return numbers == {"plur"}


def _agrees(head: _Token, person_tokens: Sequence[_Token]) -> bool:
    """Head and name can share a case («президента ... Медведева», not «представителями Путина»)."""
    head_cases = _cases(head)
    person_cases = set().union(*(_cases(t) for t in person_tokens)) if person_tokens else set()
    if not head_cases or not person_cases:
        return True
    head_cases |= {"accs"} if "gent" in head_cases else set()
    person_cases |= {"accs"} if "gent" in person_cases else set()
    return bool(head_cases & person_cases)


def _tokens(text: str, start: int, end: int, mentions: Sequence[Mention]) -> list[_Token]:
    """Tokens of ``text[start:end]`` each linked to the mention covering it."""
    starts = [m.start for m in mentions]
    tokens = []
    for tok in tokenize(text[start:end]):
        s, e = start + tok.start, start + tok.stop
        i = bisect_right(starts, s) - 1
        mention = mentions[i] if i >= 0 and mentions[i].start <= s < mentions[i].stop else None
        tokens.append(_Token(tok.text, s, e, mention))
    return tokens


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, never crossing a paragraph (line) boundary."""
    spans = []
    for p_start, p_end in paragraphs(text):
        for sent in sentenize(text[p_start:p_end]):
            spans.append((p_start + sent.start, p_start + sent.stop))
    return spans


# --- the post phrase -------------------------------------------------------------

@dataclass(slots=True)
class _Post:
    """A post phrase: token indices [first, head] adjectives+head, complement up to ``end``."""

    first: int
    head: int
    end: int  # exclusive: last non-entity complement token + 1
    org: Mention | None
    org_text: str | None
    stop: int  # exclusive: end of everything consumed (org included)


def _nominative(tokens: Sequence[_Token], first: int, head: int) -> str:
    """«генеральным секретарем» -> «генеральный секретарь»: adjectives agree with the head."""
    head_token = tokens[head]
    head_forms = [f for f in head_token.forms if f.tag.POS == "NOUN"] or head_token.forms
    if not head_forms:
        return " ".join(t.low for t in tokens[first:head + 1])
    head_form = head_forms[0]
    nominative = head_form.inflect({"Nom", "Sing"}) or head_form.inflect({"Nom"})
    head_word = nominative.word if nominative else head_form.normal_form
    if head_token.low.startswith("экс-") and not head_word.startswith("экс-"):
        head_word = "экс-" + head_word
    gender = {"masc": "Masc", "femn": "Fem", "neut": "Neut"}.get(head_form.tag.gender, "Masc")
    words = []
    for token in tokens[first:head]:
        adjectives = [f for f in token.forms if f.tag.POS in ("ADJF", "PRTF")]
        inflected = adjectives[0].inflect({"Nom", "Sing", gender}) if adjectives else None
        words.append(inflected.word if inflected else token.low)
    words.append(head_word)
    return " ".join(words)


def _coordinated_modifier(tokens: Sequence[_Token], i: int, limit: int) -> bool:
    """Whether token ``i`` continues a complement after «и» («связи и коммуникаций»)."""
    if i >= limit:
        return False
    tok = tokens[i]
    return (tok.mention is None and not tok.is_punct and tok.text[0].islower() and not _nominative_only(tok)
            and not _head_lemma(tok) and not _is_verb(tok) and tok.pos() not in {"NPRO", "PREP", "CONJ"})


def _complement(tokens: Sequence[_Token], head: int, limit: int) -> tuple[int, Mention | None, int]:
    """Extend a post after its head: genitive words, prepositions, up to the first ORG/LOC.

    Returns (end of the non-entity complement, the organisation mention, end of all consumed).
    """
    i = head + 1
    end = head + 1
    while i < limit:
        tok = tokens[i]
        if tok.mention is not None:
            if tok.mention.type == "PER":
                break
            org = tok.mention
            while i < limit and tokens[i].mention is org:
                i += 1
            return end, org, i
        if tok.text in _OPEN_QUOTES:
            close = next((k for k in range(i + 1, limit) if tokens[k].text in _CLOSE_QUOTES), None)
            if close is None:
                break
            inner = [t.mention for t in tokens[i + 1:close] if t.mention and t.mention.type != "PER"]
            return end, inner[0] if inner else _QuotedName(tokens[i + 1].start, tokens[close - 1].stop), close + 1
        if tok.is_punct and tok.text not in "-":
            break
        if _nominative_only(tok) and (i == 0 or tokens[i - 1].low not in _PREPOSITIONS):
            break
        if _is_verb(tok) or (tok.low in _CONJUNCTIONS and not _coordinated_modifier(tokens, i + 1, limit)):
            break
        if tok.text[0].isupper() and tok.text[0].isalpha():
            break  # an unrecognised proper name: the organisation, handled by the caller
        i += 1
        if tok.low not in _PREPOSITIONS and tok.low not in _CONJUNCTIONS:
            end = i
    return end, None, end


def _post_at(text: str, tokens: Sequence[_Token], first: int, head: int, limit: int) -> _Post:
    end, org, stop = _complement(tokens, head, limit)
    if isinstance(org, _QuotedName):
        return _Post(first, head, end, None, text[org.start:org.stop], stop)
    return _Post(first, head, end, org, org.normal if org else None, stop)


def _kind_from_modifiers(tokens: Sequence[_Token], post: _Post, default: str) -> str:
    lemma = _head_lemma(tokens[post.head])
    if lemma in _CANDIDACY_HEADS:
        return "candidate"
    words = {t.lemma() for t in tokens[post.first:post.head]}
    if words & _LEFT_MARKERS or tokens[post.head].low.startswith("экс-"):
        return "left"
    return default


def _acting(tokens: Sequence[_Token], first: int, head: int) -> int | None:
    """Index of «исполняющим» in «(временно) исполняющим обязанности <post>», else None."""
    for i in range(first, head - 1):
        if tokens[i].low.startswith("исполняющ") and tokens[i + 1].low == "обязанности":
            return i
    return None


def _acting_position(text: str, tokens: Sequence[_Token], first: int, acting: int, end: int) -> str:
    """«временно исполняющим обязанности губернатора» -> «временно исполняющий обязанности губернатора»:
    only the participle is put in the nominative, the post after it stays genitive."""
    forms = [f for f in tokens[acting].forms if f.tag.POS in ("PRTF", "ADJF")]
    nominative = forms[0].inflect({"Nom", "Sing", "Masc"}) if forms else None
    words = [t.low for t in tokens[first:acting]] + [nominative.word if nominative else tokens[acting].low]
    return " ".join(words + [text[tokens[acting].stop:tokens[end - 1].stop].strip()])


def _occupation(text: str, tokens: Sequence[_Token], post: _Post, person: Mention, kind: str,
                span: tuple[int, int], dates: tuple[date | None, date | None] = (None, None)) -> Occupation:
    position_start = tokens[post.first].start
    position_end = tokens[post.end - 1].stop
    acting = _acting(tokens, post.first, post.head)
    if acting is not None:
        position = _acting_position(text, tokens, post.first, acting, post.end)
    else:
        position = _nominative(tokens, post.first, post.head)
        if post.end > post.head + 1:
            position += " " + text[tokens[post.head].stop:position_end].strip()
    return Occupation(
        person_key=person.key, person=person.normal, position=position,
        org_key=post.org.key if post.org else None, org=post.org_text,
        start=dates[0], end=dates[1], kind=_kind_from_modifiers(tokens, post, kind),
        evidence=text[span[0]:span[1]], char_start=span[0], char_end=span[1],
        position_start=position_start, position_end=position_end,
    )


def _mention_range(tokens: Sequence[_Token], mention: Mention) -> tuple[int, int]:
    idx = [i for i, t in enumerate(tokens) if t.mention is mention]
    return idx[0], idx[-1] + 1


# --- pattern 1: title before the name ---------------------------------------------

def _title_before(tokens: Sequence[_Token], first: int) -> tuple[int, int] | None:
    """(first token, head token) of a title that ends right before token ``first``."""
    i = first - 1
    window: list[int] = []
    head_seen = False
    while i >= 0 and len(window) < 12:
        tok = tokens[i]
        if tok.mention is not None:
            if tok.mention.type == "PER" or head_seen:
                break
            window.insert(0, i)
        elif tok.text in _OPEN_QUOTES or tok.text in _CLOSE_QUOTES:
            if head_seen:
                break
            window.insert(0, i)
        elif tok.is_punct:
            break
        elif _head_lemma(tok):
            if head_seen and "gent" not in _cases(tokens[window[0]]) and _head_lemma(tokens[window[0]]):
                break  # «кабинета министров глава правительства»: «глава» is not governed by «министров»
            head_seen = True
            window.insert(0, i)
        elif tok.low in _PREPOSITIONS or tok.low in _CONJUNCTIONS:
            if head_seen:
                break
            window.insert(0, i)
        elif _is_verb(tok):
            break
        elif head_seen:
            if not _is_adjective(tok):
                break
            window.insert(0, i)
        else:
            window.insert(0, i)
        i -= 1
    heads = [j for j in window if _head_lemma(tokens[j])]
    if not heads:
        return None
    head = heads[0]
    start = head
    while start - 1 >= window[0] and start - 1 not in heads and _is_adjective(tokens[start - 1]):
        start -= 1
    if start >= 3 and tokens[start - 1].low == "в" and _head_lemma(tokens[start - 2]) in _CANDIDACY_HEADS:
        start = head = start - 2  # «кандидат в президенты Беларуси Андрей Санников»
    if tokens[head].low in _CANDIDACY_HEADS and head + 1 == first:
        return None
    return start, head


def _occupations_title_before(text, tokens, person: Mention) -> list[Occupation]:
    """Titles right before the name, following a comma-separated chain of them leftwards."""
    first, last = _mention_range(tokens, person)
    found = []
    boundary = first
    while True:
        title = _title_before(tokens, boundary)
        if not title:
            break
        start, head = title
        if not _agrees(tokens[head], tokens[first:last]) or _plural_head(tokens[head]):
            break
        post = _post_at(text, tokens, start, head, boundary)
        if post.org is None and post.org_text is None and post.stop < boundary:
            gap = tokens[post.stop:boundary]
            if not gap[0].text[0].isupper():
                break  # «Президент и первая леди Мишель Обама»: the name is not the post's
            # An organisation the NER missed: «глава Минфина Алексей Кудрин».
            post.org_text = nominative_phrase(text[gap[0].start:gap[-1].stop])
        span = (tokens[start].start, tokens[last - 1].stop)
        found.append(_occupation(text, tokens, post, person, "held", span))
        if start < 2 or tokens[start - 1].text != ",":
            break
        boundary = start - 1
    return found


# --- pattern 2: title after the name ------------------------------------------------

def _occupations_title_after(text, tokens, person: Mention) -> list[Occupation]:
    first, last = _mention_range(tokens, person)
    if last >= len(tokens) or tokens[last].text not in _APPOSITION_SEPARATORS:
        return []
    i = last + 1
    start = i
    while i < len(tokens) and i - start < 3 and not _head_lemma(tokens[i]) and _is_adjective(tokens[i]):
        i += 1
    if i >= len(tokens) or not _head_lemma(tokens[i]):
        return []
    if _plural_head(tokens[i]):
        return []
    post = _post_at(text, tokens, start, i, len(tokens))
    if post.stop < len(tokens) and tokens[post.stop].mention is not None and tokens[post.stop].mention.type == "PER":
        return []  # «Лэмпард, капитан клуба «Тоттенхэм» Ледли Кинг»: the title is Кинг's
    span = (tokens[first].start, tokens[post.stop - 1].stop)
    return [_occupation(text, tokens, post, person, "held", span)]


# --- pattern 3: predicates ----------------------------------------------------------

def _post_after(text: str, tokens: Sequence[_Token], i: int, max_skip: int = 4) -> _Post | None:
    """The first post starting within ``max_skip`` tokens after ``i`` (skipping «на пост»)."""
    j = i
    first = None
    while j < len(tokens) and j - i <= max_skip:
        tok = tokens[j]
        if _head_lemma(tok):
            return _post_at(text, tokens, first if first is not None else j, j, len(tokens))
        if tok.mention is not None or (tok.is_punct and tok.text != "-"):
            return None
        if _is_adjective(tok) and tok.low not in _POST_NOUNS:
            first = j if first is None else first
        else:
            first = None
        j += 1
    return None


def _dates_for(dates: Sequence[DateExpr], start: int, end: int) -> tuple[date | None, date | None]:
    """Valid time from the date expressions inside [start, end): «с ...», «до ...», ranges, terms."""
    since = until = None
    term = None
    for expr in dates:
        if not (start <= expr.char_start and expr.char_end <= end):
            continue
        surface = expr.surface.casefold()
        if expr.granularity == "duration":
            term = expr.duration
        elif expr.start is None:
            continue
        elif re.match(r"(?:со?|от)\s", surface):
            since = expr.start
        elif re.match(r"(?:до|по)\s", surface):
            until = expr.end
        elif since is None:
            since, until = expr.start, expr.end
    if since and term and until is None:
        match = re.fullmatch(r"P(\d+)([YMD])", term)
        if match:
            n, unit = int(match.group(1)), match.group(2)
            if unit == "Y":
                until = _add_years(since, n)
    return since, until


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _occupations_predicate(text, tokens, person: Mention, dates, sentence) -> list[Occupation]:
    first, last = _mention_range(tokens, person)
    found = []
    # «назначении PER генеральным секретарем ...»
    for k in range(max(0, first - 2), first):
        kind = _APPOINT_NOUNS.get(tokens[k].lemma())
        if kind and k > 0 and tokens[k - 1].low in _BEFORE_EVENT:
            break  # «До назначения PER был ...»: read the verb below
        if kind:
            post = _post_after(text, tokens, last, max_skip=3)
            if post:
                span = (tokens[k].start, tokens[post.stop - 1].stop)
                found.append(_occupation(text, tokens, post, person, kind, span,
                                         _dates_for(dates, tokens[k].start, sentence[1])))
                return found
    # «PER занимал пост заместителя ...», «PER назначен послом ...»
    for k in range(last, min(len(tokens), last + 6)):
        tok = tokens[k]
        if tok.mention is not None or (tok.is_punct and tok.text != "-"):
            break
        kind = _PREDICATE_VERBS.get(tok.lemma()) if _is_verb(tok) else None
        if kind == "held" and tok.lemma() == "быть" and k + 1 < len(tokens) and _is_verb(tokens[k + 1]) \
                and tokens[k + 1].lemma() in _PREDICATE_VERBS:
            continue  # «был назначен»: the participle decides
        if kind:
            post = _post_after(text, tokens, k + 1)
            if post:
                span = (tokens[first].start, tokens[post.stop - 1].stop)
                found.append(_occupation(text, tokens, post, person, kind, span,
                                         _dates_for(dates, sentence[0], sentence[1])))
            return found
    # «PER за работу на посту генерального секретаря организации»
    tail = text[tokens[last - 1].stop:sentence[1]]
    holding = _HOLDING_PHRASES.search(tail)
    if holding and holding.start() < 40:
        offset = tokens[last - 1].stop + holding.end()
        k = next((j for j, t in enumerate(tokens) if t.start >= offset), None)
        post = _post_after(text, tokens, k, max_skip=2) if k is not None else None
        if post:
            span = (tokens[first].start, tokens[post.stop - 1].stop)
            found.append(_occupation(text, tokens, post, person, "held", span,
                                     _dates_for(dates, sentence[0], sentence[1])))
    return found


def _occupations_passive(text, tokens, person: Mention, dates, sentence) -> list[Occupation]:
    """«Исполняющим обязанности главы назначен его первый заместитель PER»: an instrumental
    post right before a passive «назначен/избран/утвержден», the person after it."""
    first, last = _mention_range(tokens, person)
    for v in range(first - 1, 0, -1):
        tok = tokens[v]
        if tok.mention is not None or (tok.is_punct and tok.text != "-"):
            return []
        if tok.pos() != "PRTS" or tok.lemma() not in _PASSIVE_APPOINT:
            continue
        title = _title_before(tokens, v)
        if title is None:
            return []
        start, head = title
        acting = _acting(tokens, start, head)
        if "ablt" not in _cases(tokens[acting if acting is not None else head]):
            return []
        post = _post_at(text, tokens, start, head, v)
        span = (tokens[start].start, tokens[last - 1].stop)
        return [_occupation(text, tokens, post, person, "appointed", span,
                            _dates_for(dates, sentence[0], sentence[1]))]
    return []


def _leaving(text: str, tokens: Sequence[_Token], person: Mention) -> re.Match[str] | None:
    """«подал в отставку», «покинул пост» ... within a few words after the person's name."""
    _, last = _mention_range(tokens, person)
    match = _LEAVING.search(text, tokens[last - 1].stop, tokens[-1].stop)
    if match is None:
        return None
    gap = text[tokens[last - 1].stop:match.start()]
    if re.search(r"[.,;:!?()«»\"]", gap) or len(gap.split()) > _LEAVING_GAP_WORDS:
        return None
    return match


def _occupations_left(text, tokens, person: Mention, earlier: Sequence[Occupation]) -> list[Occupation]:
    """Kind ``left`` for a person who resigns or is dismissed.

    The post is the one named after the phrase («ушел в отставку с поста губернатора»),
    else the person's title in this sentence, else the person's nearest earlier title.
    """
    match = _leaving(text, tokens, person)
    if match is None:
        return []
    after = next((j for j, t in enumerate(tokens) if t.start >= match.end()), None)
    post = _post_after(text, tokens, after, max_skip=2) if after is not None else None
    if post is not None and tokens[post.first].start - match.end() < 12:
        first, _ = _mention_range(tokens, person)
        return [_occupation(text, tokens, post, person, "left", (tokens[first].start, tokens[post.stop - 1].stop))]
    titles = [o for o in earlier if o.person_key == person.key and o.char_start < match.start()
              and match.start() - o.char_start <= _NEAREST_TITLE_CHARS]
    if not titles:
        return []
    nearest = max(titles, key=lambda o: o.char_start)
    return [replace(nearest, kind="left", start=None, end=None,
                    evidence=text[nearest.char_start:match.end()], char_end=match.end())]


# --- pattern 4: biography lists ---------------------------------------------------------

_ITEM_LABEL = re.compile(r"[^:\n]{1,60}?\s:\s+|[^:\n]{1,40}:\s+")
_YEAR_IN_PARENS = re.compile(r"\((?:19|20)\d{2}")


def _biography_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The comma/semicolon-separated items of a list paragraph, its «Label :» cut off."""
    label = _ITEM_LABEL.match(text, start, end)
    pos = label.end() if label else start
    items, depth, item_start = [], 0, pos
    for i in range(pos, end):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and ch in ",;":
            items.append((item_start, i))
            item_start = i + 1
    items.append((item_start, end))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in items if text[s:e].strip()]


def _item_org(text: str, tokens: Sequence[_Token], post: _Post, item_end: int) -> _Post:
    """Without an ORG/LOC mention, take a capitalised phrase after the post as the organisation."""
    if post.org is not None or post.end >= len(tokens):
        return post
    tok = tokens[post.end]
    if tok.start < item_end and tok.text[0].isupper():
        stop = post.end
        while stop < len(tokens) and tokens[stop].start < item_end and tokens[stop].text != "(":
            stop += 1
        post.org_text = nominative_phrase(text[tok.start:tokens[stop - 1].stop])
        post.stop = stop
    return post


def _occupations_biography(text, mentions, dates, subject: Mention, start: int, end: int) -> list[Occupation]:
    """One occupation per post heading an item of a biography list paragraph."""
    found = []
    for item_start, item_end in _biography_items(text, start, end):
        tokens = _tokens(text, item_start, item_end, mentions)
        heads = []
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and j - i < 3 and _is_adjective(tokens[j]) and not _head_lemma(tokens[j]):
                j += 1
            if j < len(tokens) and _head_lemma(tokens[j]):
                heads.append((i, j))
                if j + 1 < len(tokens) and tokens[j + 1].low in _CONJUNCTIONS:
                    i = j + 2
                    continue
            break
        posts = [_item_org(text, tokens, _post_at(text, tokens, first, head, len(tokens)), item_end)
                 for first, head in heads]
        for post in posts:
            if post.org is None and post.org_text is None:
                # «политический советник и директор ... Миссии ООН»: coordinated posts share the org.
                post.org, post.org_text = posts[-1].org, posts[-1].org_text
            found.append(_occupation(text, tokens, post, subject, "held", (item_start, item_end),
                                     _dates_for(dates, item_start, item_end)))
    return found


def _biography_subject(mentions: Sequence[Mention], before: int, since: int) -> Mention | None:
    """The last PER mention in [since, before), else the last one before ``before``."""
    people = [m for m in mentions if m.type == "PER" and m.stop <= before]
    recent = [m for m in people if m.start >= since]
    return (recent or people or [None])[-1]


# --- entry point ------------------------------------------------------------------

def extract_occupations(text: str, mentions: Sequence[Mention],
                        dates: Sequence[DateExpr] | None = None,
                        section_starts: Sequence[int] = ()) -> list[Occupation]:
    """Occupation records for the PER mentions of ``text`` (see the module doc).

    ``dates`` are the document's date expressions (computed when not given);
    ``section_starts`` are heading offsets that bound a biography's subject search.
    """
    mentions = sorted(mentions, key=lambda m: m.start)
    if dates is None:
        dates = extract_dates(text)
    found: list[Occupation] = []
    sentences = [(sentence, _tokens(text, sentence[0], sentence[1], mentions)) for sentence in _sentences(text)]
    for sentence, tokens in sentences:
        people = [m for m in mentions if m.type == "PER" and sentence[0] <= m.start < sentence[1]]
        for person in people:
            if not any(t.mention is person for t in tokens):
                continue
            found += _occupations_title_before(text, tokens, person)
            found += _occupations_title_after(text, tokens, person)
            found += _occupations_predicate(text, tokens, person, dates, sentence)
            found += _occupations_passive(text, tokens, person, dates, sentence)
            found += _occupations_left(text, tokens, person, found)
        for stand_in in _pronoun_stand_ins(tokens, mentions):
            found += _occupations_predicate(text, tokens, stand_in, dates, sentence)
    for p_start, p_end in paragraphs(text):
        if not _YEAR_IN_PARENS.search(text, p_start, p_end):
            continue
        if any(m.type == "PER" and p_start <= m.start < p_end for m in mentions):
            continue
        since = max([s for s in section_starts if s <= p_start], default=0)
        subject = _biography_subject(mentions, p_start, since)
        if subject:
            found += _occupations_biography(text, mentions, dates, subject, p_start, p_end)
    return _drop_duplicates(_with_descriptor_orgs(text, found, mentions))


# --- light coreference (see facts.coref) ----------------------------------------------------

def _pronoun_stand_ins(tokens: list[_Token], mentions: Sequence[Mention]) -> list[Mention]:
    """«Он занимал пост ...»: each subject pronoun becomes a PER mention of the person it stands for
    (attached to its token, so the predicate pattern reads it like a name)."""
    stand_ins = []
    for token in tokens:
        if token.mention is not None or token.low not in ("он", "она"):
            continue
        person = resolve_pronoun(mentions, token.text, token.start)
        if person is not None:
            token.mention = Mention(token.start, token.stop, "PER", token.text, person.normal,
                                    person.sentence_no, person.key)
            stand_ins.append(token.mention)
    return stand_ins


def _with_descriptor_orgs(text: str, found: Sequence[Occupation], mentions: Sequence[Mention]) -> list[Occupation]:
    """Occupations whose post ends in a descriptor get the organisation (or place) named before it."""
    resolved = []
    for occupation in found:
        words = text[occupation.position_start:occupation.position_end].split()
        if occupation.org is None and len(words) > 1:
            org = resolve_descriptor(mentions, words[-1].strip(".,"), occupation.position_start)
            if org is not None:
                occupation = replace(occupation, org_key=org.key, org=org.normal)
        resolved.append(occupation)
    return resolved


def _drop_duplicates(found: list[Occupation]) -> list[Occupation]:
    """One record per (person key, post span); the predicate reading wins (it has a kind/dates)."""
    best: dict[tuple[str, int], Occupation] = {}
    for occ in found:
        key = (occ.person_key, occ.position_start)
        if key not in best or (best[key].kind == "held" and occ.kind != "held") or \
                (occ.start and not best[key].start):
            best[key] = occ
    return sorted(best.values(), key=lambda o: (o.char_start, o.position_start))
