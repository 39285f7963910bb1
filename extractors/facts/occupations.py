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
Morphology (lemmas, case, nominative forms) comes from pymorphy3 (:mod:`newsetl.extractors.models`).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from newsetl.extractors.facts.coref import (
    nominative_phrase, resolve_descriptor, resolve_pronoun, unnamed_post_occupations,
)
from newsetl.extractors.facts.dates import extract_dates
from newsetl.extractors.facts.posts import (
    APPOINT_NOUNS, APPOSITION_SEPARATORS, BEFORE_EVENT, CANDIDACY_HEADS, CLOSE_QUOTES, CONJUNCTIONS,
    HOLDING_PHRASES, LEAVING, LEAVING_GAP_WORDS, NEAREST_TITLE_CHARS, OPEN_QUOTES, PASSIVE_APPOINT,
    POST_NOUNS, PREDICATE_VERBS, PREPOSITIONS, Post, Token, acting_index, agrees_with_person,
    cases_of, head_lemma, is_adjective, is_verb, make_occupation, mention_range, plural_head,
    post_at, sentence_spans, span_tokens,
)
from newsetl.extractors.facts.structure import paragraphs
from newsetl.schemas.facts import DateExpr, Occupation
from newsetl.schemas.records import Mention


# --- pattern 1: title before the name ---------------------------------------------

def _title_before(tokens: Sequence[Token], first: int) -> tuple[int, int] | None:
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
        elif tok.text in OPEN_QUOTES or tok.text in CLOSE_QUOTES:
            if head_seen:
                break
            window.insert(0, i)
        elif tok.is_punct:
            break
        elif head_lemma(tok):
            if head_seen and "gent" not in cases_of(tokens[window[0]]) and head_lemma(tokens[window[0]]):
                break  # «кабинета министров глава правительства»: «глава» is not governed by «министров»
            head_seen = True
            window.insert(0, i)
        elif tok.low in PREPOSITIONS or tok.low in CONJUNCTIONS:
            if head_seen:
                break
            window.insert(0, i)
        elif is_verb(tok):
            break
        elif head_seen:
            if not is_adjective(tok):
                break
            window.insert(0, i)
        else:
            window.insert(0, i)
        i -= 1
    heads = [j for j in window if head_lemma(tokens[j])]
    if not heads:
        return None
    head = heads[0]
    start = head
    while start - 1 >= window[0] and start - 1 not in heads and is_adjective(tokens[start - 1]):
        start -= 1
    if start >= 3 and tokens[start - 1].low == "в" and head_lemma(tokens[start - 2]) in CANDIDACY_HEADS:
        start = head = start - 2  # «кандидат в президенты Беларуси Андрей Санников»
    if tokens[head].low in CANDIDACY_HEADS and head + 1 == first:
        return None
    return start, head


def _occupations_title_before(text, tokens, person: Mention) -> list[Occupation]:
    """Titles right before the name, following a comma-separated chain of them leftwards."""
    first, last = mention_range(tokens, person)
    found = []
    boundary = first
    while True:
        title = _title_before(tokens, boundary)
        if not title:
            break
        start, head = title
        if not agrees_with_person(tokens[head], tokens[first:last]) or plural_head(tokens[head]):
            break
        post = post_at(text, tokens, start, head, boundary)
        if post.org is None and post.org_text is None and post.stop < boundary:
            gap = tokens[post.stop:boundary]
            if not gap[0].text[0].isupper():
                break  # «Президент и первая леди Мишель Обама»: the name is not the post's
            # An organisation the NER missed: «глава Минфина Алексей Кудрин».
            post.org_text = nominative_phrase(text[gap[0].start:gap[-1].stop])
        span = (tokens[start].start, tokens[last - 1].stop)
        found.append(make_occupation(text, tokens, post, person, "held", span))
        if start < 2 or tokens[start - 1].text != ",":
            break
        boundary = start - 1
    return found


# --- pattern 2: title after the name ------------------------------------------------

def _occupations_title_after(text, tokens, person: Mention) -> list[Occupation]:
    first, last = mention_range(tokens, person)
    if last >= len(tokens) or tokens[last].text not in APPOSITION_SEPARATORS:
        return []
    i = last + 1
    start = i
    while i < len(tokens) and i - start < 3 and not head_lemma(tokens[i]) and is_adjective(tokens[i]):
        i += 1
    if i >= len(tokens) or not head_lemma(tokens[i]):
        return []
    if plural_head(tokens[i]):
        return []
    post = post_at(text, tokens, start, i, len(tokens))
    if post.stop < len(tokens) and tokens[post.stop].mention is not None and tokens[post.stop].mention.type == "PER":
        return []  # «Лэмпард, капитан клуба «Тоттенхэм» Ледли Кинг»: the title is Кинг's
    span = (tokens[first].start, tokens[post.stop - 1].stop)
    return [make_occupation(text, tokens, post, person, "held", span)]


# --- pattern 3: predicates ----------------------------------------------------------

def _post_after(text: str, tokens: Sequence[Token], i: int, max_skip: int = 4) -> Post | None:
    """The first post starting within ``max_skip`` tokens after ``i`` (skipping «на пост»)."""
    j = i
    first = None
    while j < len(tokens) and j - i <= max_skip:
        tok = tokens[j]
        if head_lemma(tok):
            return post_at(text, tokens, first if first is not None else j, j, len(tokens))
        if tok.mention is not None or (tok.is_punct and tok.text != "-"):
            return None
        if is_adjective(tok) and tok.low not in POST_NOUNS:
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
    first, last = mention_range(tokens, person)
    found = []
    # «назначении PER генеральным секретарем ...»
    for k in range(max(0, first - 2), first):
        kind = APPOINT_NOUNS.get(tokens[k].lemma())
        if kind and k > 0 and tokens[k - 1].low in BEFORE_EVENT:
            break  # «До назначения PER был ...»: read the verb below
        if kind:
            post = _post_after(text, tokens, last, max_skip=3)
            if post:
                span = (tokens[k].start, tokens[post.stop - 1].stop)
                found.append(make_occupation(text, tokens, post, person, kind, span,
                                         _dates_for(dates, tokens[k].start, sentence[1])))
                return found
    # «PER занимал пост заместителя ...», «PER назначен послом ...»
    for k in range(last, min(len(tokens), last + 6)):
        tok = tokens[k]
        if tok.mention is not None or (tok.is_punct and tok.text != "-"):
            break
        kind = PREDICATE_VERBS.get(tok.lemma()) if is_verb(tok) else None
        if kind == "held" and tok.lemma() == "быть" and k + 1 < len(tokens) and is_verb(tokens[k + 1]) \
                and tokens[k + 1].lemma() in PREDICATE_VERBS:
            continue  # «был назначен»: the participle decides
        if kind:
            post = _post_after(text, tokens, k + 1)
            if post:
                span = (tokens[first].start, tokens[post.stop - 1].stop)
                found.append(make_occupation(text, tokens, post, person, kind, span,
                                         _dates_for(dates, sentence[0], sentence[1])))
            return found
    # «PER за работу на посту генерального секретаря организации»
    tail = text[tokens[last - 1].stop:sentence[1]]
    holding = HOLDING_PHRASES.search(tail)
    if holding and holding.start() < 40:
        offset = tokens[last - 1].stop + holding.end()
        k = next((j for j, t in enumerate(tokens) if t.start >= offset), None)
        post = _post_after(text, tokens, k, max_skip=2) if k is not None else None
        if post:
            span = (tokens[first].start, tokens[post.stop - 1].stop)
            found.append(make_occupation(text, tokens, post, person, "held", span,
                                     _dates_for(dates, sentence[0], sentence[1])))
    return found


def _occupations_passive(text, tokens, person: Mention, dates, sentence) -> list[Occupation]:
    """«Исполняющим обязанности главы назначен его первый заместитель PER»: an instrumental
    post right before a passive «назначен/избран/утвержден», the person after it."""
    first, last = mention_range(tokens, person)
    for v in range(first - 1, 0, -1):
        tok = tokens[v]
        if tok.mention is not None or (tok.is_punct and tok.text != "-"):
            return []
        if tok.pos() != "PRTS" or tok.lemma() not in PASSIVE_APPOINT:
            continue
        title = _title_before(tokens, v)
        if title is None:
            return []
        start, head = title
        acting = acting_index(tokens, start, head)
        if "ablt" not in cases_of(tokens[acting if acting is not None else head]):
            return []
        post = post_at(text, tokens, start, head, v)
        span = (tokens[start].start, tokens[last - 1].stop)
        return [make_occupation(text, tokens, post, person, "appointed", span,
                            _dates_for(dates, sentence[0], sentence[1]))]
    return []


def _leaving(text: str, tokens: Sequence[Token], person: Mention) -> re.Match[str] | None:
    """«подал в отставку», «покинул пост» ... within a few words after the person's name."""
    _, last = mention_range(tokens, person)
    match = LEAVING.search(text, tokens[last - 1].stop, tokens[-1].stop)
    if match is None:
        return None
    gap = text[tokens[last - 1].stop:match.start()]
    if re.search(r"[.,;:!?()«»\"]", gap) or len(gap.split()) > LEAVING_GAP_WORDS:
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
        first, _ = mention_range(tokens, person)
        return [make_occupation(text, tokens, post, person, "left", (tokens[first].start, tokens[post.stop - 1].stop))]
    titles = [o for o in earlier if o.person_key == person.key and o.char_start < match.start()
              and match.start() - o.char_start <= NEAREST_TITLE_CHARS]
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


def _item_org(text: str, tokens: Sequence[Token], post: Post, item_end: int) -> Post:
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
        tokens = span_tokens(text, item_start, item_end, mentions)
        heads = []
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and j - i < 3 and is_adjective(tokens[j]) and not head_lemma(tokens[j]):
                j += 1
            if j < len(tokens) and head_lemma(tokens[j]):
                heads.append((i, j))
                if j + 1 < len(tokens) and tokens[j + 1].low in CONJUNCTIONS:
                    i = j + 2
                    continue
            break
        posts = [_item_org(text, tokens, post_at(text, tokens, first, head, len(tokens)), item_end)
                 for first, head in heads]
        for post in posts:
            if post.org is None and post.org_text is None:
                # «политический советник и директор ... Миссии ООН»: coordinated posts share the org.
                post.org, post.org_text = posts[-1].org, posts[-1].org_text
            found.append(make_occupation(text, tokens, post, subject, "held", (item_start, item_end),
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
    sentences = [(sentence, span_tokens(text, sentence[0], sentence[1], mentions)) for sentence in sentence_spans(text)]
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
    found += unnamed_post_occupations(text, sentences, mentions, found)
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

def _pronoun_stand_ins(tokens: list[Token], mentions: Sequence[Mention]) -> list[Mention]:
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
