"""Light coreference for facts: a descriptor or a pronoun resolved to a named entity before it.

* an organisation descriptor («организации», «ведомства», «концерна», «партии») names the
  nearest ORG mention earlier in the document; a place descriptor («страны», «республики»)
  the nearest LOC mention;
* a person pronoun («он», «она», «его», «ей» …) names the nearest PER mention earlier in the
  document whose name agrees in gender (when the name's gender is known);
* occupations use both: «на посту генерального секретаря организации» gets the organisation
  named before it, «Он занимал пост …» the person. A post with no name beside it is *not*
  given to the person named last before it: tried on the tune half of the factRuEval devset,
  that rule cost more precision than it gained recall (tests/gates/eval_facts.py).

Only mentions within ``MAX_ANTECEDENT_CHARS`` before the descriptor count: further back, a
reader would not resolve the reference either. Organisation values are put in the nominative
(``nominative_phrase``: «Миссии ООН в Афганистане» → «Миссия ООН в Афганистане»).
"""
from __future__ import annotations

from collections.abc import Sequence

from newsetl.extractors.models import morph
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
