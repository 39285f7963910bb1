"""parse_plaintext on the two seed texts and on the header/timestamp/footer conventions."""
from datetime import datetime
from pathlib import Path

import pytest

from newsetl.extractors.documents.plaintext import find_credited_source, parse_plaintext

SEEDS = Path(__file__).resolve().parents[3] / "samples" / "seeds"
INTERVIEW = SEEDS / "000_2c1546299e15fb88.txt"
NEWS = SEEDS / "004_84ecff8064585085.txt"


@pytest.fixture(scope="module")
def interview():
    return parse_plaintext(INTERVIEW.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def news():
    return parse_plaintext(NEWS.read_text(encoding="utf-8"))


def test_interview_header_gives_title_and_date(interview):
    assert interview.title == (
        "У нашей Организации хороший послужной список. Интервью Генсека ОДКБ Таалатбека Масадыкова"
    )
    assert interview.published_at == datetime(2026, 1, 29)
    assert interview.published_at_evidence == "header"


def test_interview_timestamp_is_a_candidate_only(interview):
    assert interview.date_candidates == {
        "header": "2026-01-29T00:00:00",
        "timestamp_line": "2026-01-30T22:07:00",
    }


def test_interview_footer_gives_url_and_leaves_body(interview):
    assert interview.url == "https://centrasia.org/newsA.php?st=1769800020"
    assert "Постоянный адрес статьи" not in interview.body
    assert "centrasia.org" not in interview.body
    assert interview.body.endswith("Благодарю за внимание.")


def test_interview_body_drops_metadata_lines_but_keeps_lead_and_interview_date(interview):
    paragraphs = interview.body.split("\n\n")
    assert not interview.body.startswith("date ")
    assert "22:07" not in interview.body
    # The lead sentence shared the timestamp's line; it is content and stays.
    assert paragraphs[0].startswith("Генеральный секретарь ОДКБ Таалатбек Масадыков ответил на вопросы")
    assert paragraphs[1] == "29.01.2026"
    assert paragraphs[3] == "Таалатбек Масадыков: С рабочим настроением."


def test_interview_has_no_credited_source(interview):
    assert interview.source_name is None


def test_news_credits_lada_and_guesses_nothing_else(news):
    assert news.source_name == "Lada.kz"
    assert "сообщает Lada.kz со ссылкой на пресс-службу Акорды" in news.body
    assert (news.title, news.url, news.published_at) == (None, None, None)
    assert news.published_at_evidence == "none"
    assert news.date_candidates == {}


@pytest.mark.parametrize("parsed_name", ["interview", "news"])
def test_seed_bodies_are_normalised_paragraphs(parsed_name, request):
    body = request.getfixturevalue(parsed_name).body
    assert body == body.strip()
    assert "\n\n\n" not in body
    assert all(line == line.strip() and "  " not in line for line in body.split("\n"))
    assert "\u00a0" not in body and "\t" not in body


def test_news_keeps_headings_as_paragraphs(news):
    paragraphs = news.body.split("\n\n")
    assert paragraphs[1] == "Итоги саммита ОДКБ"
    assert "Биография и опыт Масадыкова" in paragraphs


@pytest.mark.parametrize(
    "text, title, published_at, evidence, body",
    [
        ("\ufeff  date 2025-03-08 Праздник весны\n\nТекст.", "Праздник весны", datetime(2025, 3, 8), "header", "Текст."),
        ("date 2025-03-08\nТекст.", None, datetime(2025, 3, 8), "header", "Текст."),
        ("date 09.03.2026 Итоги недели\n\nТекст.", "Итоги недели", datetime(2026, 3, 9), "header", "Текст."),
        ("date 9.3.2026\nТекст.", None, datetime(2026, 3, 9), "header", "Текст."),
        ("date 31.02.2026 Не дата\nТекст.", None, None, "none", "date 31.02.2026 Не дата\nТекст."),
        ("09:15 01.02.2025\n\nНовость дня.", None, datetime(2025, 2, 1, 9, 15), "timestamp_line", "Новость дня."),
        ("Заголовок\n9:05 1.2.2025 Лид новости.\nТекст.", None, datetime(2025, 2, 1, 9, 5), "timestamp_line",
         "Заголовок\nЛид новости.\nТекст."),
        ("25:99 01.02.2025 не время\nТекст.", None, None, "none", "25:99 01.02.2025 не время\nТекст."),
        ("date 2025-13-45 Не дата\nТекст.", None, None, "none", "date 2025-13-45 Не дата\nТекст."),
        ("Текст со словом date 2025-03-08 в середине.", None, None, "none", "Текст со словом date 2025-03-08 в середине."),
        ("Первый.\n\n\n\n\u00a0Второй \t абзац.\u00a0\n\n", None, None, "none", "Первый.\n\nВторой абзац."),
    ],
    ids=["bom-header", "header-without-title", "dotted-header", "dotted-header-without-title",
         "impossible-dotted-date", "timestamp-only", "timestamp-with-lead", "impossible-time",
         "impossible-date", "date-mid-sentence", "whitespace"],
)
def test_header_and_timestamp_conventions(text, title, published_at, evidence, body):
    parsed = parse_plaintext(text)
    assert (parsed.title, parsed.published_at, parsed.published_at_evidence, parsed.body) == (
        title, published_at, evidence, body,
    )


def test_timestamp_far_below_the_top_is_body_text():
    text = "Один.\nДва.\nТри.\nЧетыре.\nПять.\n10:00 01.01.2025 поздняя метка"
    parsed = parse_plaintext(text)
    assert parsed.published_at is None
    assert parsed.body.endswith("10:00 01.01.2025 поздняя метка")


@pytest.mark.parametrize(
    "footer, url",
    [
        ("Постоянный адрес статьи - https://centrasia.org/newsA.php?st=1", "https://centrasia.org/newsA.php?st=1"),
        ("Постоянный адрес статьи — http://example.ru/a", "http://example.ru/a"),
        ("  Постоянный адрес статьи: https://example.ru/b  ", "https://example.ru/b"),
    ],
)
def test_permalink_footer(footer, url):
    parsed = parse_plaintext(f"Текст новости.\n\n{footer}\n\n")
    assert parsed.url == url
    assert parsed.body == "Текст новости."


@pytest.mark.parametrize(
    "sentence, source",
    [
        ("Об этом сообщает Lada.kz со ссылкой на пресс-службу Акорды.", "Lada.kz"),
        ("Как сообщает «Интерфакс» со ссылкой на источник, встреча прошла.", "Интерфакс"),
        ("Об этом сообщает РИА Новости, со ссылкой на министерство.", "РИА Новости"),
        ("Об этом сообщает ТАСС.", None),
        ("Газета сообщает о событиях, а со ссылкой на МИД пишет другое.", None),
    ],
)
def test_credited_source(sentence, source):
    assert find_credited_source(sentence) == source
