"""Named events on the interview seed: exercises, operations, forum, programme."""
import pytest

from eval_facts import seed_text
from newsetl.extractors.events import extract_events

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
