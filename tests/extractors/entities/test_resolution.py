"""Entities that resolve: well-known acronyms, spelling variants, no descriptor-plus-object ORGs."""
from __future__ import annotations

import pytest

from newsetl.extractors.entities.analyze import extract_mentions, resolve_keys
from newsetl.extractors.entities.known_acronyms import KNOWN_ACRONYMS
from newsetl.extractors.entities.norm import phrase_key
from newsetl.schemas.records import Acronym


@pytest.mark.parametrize("short, long_text", [
    ("ООН", "Организация Объединенных Наций"),
    ("ООН", "Организация Объединённых Наций"),
    ("СНГ", "Содружество Независимых Государств"),
    ("ШОС", "Шанхайская организация сотрудничества"),
    ("ОБСЕ", "Организация по безопасности и сотрудничеству в Европе"),
    ("ЕС", "Европейский союз"),
    ("МВД", "Министерство внутренних дел"),
    ("ФСБ", "Федеральная служба безопасности"),
    ("МАГАТЭ", "Международное агентство по атомной энергии"),
])
def test_well_known_acronym_and_its_long_form_are_one_entity(short, long_text):
    short_key, long_key = phrase_key("ORG", short), phrase_key("ORG", long_text)
    mapping = resolve_keys([short_key, long_key], [])
    assert mapping[short_key] == long_key
    assert long_key not in mapping


def test_oon_from_text_resolves_to_the_long_form_found_in_another_text():
    first = extract_mentions("Генсек ООН выступил на сессии.")
    second = extract_mentions("Представители Организации Объединенных Наций прибыли в Женеву.")
    keys = {m.surface: m.key for m in first + second if m.type == "ORG"}
    mapping = resolve_keys(list(keys.values()), [])
    assert mapping[keys["ООН"]] == keys["Организации Объединенных Наций"]


def test_a_definition_in_the_text_wins_over_the_table():
    defined = Acronym("ЕС", "Евразийского союза", "Евразийский союз", 0, 2, 3, 20)
    mapping = resolve_keys(["ORG:ес", "ORG:евразийский союз"], [defined])
    assert mapping["ORG:ес"] == "ORG:евразийский союз"


def test_the_table_maps_only_keys_that_occur():
    assert resolve_keys(["ORG:газпром"], []) == {}


def test_known_acronyms_are_capitals_with_nominative_long_forms():
    for short, long_form in KNOWN_ACRONYMS.items():
        assert short.isupper() and long_form[:1].isupper() and len(long_form.split()) >= 2
    assert "ЦБ" not in KNOWN_ACRONYMS  # many central banks: ambiguous


@pytest.mark.parametrize("variants", [
    ("Российский Союз Правообладателей", "Российский союз правообладателей"),
    ("Объединённые Арабские Эмираты", "Объединенные Арабские Эмираты"),
    ("«Газпром»", "Газпром", "ГАЗПРОМ"),
])
def test_spelling_variants_share_one_key(variants):
    assert len({phrase_key("ORG", v) for v in variants}) == 1


@pytest.mark.parametrize("text, junk", [
    ("Об этом сообщили в государствах Организации перечней вооружения и в Министерстве иностранных дел.",
     "Организации перечней вооружения"),
])
def test_descriptor_with_a_genitive_object_is_no_organisation(text, junk):
    surfaces = {m.surface for m in extract_mentions(text)}
    assert junk not in surfaces
    assert "Министерстве иностранных дел" in surfaces


@pytest.mark.parametrize("text, name", [
    ("Представители Организации освобождения Палестины выступили.", "Организации освобождения Палестины"),
    ("Представители Комитета защиты журналистов выступили.", "Комитета защиты журналистов"),
    ("Член Палаты представителей Конгресса США выступил.", "Палаты представителей"),
])
def test_names_made_of_a_descriptor_and_nouns_stay(text, name):
    assert name in {m.surface for m in extract_mentions(text) if m.type == "ORG"}
