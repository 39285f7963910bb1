"""Language identification: py3langid's answers, with its model read back from the user cache."""
from __future__ import annotations

import py3langid
import pytest

from newsetl.extractors.cached import read_cache
from newsetl.extractors.documents import language

# cleared around each test by the ``private_cache`` fixture (tests/conftest.py)
CACHED_IN_PROCESS = (language.identifier,)


@pytest.mark.parametrize(("text", "expected"), [
    ("Президент России провёл совещание с членами правительства по вопросам экономики.", "ru"),
    ("The central bank raised its key interest rate by half a percentage point on Friday.", "en"),
    ("Президент України провів нараду з членами уряду щодо питань економіки.", "uk"),
    ("Die Regierung hat am Montag einen neuen Haushaltsplan vorgestellt.", "de"),
    ("   \n\t ", None),
    ("", None),
])
def test_detect_language(private_cache, text, expected):
    assert language.detect_language(text) == expected


def test_answers_match_py3langid_after_a_round_trip_through_the_cache(private_cache):
    texts = ["Москва, 12 марта. Госдума приняла закон в первом чтении.", "Breaking news from London.", "ОДКБ"]
    first = [language.detect_language(t) for t in texts]
    assert language.cache_path().parent == private_cache and language.cache_path().exists()
    language.identifier.cache_clear()
    assert isinstance(read_cache(language.cache_path(), language.LanguageIdentifier), language.LanguageIdentifier)
    assert [language.detect_language(t) for t in texts] == first == [py3langid.classify(t)[0] for t in texts]


def test_only_the_start_of_a_long_text_decides(private_cache):
    russian = "Правительство утвердило новую программу развития регионов. " * 200
    english = "The government approved a new regional development programme. " * 200
    assert len(russian) > language.LANGUAGE_SAMPLE_CHARS
    assert language.detect_language(russian + english) == "ru"


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05N."])  # empty, garbage, a pickled None
def test_an_unusable_cache_file_is_rebuilt_and_replaced(private_cache, content):
    path = language.cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    assert language.detect_language("Госдума приняла закон в первом чтении.") == "ru"
    assert isinstance(read_cache(path, language.LanguageIdentifier), language.LanguageIdentifier)


def test_a_new_build_replaces_the_older_builds_of_its_kind_only(private_cache):
    older = private_cache / "langid-0.3.0-123.pickle"
    other_kind = private_cache / "gazetteer-3.0.2-abc.pickle"
    for path in (older, other_kind):
        path.write_bytes(b"stale")
    assert language.detect_language("Госдума приняла закон в первом чтении.") == "ru"
    assert sorted(p.name for p in private_cache.iterdir()) == sorted([language.cache_path().name, other_kind.name])
