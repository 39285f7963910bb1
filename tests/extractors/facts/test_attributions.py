"""Attributions: outlet, original source, direct quotes with their speakers, interview answers."""
import pytest

from eval_facts import natasha_mentions, seed_text
from newsetl.extractors.facts.attributions import extract_attributions
from newsetl.extractors.facts.interviews import extract_turns

NEWS = seed_text("004")
INTERVIEW = seed_text("000")


def _attributions(text, with_turns=False):
    mentions = natasha_mentions(text)
    turns = extract_turns(text, mentions) if with_turns else ()
    return extract_attributions(text, mentions, turns)


def test_news_seed_outlet_and_original_source():
    found = {(a.kind, a.source, a.evidence) for a in _attributions(NEWS)}
    assert found == {("outlet", "Lada.kz", "Lada.kz"),
                     ("original_source", "пресс-служба Акорды", "пресс-службу Акорды")}


def test_interview_answers_are_quotes_by_the_guest():
    quotes = [a for a in _attributions(INTERVIEW, with_turns=True) if a.kind == "quote"]
    assert len(quotes) == 5
    assert {(a.source, a.source_key) for a in quotes} == {("Таалатбек Масадыков", "PER:таалатбек масадыков")}
    assert quotes[0].evidence.startswith("С рабочим настроением.")


@pytest.mark.parametrize("text, kind, source, evidence", [
    ("«Мы не отступим от своих планов», — сказал Путин.", "quote", "Путин", "Мы не отступим от своих планов"),
    ("Мы не отступим от своих планов, — заявил Сергей Лавров журналистам.", "quote", "Сергей Лавров",
     "Мы не отступим от своих планов"),
    ('Как заявил Дмитрий Песков, "никаких переговоров не будет".', "quote", "Дмитрий Песков",
     "никаких переговоров не будет"),
    ("Министр Алексей Кудрин заявил: «Бюджет будет исполнен в срок».", "quote", "Алексей Кудрин",
     "Бюджет будет исполнен в срок"),
    ("Об этом передает РИА Новости.", "outlet", "РИА Новости", "РИА Новости"),
    ("Как сообщает «Интерфакс», сделка закрыта.", "outlet", "Интерфакс", "Интерфакс"),
    ("Об этом пишет Tengrinews.kz со ссылкой на источник в министерстве.", "original_source",
     "источник в министерстве", "источник в министерстве"),
])
def test_patterns(text, kind, source, evidence):
    found = _attributions(text)
    assert (kind, source, evidence) in {(a.kind, a.source, a.evidence) for a in found}
    assert all(text[a.char_start:a.char_end] == a.evidence for a in found)


def test_quote_without_a_named_speaker_is_skipped():
    text = "«Мы не отступим от своих планов», — сказал он."
    assert _attributions(text) == []
