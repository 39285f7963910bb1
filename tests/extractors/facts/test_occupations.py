"""Occupations on the seeds and on typical factRuEval title patterns (Natasha NER mentions)."""
from datetime import date

import pytest

from eval_facts import natasha_mentions, seed_text
from newsetl.extractors.facts.occupations import extract_occupations
from newsetl.extractors.facts.structure import extract_sections

NEWS = seed_text("004")
INTERVIEW = seed_text("000")


def _occupations(text):
    sections = [s.char_start for s in extract_sections(text)]
    return extract_occupations(text, natasha_mentions(text), section_starts=sections)


@pytest.fixture(scope="module")
def news():
    return _occupations(NEWS)


@pytest.fixture(scope="module")
def interview():
    return _occupations(INTERVIEW)


def _find(records, position):
    found = [o for o in records if o.position == position]
    assert found, f"no occupation {position!r} in {[o.position for o in records]}"
    return found[0]


@pytest.mark.parametrize("position, person, org, kind, start, end", [
    ("генеральный секретарь", "Таалатбек", "ОДКБ", "appointed", date(2026, 1, 1), date(2029, 1, 1)),
    ("глава государства", "Касым-Жомарт Токаев", "Казахстан", "held", None, None),
    ("генеральный секретарь организации", "Имангали Тасмагамбетов", "ОДКБ", "held", None, None),
    ("советник", "Таалатбек Масадыков", "Академия наук", "held", date(1987, 1, 1), date(1988, 12, 31)),
    ("политический советник", "Таалатбек Масадыков", "Миссия", "held", date(2002, 1, 1), date(2014, 12, 31)),
    ("заместитель гендиректора", "Таалатбек Масадыков", "Государственный комитет по иностранным инвестициям",
     "held", date(1995, 1, 1), date(1996, 12, 31)),
    ("кандидат в президенты", "Таалатбек Масадыков", "Кыргызстан", "candidate", date(2017, 1, 1), date(2017, 12, 31)),
    ("профессор", "Таалатбек Масадыков", "Токийский государственный университет", "held",
     date(2016, 1, 1), date(2016, 12, 31)),
    ("заместитель генерального секретаря", "Масадыков", "ОДКБ", "held", date(2024, 1, 1), None),
])
def test_news_seed(news, position, person, org, kind, start, end):
    occ = _find(news, position)
    assert person in occ.person
    assert (occ.org, occ.kind, occ.start, occ.end) == (org, kind, start, end)
    assert occ.person_key.startswith("PER:")


@pytest.mark.parametrize("position, person, org", [
    ("генеральный секретарь", "Таалатбек Масадыков", "ОДКБ"),
    ("генсек", "Таалатбек Масадыков", "ОДКБ"),
    ("президент", "В.В.Путин", "Российская Федерация"),
    ("председатель", "В.В.Путин", "СКБ"),
])
def test_interview_seed_titles_before_names(interview, position, person, org):
    occ = _find(interview, position)
    assert (occ.person, occ.org, occ.kind) == (person, org, "held")


def test_offsets_give_evidence_and_position(news, interview):
    for text, records in ((NEWS, news), (INTERVIEW, interview)):
        for occ in records:
            assert text[occ.char_start:occ.char_end] == occ.evidence
            assert occ.char_start <= occ.position_start < occ.position_end <= occ.char_end


def test_education_is_not_an_occupation(news):
    assert not any("окончил" in o.evidence or "аспирантур" in o.position for o in news)


@pytest.mark.parametrize("text, person, position, org, kind", [
    ("Об этом заявил глава Минфина Алексей Кудрин.", "Алексей Кудрин", "глава", "Минфин", "held"),
    ("Алексей Кудрин, министр финансов России, выступил в Думе.", "Алексей Кудрин", "министр финансов",
     "Россия", "held"),
    ("Встреча с председателем КНР Ху Цзиньтао прошла в Пекине.", "Ху Цзиньтао", "председатель", "КНР", "held"),
    ("Выступил координатор движения «Левый фронт» Сергей Удальцов.", "Сергей Удальцов", "координатор движения",
     "Левый фронт", "held"),
    ("Бывший мэр Москвы Юрий Лужков дал интервью.", "Юрий Лужков", "бывший мэр", "Москва", "left"),
    ("Иван Петров назначен послом России в Японии.", "Иван Петров", "посол", "Россия", "appointed"),
])
def test_title_patterns(text, person, position, org, kind):
    found = {(o.person, o.position, o.org, o.kind) for o in extract_occupations(text, natasha_mentions(text))}
    assert (person, position, org, kind) in found


@pytest.mark.parametrize("text", [
    "После смерти Егора Свиридова начались беспорядки.",
    "Об этом сообщили официальными представителями Путина.",
    "Александр Мишарин, руководители соседних регионов и депутаты приехали на встречу.",
    "Участники саммита выразили благодарность Ивану Петрову.",
])
def test_no_occupation(text):
    assert extract_occupations(text, natasha_mentions(text)) == []


@pytest.mark.parametrize("text, person, position, org, kind", [
    # «до назначения» names another post: the one in the sentence is a past one
    ("До назначения Хинштейн был председателем комитета Государственной думы по информационной политике.",
     "Хинштейн", "председатель комитета", "Государственная дума", "held"),
    # leaving: the post in the sentence, after the phrase, or the nearest earlier title
    ("Губернатор Алексей Логвиненко подал в отставку.", "Алексей Логвиненко", "губернатор", None, "left"),
    ("Мэр Новосибирска Анатолий Локоть покинул пост.", "Анатолий Локоть", "мэр", "Новосибирск", "left"),
    ("Министр Иван Петров освобожден от должности.", "Иван Петров", "министр", None, "left"),
    ("Глава района Иван Петров ушел в отставку.", "Иван Петров", "глава района", None, "left"),
    ("Губернатор Иван Петров ушел в отставку с поста губернатора Курской области.", "Иван Петров",
     "губернатор", "Курская область", "left"),
    ("Мэр Калуги Алексей Логвиненко провел совещание. На следующий день Логвиненко подал в отставку.",
     "Алексей Логвиненко", "мэр", "Калуга", "left"),
    # acting posts: only «исполняющий» is put in the nominative
    ("Указом президента Александр Хинштейн назначен временно исполняющим обязанности губернатора Курской "
     "области.", "Александр Хинштейн", "временно исполняющий обязанности губернатора", "Курская область",
     "appointed"),
    # passive «назначен» with the instrumental post before it and the person after it
    ("Исполняющим обязанности главы назначен его первый заместитель Александр Скрябин.", "Александр Скрябин",
     "исполняющий обязанности главы", None, "appointed"),
    ("Министром финансов назначен Иван Петров.", "Иван Петров", "министр финансов", None, "appointed"),
])
def test_kinds_and_acting_posts(text, person, position, org, kind):
    records = extract_occupations(text, natasha_mentions(text))
    assert (person, position, org, kind) in {(o.person, o.position, o.org, o.kind) for o in records}
    assert all(text[o.char_start:o.char_end] == o.evidence for o in records)


@pytest.mark.parametrize("text, position", [
    ("До назначения Хинштейн был председателем комитета Государственной думы.", "председатель комитета"),
    ("Накануне назначения Иван Петров был министром финансов.", "министр финансов"),
    ("Иван Петров был назначен министром финансов.", None),  # «был» defers to the participle
])
def test_held_unless_the_sentence_appoints_to_it(text, position):
    kinds = {o.position: o.kind for o in extract_occupations(text, natasha_mentions(text))}
    assert kinds == ({position: "held"} if position else {"министр финансов": "appointed"})


@pytest.mark.parametrize("text", [
    "Его предшественник Алексей Смирнов был задержан.",
    "Его коллега Алексей Смирнов выступил первым.",
    "Соратник Алексей Навальный и сторонник Илья Яшин пришли в суд.",
    "Алексей Логвиненко подал в отставку.",  # no post named anywhere: nothing to leave
    "Иван Петров был задержан.",
])
def test_relations_and_postless_sentences_are_not_occupations(text):
    assert extract_occupations(text, natasha_mentions(text)) == []
