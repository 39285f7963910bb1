"""Structure on the seeds: section headings and bodies, the lead paragraph, the genre."""
import pytest

from eval_facts import seed_text
from newsetl.extractors.facts.interviews import extract_turns
from newsetl.extractors.facts.structure import detect_genre, extract_lead, extract_sections

NEWS = seed_text("004")
INTERVIEW = seed_text("000")


def test_news_headings_are_the_four_section_titles():
    assert [s.heading for s in extract_sections(NEWS)] == [
        "Итоги саммита ОДКБ",
        "Новый генеральный секретарь — Таалатбек Масадыков",
        "Биография и опыт Масадыкова",
        "Принятые документы и дальнейшие планы",
    ]


@pytest.mark.parametrize("section_no, body_starts, body_ends", [
    (1, "На встрече лидеры Казахстана", "вклад в развитие ОДКБ."),
    (2, "В ходе заседания было официально", "представляет Кыргызскую Республику."),
    (3, "Таалатбек Масадыков родился в 1961 году", "заместителя генерального секретаря ОДКБ."),
    (4, "По итогам заседания была принята", "всех государств-членов ОДКБ."),
])
def test_section_bodies_run_to_the_next_heading(section_no, body_starts, body_ends):
    section = extract_sections(NEWS)[section_no - 1]
    body = NEWS[section.body_start:section.body_end]
    assert section.section_no == section_no
    assert NEWS[section.char_start:section.char_end] == section.heading
    assert body.startswith(body_starts) and body.endswith(body_ends)


def test_list_items_and_field_labels_are_not_headings():
    headings = {s.heading for s in extract_sections(NEWS)}
    assert not any(h.startswith(("Подведение итогов", "Ключевые этапы", "Образование")) for h in headings)
    assert extract_sections(INTERVIEW) == []


def test_section_paragraph_indices_cover_the_body():
    biography = extract_sections(NEWS)[2]
    assert (biography.para_start, biography.para_end) == (10, 18)


@pytest.mark.parametrize("text, lead_starts, lead_ends", [
    (NEWS, "Глава государства Казахстана Касым-Жомарт Токаев принял участие",
     "со ссылкой на пресс-службу Акорды."),
    (INTERVIEW, "Генеральный секретарь ОДКБ Таалатбек Масадыков ответил на вопросы",
     'издания "Союзники. ОДКБ"'),
])
def test_lead_is_the_first_body_paragraph(text, lead_starts, lead_ends):
    lead = extract_lead(text)
    assert text[lead.char_start:lead.char_end] == lead.text
    assert lead.text.startswith(lead_starts) and lead.text.endswith(lead_ends)


@pytest.mark.parametrize("text, kind, evidence", [
    (INTERVIEW, "interview", "Интервью"),
    (NEWS, "news", "сообщает"),
])
def test_genre_with_evidence(text, kind, evidence):
    genre = detect_genre(text, extract_turns(text))
    assert (genre.kind, genre.evidence) == (kind, evidence)
    assert text[genre.char_start:genre.char_end] == evidence


@pytest.mark.parametrize("text, evidence", [
    # one long paragraph, no reporting verb: the evidence is the lead's first sentence only
    ("Власти города открыли новый парк в районе Хамовники. " + "Работы шли три года. " * 500,
     "Власти города открыли новый парк в районе Хамовники."),
    ("Власти города открыли новый парк в районе Хамовники.", "Власти города открыли новый парк в районе Хамовники."),
])
def test_news_evidence_without_a_reporting_verb_is_the_first_sentence(text, evidence):
    genre = detect_genre(text, extract_turns(text))
    assert (genre.kind, genre.evidence) == ("news", evidence)
    assert text[genre.char_start:genre.char_end] == evidence


def test_dashed_interview_genre():
    text = ("Интервью: Алексей Лихачёв о планах\n— Как прошел год?\n— Хорошо.\n— А что дальше?\n— Больше блоков.")
    genre = detect_genre(text, extract_turns(text))
    assert (genre.kind, genre.evidence) == ("interview", "Интервью")


LEAD_EN = "The government announced a new budget for the coming year on Monday."
LEAD_RU = "Правительство утвердило новый порядок выдачи лицензий на перевозки."


@pytest.mark.parametrize("text, headings, bodies", [
    # Two heading-like lines in a row (web pages, English and German): only the second has a body.
    (f"{LEAD_EN}\nLatest News\nWorld Politics Today Headline\nParliament will vote on it next week.",
     ["World Politics Today Headline"], ["Parliament will vote on it next week."]),
    ("Die Regierung hat am Montag einen neuen Haushalt vorgestellt.\nMehr zum Thema\n"
     "Weitere Nachrichten aus Berlin heute\nDer Bundestag berät am Freitag darüber.",
     ["Weitere Nachrichten aus Berlin heute"], ["Der Bundestag berät am Freitag darüber."]),
    # A heading-like line that only footer lines follow heads nothing.
    (f"{LEAD_RU}\nЧитайте нас\nИсточник: https://example.ru/news/1", [], []),
    (f"{LEAD_RU}\nДокумент вступит в силу в феврале.\nЗаключение\nhttps://example.ru/news/1\nwww.example.ru", [], []),
    # A URL line is not a body paragraph.
    (f"{LEAD_RU}\nПодробности\nhttps://example.ru/news/1\nДокумент вступит в силу в феврале.", [], []),
    # Three in a row: the last heads the final paragraph, the first heads the middle line.
    (f"{LEAD_EN}\nMore\nTop Stories Now\nEditors Picks Of The Week\nThe vote is scheduled for Friday.",
     ["More", "Editors Picks Of The Week"], ["Top Stories Now", "The vote is scheduled for Friday."]),
    # An ordinary two-section Russian text, a footer after the last body.
    (f"{LEAD_RU}\nНовые правила\nЗаявления подаются через портал госуслуг.\nСроки\n"
     "Рассмотрение займёт пятнадцать рабочих дней.\nИсточник: https://example.ru/news/1",
     ["Новые правила", "Сроки"],
     ["Заявления подаются через портал госуслуг.", "Рассмотрение займёт пятнадцать рабочих дней."]),
], ids=["en-consecutive", "de-consecutive", "ru-footer-only", "ru-last-before-footers", "ru-url-after",
        "en-three-in-a-row", "ru-two-sections"])
def test_section_bodies_are_never_empty_or_reversed(text, headings, bodies):
    sections = extract_sections(text)
    assert [s.heading for s in sections] == headings
    assert [text[s.body_start:s.body_end] for s in sections] == bodies
    for s in sections:
        assert 0 <= s.char_start < s.char_end < s.body_start < s.body_end <= len(text)
        assert s.para_start < s.para_end
