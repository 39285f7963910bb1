"""Bounded analysis windows: memory independent of document size, offsets exact in the full text."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from newsetl.extractors.entities.analyze import analyze
from newsetl.extractors.entities.windows import paragraph_ranges, text_windows

ROOT = Path(__file__).resolve().parents[3]
SEED_PARAGRAPH = (
    "Генеральный секретарь ОДКБ Таалатбек Масадыков встретился в Москве с министром иностранных дел "
    "Российской Федерации Сергеем Лавровым. Стороны обсудили работу Организации Договора о коллективной "
    "безопасности (ОДКБ) и подготовку саммита в Астане.\n"
    "Участники поблагодарили Анну Иванову и Имангали Тасмагамбетова за работу в Секретариате."
)


@pytest.mark.parametrize("text, limit, expected", [
    ("короткий текст", 100, [(0, 14)]),
    ("", 10, []),
    ("абв\nгде\nжзи", 9, [(0, 8), (8, 11)]),                        # after the last line break that fits
    ("Он пришёл. Она ушла. Всё тут", 15, [(0, 11), (11, 21), (21, 28)]),  # after a sentence end
    ("слово слово слово", 8, [(0, 6), (6, 12), (12, 17)]),          # after whitespace
    ("абвгдежзик", 4, [(0, 4), (4, 8), (8, 10)]),                     # no space at all: at the limit
])
def test_windows_cut_at_boundaries(text, limit, expected):
    assert list(text_windows(text, limit)) == expected


@pytest.mark.parametrize("text", [
    "а" * 20_000_000,                                  # one 20 MB line without a space
    ("слово " * 50 + "конец. ") * 60_000,              # one 18 MB line of sentences
    ("строка текста\n" * 100 + "\n") * 2_000,          # many short paragraphs
])
def test_windows_cover_the_text_and_stay_bounded(text):
    limit = 20_000
    windows = list(text_windows(text, limit))
    assert windows[0][0] == 0 and windows[-1][1] == len(text)
    assert all(a < b <= a + limit for a, b in windows)
    assert all(previous[1] == current[0] for previous, current in zip(windows, windows[1:]))


def test_paragraphs_are_separated_by_blank_lines():
    text = "один\nдва\n\n  \nтри\n"
    assert [text[a:b] for a, b in paragraph_ranges(text)] == ["один\nдва", "три"]


def _relative(mentions, start, first_sentence):
    return [(m.start - start, m.stop - start, m.type, m.surface, m.normal, m.key, m.sentence_no - first_sentence)
            for m in mentions]


def test_a_long_text_gives_the_same_mentions_per_repeat_as_one_paragraph():
    single, single_acronyms = analyze(SEED_PARAGRAPH)
    assert {m.surface for m in single} >= {"Таалатбек Масадыков", "Сергеем Лавровым", "ОДКБ"}
    separator = "\n\n"
    repeats = 120  # about 45 000 characters: three windows
    text = separator.join([SEED_PARAGRAPH] * repeats)
    mentions, acronyms = analyze(text)
    step = len(SEED_PARAGRAPH) + len(separator)
    sentences_per_repeat = max(m.sentence_no for m in single) + 1
    for repeat in range(repeats):
        inside = [m for m in mentions if repeat * step <= m.start < (repeat + 1) * step]
        assert _relative(inside, repeat * step, repeat * sentences_per_repeat) == _relative(single, 0, 0)
    assert len(acronyms) == repeats * len(single_acronyms)
    for m in mentions:
        assert text[m.start:m.stop] == m.surface
    for a in acronyms:
        assert text[a.short_start:a.short_stop] == a.short_form and text[a.long_start:a.long_stop] == a.long_form


MEMORY_PROBE = textwrap.dedent("""
    import json, resource, sys
    from newsetl.extractors.entities.analyze import analyze
    paragraph = sys.argv[1]
    analyze(paragraph)  # models loaded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = "\\n\\n".join([paragraph] * (5_000_000 // (len(paragraph) + 2)))
    mentions, _ = analyze(text)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"chars": len(text), "mentions": len(mentions), "grew_kb": after - before}))
""")


@pytest.mark.slow
def test_memory_for_a_5_mb_text_stays_bounded():
    """Analysing a whole 5 MB text at once took about 4 GB; windows keep the growth small."""
    env = dict(os.environ)
    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE, SEED_PARAGRAPH], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["chars"] >= 4_900_000
    assert report["mentions"] > 10_000
    assert report["grew_kb"] < 600 * 1024  # the mentions themselves, plus bounded windows
