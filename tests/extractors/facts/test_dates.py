"""Temporal expressions: absolute, relative, ranges, durations; resolution and the future rule."""
from datetime import date, datetime

import pytest

from eval_facts import seed_text
from newsetl.extractors.facts.dates import extract_dates

INTERVIEW = seed_text("000")
NEWS = seed_text("004")
PUBLISHED = datetime(2026, 1, 29, 12, 0)


def _by_surface(text, published):
    return {d.surface: d for d in extract_dates(text, published)}


@pytest.mark.parametrize("text, published, surface, start, end, granularity, relative, duration", [
    (NEWS, None, "с 1 января 2026 года", date(2026, 1, 1), date(2026, 1, 1), "day", False, None),
    (NEWS, None, "сроком на три года", None, None, "duration", False, "P3Y"),
    (NEWS, None, "(1987–1988)", date(1987, 1, 1), date(1988, 12, 31), "range", False, None),
    (NEWS, None, "(2017)", date(2017, 1, 1), date(2017, 12, 31), "year", False, None),
    (NEWS, None, "С января 2024 года", date(2024, 1, 1), date(2024, 1, 31), "month", False, None),
    (NEWS, None, "в 2025 году", date(2025, 1, 1), date(2025, 12, 31), "year", False, None),
    (INTERVIEW, PUBLISHED, "в ноябре 2024 года", date(2024, 11, 1), date(2024, 11, 30), "month", False, None),
    (INTERVIEW, PUBLISHED, "2026-2028 гг.", date(2026, 1, 1), date(2028, 12, 31), "range", False, None),
    (INTERVIEW, PUBLISHED, "в 2025 г.", date(2025, 1, 1), date(2025, 12, 31), "year", False, None),
    (INTERVIEW, PUBLISHED, "(2025 г.)", date(2025, 1, 1), date(2025, 12, 31), "year", False, None),
    (INTERVIEW, PUBLISHED, "в 2027 году", date(2027, 1, 1), date(2027, 12, 31), "year", False, None),
    (INTERVIEW, PUBLISHED, "29.01.2026", date(2026, 1, 29), date(2026, 1, 29), "day", False, None),
    (INTERVIEW, PUBLISHED, "С 1 января с.г.", date(2026, 1, 1), date(2026, 1, 1), "day", True, None),
    (INTERVIEW, PUBLISHED, "в октябре с.г.", date(2026, 10, 1), date(2026, 10, 31), "month", True, None),
    (INTERVIEW, PUBLISHED, "В этом году", date(2026, 1, 1), date(2026, 12, 31), "year", True, None),
    (INTERVIEW, PUBLISHED, "в течение двух предыдущих лет", None, None, "duration", False, "P2Y"),
])
def test_seed_expressions(text, published, surface, start, end, granularity, relative, duration):
    expr = _by_surface(text, published)[surface]
    assert (expr.start, expr.end, expr.granularity, expr.is_relative, expr.duration) == \
        (start, end, granularity, relative, duration)
    assert text[expr.char_start:expr.char_end] == surface


def test_relative_dates_stay_unresolved_without_publication_date():
    expr = _by_surface(INTERVIEW, None)["в октябре с.г."]
    assert (expr.start, expr.end, expr.resolved, expr.is_relative) == (None, None, False, True)


@pytest.mark.parametrize("text, surface, start, is_future", [
    # planned («состоится») -> stays after publication, flagged
    ("В октябре с.г. состоится учение.", "В октябре с.г.", date(2026, 10, 1), True),
    ("В октябре состоится учение.", "В октябре", date(2026, 10, 1), True),
    # told in the past -> last October, never after the publication date
    ("В октябре прошло учение.", "В октябре", date(2025, 10, 1), False),
    ("В марте 2027 года откроют завод.", "В марте 2027 года", date(2027, 3, 1), True),
])
def test_no_date_after_publication_unless_planned(text, surface, start, is_future):
    expr = _by_surface(text, PUBLISHED)[surface]
    assert (expr.start, expr.is_future) == (start, is_future)


LEAP_JANUARY = datetime(2024, 1, 4, 9, 0)  # the February after it has 29 days, the one before 28
PLAIN_JANUARY = datetime(2025, 1, 9, 9, 0)  # the February before it has 29 days


@pytest.mark.parametrize("published, text, surface, start, end, is_future", [
    # told in the past: last February, whose end is the 28th
    (LEAP_JANUARY, "В феврале прошло учение.", "В феврале", date(2023, 2, 1), date(2023, 2, 28), False),
    (LEAP_JANUARY, "28 февраля прошло учение.", "28 февраля", date(2023, 2, 28), date(2023, 2, 28), False),
    # 29 February a year earlier is no date: the leap year's reading stays, flagged as future
    (LEAP_JANUARY, "29 февраля прошло учение.", "29 февраля", date(2024, 2, 29), date(2024, 2, 29), True),
    # last February was a leap one: it ends on the 29th
    (PLAIN_JANUARY, "В феврале прошло учение.", "В феврале", date(2024, 2, 1), date(2024, 2, 29), False),
])
def test_moving_to_last_year_keeps_dates_real(published, text, surface, start, end, is_future):
    expr = _by_surface(text, published)[surface]
    assert (expr.start, expr.end, expr.is_future) == (start, end, is_future)


@pytest.mark.parametrize("text, published, start", [
    ("Договор от 05.03.24 вступил в силу.", PUBLISHED, date(2024, 3, 5)),
    ("Договор от 05.03.99 вступил в силу.", PUBLISHED, date(1999, 3, 5)),
    ("Договор от 05.03.24 вступил в силу.", None, date(2024, 3, 5)),
])
def test_two_digit_years_are_20yy_unless_that_is_after_publication(text, published, start):
    assert extract_dates(text, published)[0].start == start


@pytest.mark.parametrize("text, surface, month", [
    ("Встреча 3 марта.", "3 марта", 3), ("Встреча в мае.", "в мае", 5), ("Встреча 1 мая.", "1 мая", 5),
    ("Рост в августе.", "в августе", 8), ("С декабрём покончено к 9 декабря.", "к 9 декабря", 12),
    ("Пленум во вторник, 12 февраля.", "12 февраля", 2), ("До июня.", "До июня", 6),
])
def test_month_names_in_all_cases(text, surface, month):
    expr = _by_surface(text, PUBLISHED)[surface]
    assert expr.start.month == month


def test_plain_numbers_are_not_years():
    assert extract_dates("Задержано 2025 человек, ранено 1999.", PUBLISHED) == []


@pytest.mark.parametrize("text, surface", [
    # a preposition is a word of its own, not the last letter of a surname
    ("Максим Решетников 1 февраля посетил завод.", "1 февраля"),
    ("Антон Силуанов 21.11.2026 выступил в Думе.", "21.11.2026"),
    ("Олег Кожемяко в 2025 году переизбран.", "в 2025 году"),
    ("Встреча прошла в 21.11.2025 в Кремле.", "в 21.11.2025"),
    # the surface covers whole words
    ("Бюджет на 2026–2028 годы принят.", "2026–2028 годы"),
    ("Итоги 2025 годом позже.", "2025 годом"),
])
def test_surface_boundaries(text, surface):
    assert [d.surface for d in extract_dates(text, PUBLISHED)] == [surface]


@pytest.mark.parametrize("text, published, surface, start, end, granularity, relative", [
    ("Вчера министр прибыл в Казань.", PUBLISHED, "Вчера", date(2026, 1, 28), date(2026, 1, 28), "day", True),
    ("Заседание пройдет сегодня.", PUBLISHED, "сегодня", date(2026, 1, 29), date(2026, 1, 29), "day", True),
    ("Он вернется завтра.", PUBLISHED, "завтра", date(2026, 1, 30), date(2026, 1, 30), "day", True),
    ("Он вернется завтра.", None, "завтра", None, None, "day", True),
    ("Кризис начался в 2019-м.", PUBLISHED, "в 2019-м", date(2019, 1, 1), date(2019, 12, 31), "year", False),
    ("Кризис начался в 2019-м году.", PUBLISHED, "в 2019-м году", date(2019, 1, 1), date(2019, 12, 31),
     "year", False),
])
def test_relative_days_and_ordinal_years(text, published, surface, start, end, granularity, relative):
    [expr] = extract_dates(text, published)
    assert (expr.surface, expr.start, expr.end, expr.granularity, expr.is_relative, expr.resolved) == \
        (surface, start, end, granularity, relative, start is not None)
    assert text[expr.char_start:expr.char_end] == surface


@pytest.mark.parametrize("text", [
    "Сегодняшний номер вышел без опечаток.",  # an adjective, not the relative day
    "Квартира 2019-ми годами не ремонтировалась.",
    "Номер 2019-м2 не существует.",
])
def test_no_relative_day_or_ordinal_year(text):
    assert extract_dates(text, PUBLISHED) == []
