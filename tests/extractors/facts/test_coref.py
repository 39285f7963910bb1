"""Light coreference: descriptors and pronouns resolved to the named entity before them; values in the nominative."""
import pytest

from eval_facts import natasha_mentions
from newsetl.extractors.facts.attributions import extract_attributions
from newsetl.extractors.facts.coref import nominative_phrase, resolve_descriptor, resolve_pronoun
from newsetl.extractors.facts.occupations import extract_occupations
from newsetl.schemas.records import Mention


def mention(text: str, surface: str, kind: str, normal: str | None = None) -> Mention:
    """A mention of the first occurrence of ``surface`` in ``text``."""
    start = text.index(surface)
    normal = normal or surface
    return Mention(start, start + len(surface), kind, surface, normal, 0, f"{kind}:{normal.casefold()}")


@pytest.mark.parametrize("phrase, nominative", [
    ("Миссии ООН в Афганистане", "Миссия ООН в Афганистане"),
    ("пресс-службу Акорды", "пресс-служба Акорды"),
    ("Минфина", "Минфин"),
    ("Академии наук Киргизии", "Академия наук Киргизии"),
    ("ОДКБ", "ОДКБ"),
    ("Государственный комитет по иностранным инвестициям", "Государственный комитет по иностранным инвестициям"),
    ("«Газпрома»", "«Газпрома»"),
])
def test_nominative_phrase(phrase, nominative):
    assert nominative_phrase(phrase) == nominative


TEXT = ("Лидеры ОДКБ собрались в Москве. Владимир Путин и Мария Захарова выступили. "
        "Генеральный секретарь организации отчитался. Глава республики приехал.")
MENTIONS = [mention(TEXT, "ОДКБ", "ORG"), mention(TEXT, "Москве", "LOC", "Москва"),
            mention(TEXT, "Владимир Путин", "PER"), mention(TEXT, "Мария Захарова", "PER")]


@pytest.mark.parametrize("word, at, expected", [
    ("организации", "организации", "ОДКБ"),
    ("республики", "республики", "Москва"),
    ("секретаря", "секретарь", None),
])
def test_descriptor_names_the_entity_before_it(word, at, expected):
    resolved = resolve_descriptor(MENTIONS, word, TEXT.index(at))
    assert (resolved.normal if resolved else None) == expected


@pytest.mark.parametrize("pronoun, expected", [
    ("он", "Владимир Путин"), ("его", "Владимир Путин"), ("она", "Мария Захарова"), ("ей", "Мария Захарова"),
    ("мы", None),
])
def test_pronoun_names_the_nearest_person_of_its_gender(pronoun, expected):
    resolved = resolve_pronoun(MENTIONS, pronoun, len(TEXT))
    assert (resolved.normal if resolved else None) == expected


def test_nothing_resolves_beyond_the_window():
    far = "Владимир Путин прибыл. " + "Погода была ясной. " * 40 + "Он выступил."
    assert resolve_pronoun([mention(far, "Владимир Путин", "PER")], "он", far.rindex("Он")) is None


@pytest.mark.parametrize("text, person, position, org", [
    ("Саммит ОДКБ прошёл в Москве. Имангали Тасмагамбетов поблагодарил коллег за работу на посту "
     "генерального секретаря организации.", "Имангали Тасмагамбетов", "генеральный секретарь организации", "ОДКБ"),
    ("Министр обороны Сергей Шойгу прибыл в Минск. Он занимал пост губернатора Московской области.",
     "Сергей Шойгу", "губернатор", "Московская область"),
])
def test_occupations_use_coreference(text, person, position, org):
    found = [o for o in extract_occupations(text, natasha_mentions(text)) if o.position == position]
    assert [(o.person, o.org) for o in found] == [(person, org)]
    assert all(o.org_key and o.org_key.startswith(("ORG:", "LOC:")) for o in found)


def test_quote_attributed_to_the_person_a_pronoun_stands_for():
    text = "Мария Захарова провела брифинг. «Мы не оставим это без ответа», — сказала она."
    quotes = [a for a in extract_attributions(text, [mention(text, "Мария Захарова", "PER")]) if a.kind == "quote"]
    assert [(a.source, a.evidence) for a in quotes] == [("Мария Захарова", "Мы не оставим это без ответа")]
