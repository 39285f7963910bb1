"""Temporal expressions in Russian news text, rule-based.

Covers numeric dates (29.01.2026, 2026-01-29), day + month name (+ year),
month + year, bare years with «г./году» or in parentheses, year ranges
(«2026-2028 гг.», «(1987–1988)»), relative forms («в октябре с.г.»,
«С 1 января с.г.», «в этом году», «вчера», «завтра»), ordinal years («в 2019-м»)
and durations («сроком на три года» -> P3Y).  A leading preposition (в, с, до,
по, к) is part of the surface when it is a word of its own; surfaces cover whole words.

Relative expressions are resolved against the publication date when it is known.
A date after the publication date is only produced when the text names it
explicitly or marks it as planned (then ``is_future`` is set); otherwise a
relative month is taken from the year before.  Two-digit years read as 20yy
unless that lies after the publication year (without one: after today's year).
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from newsetl.schemas.facts import DateExpr

_MONTH_STEMS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
# Every case form of every month name: январь/января/январе/январю/январём, май/мая/мае/маю/маем ...
_MONTH_FORMS = {
    stem + ending: n
    for stem, n in _MONTH_STEMS.items()
    for ending in (("", "а", "е", "у", "ом") if stem in ("март", "август")
                   else ("й", "я", "е", "ю", "ем") if stem == "ма"
                   else ("ь", "я", "е", "ю", "ем", "ём"))
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTH_FORMS, key=len, reverse=True)) + ")"

_NUMBER_WORDS = {
    "один": 1, "одного": 1, "одну": 1, "два": 2, "двух": 2, "две": 2, "три": 3, "трех": 3, "трёх": 3,
    "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6,
    "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10,
    "десяти": 10, "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40,
    "пятьдесят": 50, "сто": 100,
}
_UNIT_CODES = (("год", "Y"), ("лет", "Y"), ("месяц", "M"), ("недел", "W"), ("дн", "D"), ("ден", "D"))

# A preposition is a word of its own: never the last letter of the word before («Решетников 1 февраля»).
_PREP = r"(?P<prep>(?<![^\W\d_])(?:[Сс]о?|[Дд]о|[Пп]о|[Вв]о?|[Кк])\s+)?"
# Whole words only: «2026–2028 годы» must not be cut to «2026–2028 год».
_YEAR_WORD = r"(?:\s*(?:гг?\.|год(?:ами|ам|ах|ов|ом|ы|а|у|е)?\b))"
_CURRENT_YEAR = r"(?P<cur>\s*(?:с\.\s?г\.|сего\s+года|этого\s+года|текущего\s+года))"
_PREV_YEAR = r"(?P<prev>\s*прошлого\s+года)"
_NEXT_YEAR = r"(?P<next>\s*следующего\s+года)"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# An ordinal year ending: «в 2019-м», «в 2019-м году».
_ORDINAL_YEAR = r"(?:-м\b(?:\s+году\b)?)"
_RELATIVE_DAYS = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("numeric", re.compile(_PREP + r"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>\d{4}|\d{2})\b(?:" + _YEAR_WORD + ")?")),
    ("day_month", re.compile(
        _PREP + r"\b(?P<day>[0-3]?\d)\s+" + _MONTH + r"\b(?:\s+" + _YEAR + _YEAR_WORD + "?|"
        + _CURRENT_YEAR + "|" + _PREV_YEAR + "|" + _NEXT_YEAR + ")?", re.I)),
    ("month", re.compile(
        _PREP + r"\b" + _MONTH + r"\b(?:\s+" + _YEAR + _YEAR_WORD + "?|" + _CURRENT_YEAR + "|"
        + _PREV_YEAR + "|" + _NEXT_YEAR + ")?", re.I)),
    ("year_range", re.compile(
        r"(?P<open>\()?" + _PREP + r"\b(?P<y1>(?:19|20)\d{2})\s*(?:[-–—]|по|до)\s*(?P<y2>(?:19|20)\d{2})\b"
        + _YEAR_WORD + r"?(?(open)\))")),
    ("year", re.compile(
        r"(?P<open>\()(?P<pyear>(?:19|20)\d{2})" + _YEAR_WORD + r"?\)|"
        + _PREP + r"\b" + _YEAR + "(?:" + _YEAR_WORD + "|" + _ORDINAL_YEAR + ")")),
    ("relative_day", re.compile(r"\b(?P<rday>" + "|".join(_RELATIVE_DAYS) + r")\b", re.I)),
    ("relative_year", re.compile(
        r"\b(?P<prep>[Вв]\s+)(?P<which>этом|текущем|прошлом|следующем)\s+году\b")),
    ("duration", re.compile(
        r"\b(?P<lead>сроком\s+на|на\s+срок|в\s+течение|на\s+протяжении|[Нн]а|[Зз]а)\s+"
        r"(?:(?P<num>\d{1,3})|(?P<word>[а-яё]+))\s+(?:(?:предыдущих|последних|ближайших|следующих)\s+)?(?P<unit>год(?:а)?|лет|месяц(?:а|ев)?|недел[ьию]|дн(?:я|ей)|день)\b",
        re.I)),
]

_FUTURE_MARKERS = re.compile(
    r"\b(?:состоится|состоятся|будет|будут|буд[еу]м|планир\w*|запланир\w*|предстоит|намерен\w*|"
    r"пройд[её]т|пройдут|ожида\w+|продлится|проведем|проведём|станет|откроется)\b", re.I)


def _month_of(word: str) -> int:
    return _MONTH_FORMS[word.casefold()]


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i != -1]
    return text[left:min(right_candidates) if right_candidates else len(text)]


def _two_digit_year(yy: int, published: date | None) -> int:
    """20yy, or 19yy when 20yy would lie after the publication year."""
    year = 2000 + yy
    if year > (published or date.today()).year:
        year -= 100
    return year


def _duration_code(num: str | None, word: str | None, unit: str) -> str | None:
    value = int(num) if num else _NUMBER_WORDS.get((word or "").casefold())
    if not value:
        return None
    code = next(c for prefix, c in _UNIT_CODES if unit.casefold().startswith(prefix))
    return f"P{value * 7}D" if code == "W" else f"P{value}{code}"


def _relative_year(match: re.Match[str], published: date | None) -> tuple[bool, int | None]:
    """(is_relative, year) for a match with optional cur/prev/next groups and no explicit year."""
    groups = match.groupdict()
    if groups.get("year"):
        return False, int(groups["year"])
    if not published:
        return True, None
    if groups.get("prev"):
        return True, published.year - 1
    if groups.get("next"):
        return True, published.year + 1
    return True, published.year


def _make(text, match, granularity, start, end, relative, published, duration=None) -> DateExpr:
    s, e = match.span()
    surface = text[s:e]
    return DateExpr(surface=surface, char_start=s, char_end=e, start=start, end=end,
                    granularity=granularity, is_relative=relative,
                    resolved=start is not None or duration is not None, duration=duration,
                    is_future=bool(published and start and start > published))


def _parse(kind: str, match: re.Match[str], text: str, published: date | None) -> DateExpr | None:
    """One DateExpr from a pattern match, or None when the match is not a valid date."""
    g = match.groupdict()
    try:
        if kind == "iso":
            day = date(int(g["y"]), int(g["m"]), int(g["d"]))
            return _make(text, match, "day", day, day, False, published)
        if kind == "numeric":
            yy = g["y"]
            year = int(yy) if len(yy) == 4 else _two_digit_year(int(yy), published)
            day = date(year, int(g["m"]), int(g["d"]))
            return _make(text, match, "day", day, day, False, published)
        if kind == "day_month":
            relative, year = _relative_year(match, published)
            if year is None:
                return _make(text, match, "day", None, None, True, published)
            day = date(year, _month_of(g["month"]), int(g["day"]))
            return _make(text, match, "day", day, day, relative, published)
        if kind == "month":
            if not (g.get("prep") or g.get("year") or g.get("cur") or g.get("prev") or g.get("next")):
                return None
            relative, year = _relative_year(match, published)
            if year is None:
                return _make(text, match, "month", None, None, True, published)
            month = _month_of(g["month"])
            return _make(text, match, "month", date(year, month, 1), _month_end(year, month),
                         relative, published)
        if kind == "year_range":
            y1, y2 = int(g["y1"]), int(g["y2"])
            if y2 < y1:
                return None
            return _make(text, match, "range", date(y1, 1, 1), date(y2, 12, 31), False, published)
        if kind == "year":
            year = int(g["year"] or g["pyear"])
            return _make(text, match, "year", date(year, 1, 1), date(year, 12, 31), False, published)
        if kind == "relative_year":
            if not published:
                return _make(text, match, "year", None, None, True, published)
            shift = {"прошлом": -1, "следующем": 1}.get(g["which"].casefold(), 0)
            year = published.year + shift
            return _make(text, match, "year", date(year, 1, 1), date(year, 12, 31), True, published)
        if kind == "relative_day":
            if not published:
                return _make(text, match, "day", None, None, True, published)
            day = published + timedelta(days=_RELATIVE_DAYS[g["rday"].casefold()])
            return _make(text, match, "day", day, day, True, published)
        if kind == "duration":
            code = _duration_code(g["num"], g["word"], g["unit"])
            if code is None:
                return None
            return _make(text, match, "duration", None, None, False, published, duration=code)
    except ValueError:
        return None
    return None


def _shift_unplanned_relative(expr: DateExpr, text: str, published: date) -> DateExpr:
    """A relative month/day after publication, in a sentence without a future marker,
    is read as last year's («в октябре» in a January report of the past)."""
    if not (expr.is_relative and expr.start and expr.start > published):
        return expr
    if _FUTURE_MARKERS.search(_sentence_around(text, expr.char_start, expr.char_end)):
        return expr
    if "с.г" in expr.surface or "этого" in expr.surface or "текущего" in expr.surface \
            or expr.granularity == "year":
        return expr
    year = expr.start.year - 1
    if expr.granularity == "month":
        expr.start, expr.end = date(year, expr.start.month, 1), _month_end(year, expr.start.month)
    elif _exists(year, expr.start.month, expr.start.day):
        expr.start = expr.end = date(year, expr.start.month, expr.start.day)
    else:  # 29 February, read a year earlier, is no date: the leap year's reading stays
        return expr
    expr.is_future = expr.start > published
    return expr


def _exists(year: int, month: int, day: int) -> bool:
    """Whether ``day.month.year`` is a calendar date."""
    return day <= calendar.monthrange(year, month)[1]


def extract_dates(text: str, published_at: datetime | date | None = None) -> list[DateExpr]:
    """All temporal expressions in ``text``, in text order, without overlaps (longest first)."""
    published = published_at.date() if isinstance(published_at, datetime) else published_at
    found: list[DateExpr] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            expr = _parse(kind, match, text, published)
            if expr is None or not expr.surface.strip():
                continue
            if any(expr.char_start < f.char_end and f.char_start < expr.char_end for f in found):
                continue
            if published and kind != "relative_day":
                expr = _shift_unplanned_relative(expr, text, published)
            found.append(expr)
    return sorted(found, key=lambda d: d.char_start)
