"""Light coreference for facts: a descriptor or a pronoun resolved to a named entity before it.

* an organisation descriptor («организации», «ведомства», «концерна», «партии») names the
  nearest ORG mention earlier in the document; a place descriptor («страны», «республики»)
  the nearest LOC mention;
* a person pronoun («он», «она», «его», «ей» …) names the nearest PER mention earlier in the
  document whose name agrees in gender (when the name's gender is known);
* occupations use both: «на посту генерального секретаря организации» gets the organisation
  named before it, «Он занимал пост …» the person;
* a post with no name beside it that is the subject of a sentence naming no person («Министр
  также заверил …», «Как отметил премьер, …») names the person who already holds that post in
  the document, else the nearest earlier person of the verb's gender who holds no other post
  (``unnamed_post_occupations``, rules in ``UNNAMED_POST_RULES``); quotes use the same resolution
  («…», — заявил глава ведомства: ``post_holder_at``). Any other unnamed post («слова главы
  республики», «с премьер-министром Турции») stays unresolved: giving every such post to the
  person named last before it cost more precision than it gained recall on the tune half of the
  factRuEval devset (tests/gates/eval_facts.py).

Only mentions within ``MAX_ANTECEDENT_CHARS`` before the descriptor count: further back, a
reader would not resolve the reference either. Organisation values are put in the nominative
(``nominative_phrase``: «Миссии ООН в Афганистане» → «Миссия ООН в Афганистане»).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsetl.extractors.facts.posts import (
    CANDIDACY_HEADS, Post, Token, cases_of, head_lemma, is_adjective, is_verb, make_occupation, plural_head,
    post_at, span_tokens,
)
from newsetl.extractors.models import morph
from newsetl.schemas.facts import Occupation
from newsetl.schemas.records import Mention

MAX_ANTECEDENT_CHARS = 400

# Descriptor lemma -> the mention type it refers to.
DESCRIPTORS = {
    **dict.fromkeys("""
        организация ведомство министерство компания концерн корпорация холдинг банк партия движение фонд
        союз клуб команда сборная агентство служба комитет совет университет институт академия альянс блок
        объединение ассоциация федерация издание газета телеканал миссия структура учреждение предприятие
        """.split(), "ORG"),
    **dict.fromkeys("страна государство республика область край регион округ город".split(), "LOC"),
}
# Pronoun (any case) -> the grammatical gender of the person it stands for.
PERSON_PRONOUNS = {
    **dict.fromkeys("он его него ему нему им ним нем нём".split(), "masc"),
    **dict.fromkeys("она ее её нее неё ей ней ею нею".split(), "femn"),
}
NAME_GRAMMEMES = ("Name", "Surn", "Patr")


def descriptor_type(word: str) -> str | None:
    """"ORG" or "LOC" when ``word`` is an organisation or place descriptor (any case), else None."""
    for form in morph().parse(word.lower()):
        if form.tag.POS == "NOUN" and form.normal_form.replace("ё", "е") in DESCRIPTORS:
            return DESCRIPTORS[form.normal_form.replace("ё", "е")]
    return None


def nearest_before(mentions: Sequence[Mention], offset: int, types: Sequence[str],
                   accept=lambda mention: True) -> Mention | None:
    """The mention of one of ``types`` ending nearest before ``offset`` (within MAX_ANTECEDENT_CHARS)."""
    for mention in sorted((m for m in mentions if m.type in types and m.stop <= offset),
                          key=lambda m: m.stop, reverse=True):
        if offset - mention.stop > MAX_ANTECEDENT_CHARS:
            return None
        if accept(mention):
            return mention
    return None


def resolve_descriptor(mentions: Sequence[Mention], word: str, offset: int) -> Mention | None:
    """The entity a descriptor at ``offset`` refers to («организации» → the ORG named before it)."""
    kind = descriptor_type(word)
    return nearest_before(mentions, offset, (kind,)) if kind else None


def name_gender(mention: Mention) -> str | None:
    """"masc" or "femn" from the first word of a person's name that morphology knows as a name."""
    for word in mention.normal.split():
        for form in morph().parse(word.lower()):
            if any(grammeme in form.tag for grammeme in NAME_GRAMMEMES) and form.tag.gender in ("masc", "femn"):
                return form.tag.gender
    return None


def resolve_pronoun(mentions: Sequence[Mention], word: str, offset: int) -> Mention | None:
    """The person a pronoun at ``offset`` stands for: the nearest earlier PER agreeing in gender."""
    gender = PERSON_PRONOUNS.get(word.casefold())
    if gender is None:
        return None
    return nearest_before(mentions, offset, ("PER",), lambda m: name_gender(m) in (gender, None))


def nominative_phrase(phrase: str) -> str:
    """The phrase with its first word in the nominative when it is a noun in another case.

    «Миссии ООН в Афганистане» → «Миссия ООН в Афганистане», «пресс-службу Акорды» →
    «пресс-служба Акорды»; the rest (a genitive complement) stays as written, and so
    does the first word's capitalisation.
    """
    first, space, rest = phrase.partition(" ")
    if not first[:1].isalpha():
        return phrase
    forms = [f for f in morph().parse(first.lower()) if f.tag.POS == "NOUN"]
    if not forms or forms[0].tag.case == "nomn":
        return phrase
    number = forms[0].tag.number
    nominative = (number and forms[0].inflect({"nomn", number})) or forms[0].inflect({"nomn"})
    if nominative is None:
        return phrase
    word = nominative.word
    if first[0].isupper():
        word = word[0].upper() + word[1:]
    if first.isupper() and len(first) > 1:
        word = word.upper()
    return word + space + rest


# --- posts with no name beside them ------------------------------------------------------
#
# «Президент заявил …», «Как отметил премьер, …», «Министр также заверил …»: a post that is the
# subject of its clause, in a sentence naming no person, stands for a person named before it.
# Who is decided by ``resolve_post_holder``:
#   1. the one person the document already gives a post with the same head (and a compatible
#      organisation) — «Министр связи Игорь Щёголев … Министр также заверил»; two such holders
#      («президент России …», «президент США …») make the post ambiguous: nobody;
#   2. else the nearest earlier person (within MAX_ANTECEDENT_CHARS) whose name agrees in gender
#      with the verb, unless the document gives that person another post: «губернатор Дарькин …
#      глава края» is a paraphrase already recorded, «министр Лавров … Президент заявил» someone else.

# Rules in force, by name: "same_post" (1) and "nearest_person" (2). Tests and the devset lab
# switch them off to measure each one.
UNNAMED_POST_RULES = frozenset({"same_post", "nearest_person"})
# Verbs of speech that may come before their subject: «Как отметил премьер», «заявил глава ведомства».
SPEECH_LEMMAS = frozenset("""
сказать заявить отметить сообщить подчеркнуть добавить пояснить рассказать написать заверить признать
указать констатировать уточнить считать говорить заявлять отмечать подчеркивать сообщать напомнить
""".split())
# Parts of speech that may open a clause before its subject («При этом», «Вместе с тем», «Сам же»).
OPENER_POS = frozenset({"ADVB", "CONJ", "PRCL", "INTJ", "PREP", "NUMR", "PRED"})


def _finite_verb(token: Token):
    """The indicative-verb parse of ``token`` when that is its first reading, else None."""
    forms = token.forms
    if forms and forms[0].tag.POS == "VERB" and "indc" in forms[0].tag:
        return forms[0]
    return None


def _opens_clause(token: Token) -> bool:
    """A word that may stand before a clause's subject: punctuation, an adverb or a conjunction,
    or a pronoun or noun that cannot be the subject («При этом», «Таким образом», «Сам же»)."""
    if token.is_punct or token.mention is None and token.pos() in OPENER_POS:
        return True
    if token.mention is not None or is_verb(token):
        return False
    forms = token.forms
    return bool(forms) and ("Apro" in forms[0].tag or "nomn" not in cases_of(token)
                            and forms[0].tag.POS in ("NOUN", "NPRO", "ADJF"))


def subject_verb(tokens: Sequence[Token], first: int, stop: int):
    """The finite verb whose subject is the post ``tokens[first:stop]``, else None.

    Either a verb of speech right before the post («Как отметил премьер», «заявил бывший глава»)
    or, when only clause openers precede the post in its sentence, the first finite verb after it
    («Министр также заверил», «Сам же главный тренер сборной оценил»). A plural verb has a plural
    subject («Оба кандидата организовали»): None.
    """
    verb = _finite_verb(tokens[first - 1]) if first > 0 else None
    if verb is None:
        if not all(_opens_clause(token) for token in tokens[:first]):
            return None
        verb = next((v for v in map(_finite_verb, tokens[stop:]) if v is not None), None)
    elif verb.normal_form.replace("ё", "е") not in SPEECH_LEMMAS:
        return None
    if verb is None or verb.tag.number != "sing":
        return None
    return verb


def post_head(text: str, occupation: Occupation) -> str | None:
    """The head lemma of an occupation's post («министр связи и коммуникаций» → «министр»)."""
    tokens = span_tokens(text, occupation.position_start, occupation.position_end, ())
    return next((lemma for lemma in map(head_lemma, tokens) if lemma), None)


def resolve_post_holder(text: str, mentions: Sequence[Mention], found: Sequence[Occupation], lemma: str,
                        org_key: str | None, offset: int, gender: str | None
                        ) -> tuple[Mention, Occupation | None] | None:
    """Who an unnamed post at ``offset`` refers to, with the record that already names its holder.

    See the rules above ``UNNAMED_POST_RULES``; ``gender`` is the verb's («заявила» → "femn").
    """
    earlier = [o for o in found if o.char_start < offset]
    same = [o for o in earlier if post_head(text, o) == lemma and org_key in (None, o.org_key)]
    if "same_post" in UNNAMED_POST_RULES and same:
        if len({o.person_key for o in same}) > 1:
            return None
        person = nearest_before(mentions, offset, ("PER",), lambda m: m.key == same[-1].person_key)
        person = person or Mention(0, 0, "PER", same[-1].person, same[-1].person, 0, same[-1].person_key)
        return person, same[-1]
    if "nearest_person" not in UNNAMED_POST_RULES:
        return None
    person = nearest_before(mentions, offset, ("PER",), lambda m: gender is None or name_gender(m) in (gender, None))
    if person is None or any(o.person_key == person.key for o in found):
        return None
    return person, None


def unnamed_post_occupations(text: str, sentences: Sequence[tuple[tuple[int, int], list[Token]]],
                             mentions: Sequence[Mention], found: Sequence[Occupation]) -> list[Occupation]:
    """Occupations of posts that are the subject of a sentence naming no person (see above).

    ``sentences`` are (span, tokens) pairs; ``found`` the occupations read beside names, whose
    posts are skipped. A post whose holder already has a record with the same head takes that
    record's position and organisation, so the two merge into one fact.
    """
    covered = [(o.position_start, o.position_end) for o in found]
    result = []
    for (start, end), tokens in sentences:
        if any(t.mention is not None and t.mention.type == "PER" for t in tokens):
            continue
        for post in _subject_posts(text, tokens, covered):
            verb = subject_verb(tokens, post.first, post.stop)
            if verb is None:
                continue
            lemma = head_lemma(tokens[post.head])
            holder = resolve_post_holder(text, mentions, found, lemma, post.org.key if post.org else None,
                                         tokens[post.first].start, verb.tag.gender if verb.tag.gender in
                                         ("masc", "femn") else None)
            if holder is None:
                continue
            person, record = holder
            occupation = make_occupation(text, tokens, post, person, "held", (start, end))
            if record is not None:
                occupation = replace(occupation, position=record.position, org=occupation.org or record.org,
                                     org_key=occupation.org_key or record.org_key)
            result.append(occupation)
    return result


def _subject_posts(text: str, tokens: list[Token], covered: Sequence[tuple[int, int]]) -> list[Post]:
    """Singular posts of a sentence outside ``covered`` spans, with their adjectives and complement."""
    posts = []
    i = 0
    while i < len(tokens):
        lemma = head_lemma(tokens[i])
        if not lemma or lemma in CANDIDACY_HEADS or plural_head(tokens[i]) \
                or any(s <= tokens[i].start < e for s, e in covered):
            i += 1
            continue
        first = i
        while first > 0 and is_adjective(tokens[first - 1]) and not head_lemma(tokens[first - 1]):
            first -= 1
        post = post_at(text, tokens, first, i, len(tokens))
        posts.append(post)
        i = max(post.stop, i + 1)
    return posts


def post_holder_at(text: str, mentions: Sequence[Mention], found: Sequence[Occupation], start: int, end: int,
                   verb: str) -> Mention | None:
    """The person a post opening ``text[start:end]`` stands for, the post being the subject of ``verb``.

    «…», — заявил глава ведомства: the post right after the verb of speech, resolved like an
    unnamed post (``resolve_post_holder``); the verb's gender («заявила») must agree with the name.
    """
    tokens = span_tokens(text, start, end, sorted(mentions, key=lambda m: m.start))
    posts = _subject_posts(text, tokens, ())
    if not posts or posts[0].first != 0:
        return None
    post = posts[0]
    forms = morph().parse(verb.lower())
    gender = forms[0].tag.gender if forms and forms[0].tag.gender in ("masc", "femn") else None
    holder = resolve_post_holder(text, mentions, found, head_lemma(tokens[post.head]),
                                 post.org.key if post.org else None, start, gender)
    return holder[0] if holder else None
