"""The post phrase of an occupation: tokens with their morphology, the head noun of a post
(``POSITION_HEADS``, by lemma), the adjectives before it and the genitive or prepositional words
after it up to the organisation, and the post in the nominative («генеральным секретарем ОДКБ» →
«генеральный секретарь»). The patterns that find posts beside names are in :mod:`occupations`.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from razdel import sentenize, tokenize
from newsetl.extractors.models import morph
from newsetl.extractors.facts.structure import paragraphs
from newsetl.schemas.facts import Occupation
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
CANDIDACY_HEADS = frozenset({"кандидат", "претендент"})
LEFT_MARKERS = frozenset({"бывший", "экс", "прежний", "покойный"})
MODIFIER_LEMMAS = frozenset({"бывший", "нынешний", "новый", "прежний", "первый", "второй", "действующий",
                              "временно", "исполняющий", "обязанность", "экс", "вновь", "избранный",
                              "назначенный", "покойный", "генеральный", "главный", "старший"})
PREPOSITIONS = frozenset({"в", "во", "по", "при", "на", "для", "от"})
CONJUNCTIONS = frozenset({"и"})
APPOSITION_SEPARATORS = frozenset({",", "(", "—", "–", "-"})
OPEN_QUOTES = frozenset("«\"“„")
CLOSE_QUOTES = frozenset("»\"”“")


@dataclass(frozen=True, slots=True)
class QuotedName:
    """A quoted organisation name the NER did not tag («Архнадзор»)."""

    start: int
    stop: int

# Predicate triggers: lemma -> occupation kind.
APPOINT_NOUNS = {"назначение": "appointed", "избрание": "appointed", "утверждение": "appointed",
                  "назначить": "appointed", "избрать": "appointed", "утвердить": "appointed",
                  "освобождение": "left", "отставка": "left", "увольнение": "left"}
PREDICATE_VERBS = {"назначить": "appointed", "избрать": "appointed", "стать": "appointed",
                    "утвердить": "appointed", "занять": "appointed", "занимать": "held",
                    "являться": "held", "работать": "held", "служить": "held", "оставаться": "held",
                    "быть": "held",
                    "покинуть": "left", "уйти": "left", "освободить": "left", "уволить": "left"}
POST_NOUNS = frozenset({"пост", "должность", "место", "кресло"})
# «До назначения X был председателем ...»: the appointment is another post's, this one is past.
BEFORE_EVENT = frozenset({"до", "перед", "накануне"})
PASSIVE_APPOINT = frozenset({"назначить", "избрать", "утвердить"})
# Leaving a post without naming it: «подал в отставку», «покинул пост», «освобожден от должности».
LEAVING = re.compile(
    r"(?:под[ао]л[аио]?|уш[её]л|ушл[аио]|(?:был[аио]?\s+)?отправлен[аы]?)\s+в\s+отставку"
    r"|покинул[аио]?\s+(?:свой\s+|занимаемый\s+)?(?:пост|должность)"
    r"|(?:был[аио]?\s+)?(?:освобожд[её]н[аы]?|уволен[аы]?|отстран[её]н[аы]?)\s+от\s+(?:занимаемой\s+)?"
    r"(?:должности|поста)", re.I)
LEAVING_GAP_WORDS = 3
NEAREST_TITLE_CHARS = 600
HOLDING_PHRASES = re.compile(r"\b(?:на\s+посту|на\s+должности|в\s+должности|в\s+качестве)\s+", re.I)


@dataclass(slots=True)
class Token:
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
        return morph().parse(self.text.lower())

    @property
    def is_punct(self) -> bool:
        return all(not ch.isalnum() for ch in self.text)

    def lemma(self) -> str:
        return self.forms[0].normal_form.replace("ё", "е") if self.forms else self.low

    def pos(self) -> str | None:
        return self.forms[0].tag.POS if self.forms else None


def head_lemma(token: Token) -> str | None:
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
        for form in morph().parse(word[4:]):
            if form.normal_form in POSITION_HEADS:
                return form.normal_form
    return None


def is_verb(token: Token) -> bool:
    return token.pos() in {"VERB", "INFN", "GRND", "PRTS"}


def is_adjective(token: Token) -> bool:
    forms = token.forms
    if forms and "Apro" in forms[0].tag:
        return False  # «её основатель»: a pronoun, not part of the post
    return token.pos() in {"ADJF", "PRTF", "NUMR"} or token.lemma() in MODIFIER_LEMMAS


def cases_of(token: Token) -> set[str]:
    """Grammatical cases the token can be in (empty when unknown)."""
    return {f.tag.case for f in token.forms if f.tag.case and f.tag.POS in ("NOUN", "ADJF", "PRTF")}


def nominative_only(token: Token) -> bool:
    """A word that can only be nominative («первая»): it cannot be a genitive complement."""
    cases = cases_of(token)
    return bool(cases) and cases <= {"nomn"}


def plural_head(token: Token) -> bool:
    """A head that can only be plural («руководители»): a list, not one person's post."""
    numbers = {f.tag.number for f in token.forms if f.tag.POS == "NOUN"}
    return numbers == {"plur"}


def agrees_with_person(head: Token, person_tokens: Sequence[Token]) -> bool:
    """Head and name can share a case («президента ... Медведева», not «представителями Путина»)."""
    head_cases = cases_of(head)
    person_cases = set().union(*(cases_of(t) for t in person_tokens)) if person_tokens else set()
    if not head_cases or not person_cases:
        return True
    head_cases |= {"accs"} if "gent" in head_cases else set()
    person_cases |= {"accs"} if "gent" in person_cases else set()
    return bool(head_cases & person_cases)


def span_tokens(text: str, start: int, end: int, mentions: Sequence[Mention]) -> list[Token]:
    """Tokens of ``text[start:end]`` each linked to the mention covering it."""
    starts = [m.start for m in mentions]
    tokens = []
    for tok in tokenize(text[start:end]):
        s, e = start + tok.start, start + tok.stop
        i = bisect_right(starts, s) - 1
        mention = mentions[i] if i >= 0 and mentions[i].start <= s < mentions[i].stop else None
        tokens.append(Token(tok.text, s, e, mention))
    return tokens


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans, never crossing a paragraph (line) boundary."""
    spans = []
    for p_start, p_end in paragraphs(text):
        for sent in sentenize(text[p_start:p_end]):
            spans.append((p_start + sent.start, p_start + sent.stop))
    return spans


# --- the post phrase -------------------------------------------------------------

@dataclass(slots=True)
class Post:
    """A post phrase: token indices [first, head] adjectives+head, complement up to ``end``."""

    first: int
    head: int
    end: int  # exclusive: last non-entity complement token + 1
    org: Mention | None
    org_text: str | None
    stop: int  # exclusive: end of everything consumed (org included)


def nominative_post(tokens: Sequence[Token], first: int, head: int) -> str:
    """«генеральным секретарем» -> «генеральный секретарь»: adjectives agree with the head."""
    head_token = tokens[head]
    head_forms = [f for f in head_token.forms if f.tag.POS == "NOUN"] or head_token.forms
    if not head_forms:
        return " ".join(t.low for t in tokens[first:head + 1])
    head_form = head_forms[0]
    nominative = head_form.inflect({"nomn", "sing"}) or head_form.inflect({"nomn"})
    head_word = nominative.word if nominative else head_form.normal_form
    if head_token.low.startswith("экс-") and not head_word.startswith("экс-"):
        head_word = "экс-" + head_word
    gender = head_form.tag.gender or "masc"
    words = []
    for token in tokens[first:head]:
        adjectives = [f for f in token.forms if f.tag.POS in ("ADJF", "PRTF")]
        inflected = adjectives[0].inflect({"nomn", "sing", gender}) if adjectives else None
        words.append(inflected.word if inflected else token.low)
    words.append(head_word)
    return " ".join(words)


def coordinated_modifier(tokens: Sequence[Token], i: int, limit: int) -> bool:
    """Whether token ``i`` continues a complement after «и» («связи и коммуникаций»)."""
    if i >= limit:
        return False
    tok = tokens[i]
    return (tok.mention is None and not tok.is_punct and tok.text[0].islower() and not nominative_only(tok)
            and not head_lemma(tok) and not is_verb(tok) and tok.pos() not in {"NPRO", "PREP", "CONJ"})


def post_complement(tokens: Sequence[Token], head: int, limit: int) -> tuple[int, Mention | None, int]:
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
        if tok.text in OPEN_QUOTES:
            close = next((k for k in range(i + 1, limit) if tokens[k].text in CLOSE_QUOTES), None)
            if close is None:
                break
            inner = [t.mention for t in tokens[i + 1:close] if t.mention and t.mention.type != "PER"]
            return end, inner[0] if inner else QuotedName(tokens[i + 1].start, tokens[close - 1].stop), close + 1
        if tok.is_punct and tok.text not in "-":
            break
        if nominative_only(tok) and (i == 0 or tokens[i - 1].low not in PREPOSITIONS):
            break
        if is_verb(tok) or (tok.low in CONJUNCTIONS and not coordinated_modifier(tokens, i + 1, limit)):
            break
        if tok.text[0].isupper() and tok.text[0].isalpha():
            break  # an unrecognised proper name: the organisation, handled by the caller
        i += 1
        if tok.low not in PREPOSITIONS and tok.low not in CONJUNCTIONS:
            end = i
    return end, None, end


def post_at(text: str, tokens: Sequence[Token], first: int, head: int, limit: int) -> Post:
    end, org, stop = post_complement(tokens, head, limit)
    if isinstance(org, QuotedName):
        return Post(first, head, end, None, text[org.start:org.stop], stop)
    return Post(first, head, end, org, org.normal if org else None, stop)


def kind_from_modifiers(tokens: Sequence[Token], post: Post, default: str) -> str:
    lemma = head_lemma(tokens[post.head])
    if lemma in CANDIDACY_HEADS:
        return "candidate"
    words = {t.lemma() for t in tokens[post.first:post.head]}
    if words & LEFT_MARKERS or tokens[post.head].low.startswith("экс-"):
        return "left"
    return default


def acting_index(tokens: Sequence[Token], first: int, head: int) -> int | None:
    """Index of «исполняющим» in «(временно) исполняющим обязанности <post>», else None."""
    for i in range(first, head - 1):
        if tokens[i].low.startswith("исполняющ") and tokens[i + 1].low == "обязанности":
            return i
    return None


def acting_position(text: str, tokens: Sequence[Token], first: int, acting: int, end: int) -> str:
    """«временно исполняющим обязанности губернатора» -> «временно исполняющий обязанности губернатора»:
    only the participle is put in the nominative, the post after it stays genitive."""
    forms = [f for f in tokens[acting].forms if f.tag.POS in ("PRTF", "ADJF")]
    nominative = forms[0].inflect({"nomn", "sing", "masc"}) if forms else None
    words = [t.low for t in tokens[first:acting]] + [nominative.word if nominative else tokens[acting].low]
    return " ".join(words + [text[tokens[acting].stop:tokens[end - 1].stop].strip()])


def make_occupation(text: str, tokens: Sequence[Token], post: Post, person: Mention, kind: str,
                span: tuple[int, int], dates: tuple[date | None, date | None] = (None, None)) -> Occupation:
    position_start = tokens[post.first].start
    position_end = tokens[post.end - 1].stop
    acting = acting_index(tokens, post.first, post.head)
    if acting is not None:
        position = acting_position(text, tokens, post.first, acting, post.end)
    else:
        position = nominative_post(tokens, post.first, post.head)
        if post.end > post.head + 1:
            position += " " + text[tokens[post.head].stop:position_end].strip()
    return Occupation(
        person_key=person.key, person=person.normal, position=position,
        org_key=post.org.key if post.org else None, org=post.org_text,
        start=dates[0], end=dates[1], kind=kind_from_modifiers(tokens, post, kind),
        evidence=text[span[0]:span[1]], char_start=span[0], char_end=span[1],
        position_start=position_start, position_end=position_end,
    )


def mention_range(tokens: Sequence[Token], mention: Mention) -> tuple[int, int]:
    idx = [i for i, t in enumerate(tokens) if t.mention is mention]
    return idx[0], idx[-1] + 1
