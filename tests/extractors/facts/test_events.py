"""Named events on the interview seed: exercises, operations, forum, programme."""
import pytest

from eval_facts import seed_text
from newsetl.extractors.facts.events import extract_events

INTERVIEW = seed_text("000")
EVENTS = extract_events(INTERVIEW)


@pytest.mark.parametrize("name, kind, year", [
    ("Взаимодействие", "exercise", None),
    ("Поиск", "exercise", None),
    ("Эшелон", "exercise", None),
    ("Рубеж", "exercise", None),
    ("Нерушимое братство – 2026", "exercise", 2026),
    ("Барьер-2026", "exercise", 2026),
    ("Наемник", "operation", None),
    ("Канал", "operation", None),
    ("Нелегал", "operation", None),
    ("ПРОКСИ", "operation", None),
    ("Международного форума обеспечения коллективной безопасности", "forum", None),
    ("Целевой межгосударственной Программы по укреплению таджикско-афганской границы", "programme", None),
])
def test_seed_events(name, kind, year):
    assert [(e.kind, e.year) for e in EVENTS if e.name == name] == [(kind, year)]


def test_offsets_give_the_name():
    assert all(INTERVIEW[e.char_start:e.char_end] == e.name for e in EVENTS)


def test_nothing_else_is_an_event():
    assert len(EVENTS) == 12


@pytest.mark.parametrize("text", [
    'Оно проходит под лейтмотивом "Коллективная безопасность в многополярном мире".',
    'Он ответил на вопросы издания "Союзники. ОДКБ".',
    'Форум под девизом "Вместе сильнее" открылся в Москве.',
])
def test_mottos_and_outlets_are_not_events(text):
    assert extract_events(text) == []


@pytest.mark.parametrize("text, name, kind", [
    ('В Казани открылся форум "Россия — исламский мир".', "Россия — исламский мир", "forum"),
    ("Стартовала программа «Земский доктор» и программа «Земский учитель».", "Земский учитель", "programme"),
    ("Прошла конференция «Безопасность Евразии».", "Безопасность Евразии", "conference"),
])
def test_triggers_other_than_exercises(text, name, kind):
    assert (name, kind) in {(e.name, e.kind) for e in extract_events(text)}


@pytest.mark.parametrize("text, name, kind", [
    ("Он посетил Петербургский международный экономический форум в июне.",
     "Петербургский международный экономический форум", "forum"),
    ("Путин выступил на пленарном заседании Восточного экономического форума во Владивостоке.",
     "Восточного экономического форума", "forum"),
    ("Минфин разработал Государственную программу развития сельского хозяйства до 2030 года.",
     "Государственную программу развития сельского хозяйства", "programme"),
])
def test_unquoted_names_are_capitalised_noun_phrases(text, name, kind):
    assert [(e.name, e.kind) for e in extract_events(text)] == [(name, kind)]
    assert all(text[e.char_start:e.char_end] == e.name for e in extract_events(text))


@pytest.mark.parametrize("text", [
    # a verb or a person's name before the trigger is not part of a name
    "Глава Сбербанка Герман Греф выступил на форуме в Сочи.",
    "Правительство России утвердило программу поддержки автомобильной отрасли на 2026 год.",
    "Иван Петров выступил на форуме.",
    # lower-case adjectives only, or a capital that only starts the sentence
    "В Москве прошла совместная конференция ОДКБ и СНГ.",
    "Новая программа поддержки семей начнёт работу.",
])
def test_unquoted_triggers_without_a_name_give_nothing(text):
    assert extract_events(text) == []
