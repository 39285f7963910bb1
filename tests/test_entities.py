"""Tests for newsetl.extractors.entities: mentions, normal forms, acronyms, resolution."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from razdel import sentenize

from newsetl.extractors.entities import (
    ENTITY_EXTRACTOR_VERSION,
    analyze,
    analyze_batch,
    canonical_names,
    entity_id,
    extract_acronyms,
    extract_mentions,
    resolve_keys,
)
from newsetl.extractors.entities_norm import person_key
from newsetl.schemas.records import Acronym, Mention

SEEDS = Path(__file__).resolve().parent.parent / "samples" / "seeds"
INTERVIEW = (SEEDS / "000_2c1546299e15fb88.txt").read_text(encoding="utf-8")
NEWS = (SEEDS / "004_84ecff8064585085.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_results():
    return {"interview": analyze(INTERVIEW), "news": analyze(NEWS)}


def mention_for(text: str, surface: str) -> Mention:
    matches = [m for m in extract_mentions(text) if m.surface == surface]
    assert matches, f"no mention {surface!r} in {[m.surface for m in extract_mentions(text)]}"
    return matches[0]


# --- normal forms: the regression table ---------------------------------------------------
NORMALISATIONS = [
    # (text, surface, type, normal) — seed phrases first, then factRuEval-style phrases
    ("Было принято решение о назначении Таалатбека Масадыкова генеральным секретарем ОДКБ.",
     "Таалатбека Масадыкова", "PER", "Таалатбек Масадыков"),
    ("Нами начата подготовка к празднованию 25-летия Организации Договора о коллективной безопасности в 2027 году.",
     "Организации Договора о коллективной безопасности", "ORG", "Организация Договора о коллективной безопасности"),
    ("Он был заместителем гендиректора Государственного комитета по иностранным инвестициям.",
     "Государственного комитета по иностранным инвестициям", "ORG", "Государственный комитет по иностранным инвестициям"),
    ("Он работал профессором Токийского государственного университета.",
     "Токийского государственного университета", "ORG", "Токийский государственный университет"),
    ("Участники саммита выразили благодарность Имангали Тасмагамбетову за работу.",
     "Имангали Тасмагамбетову", "PER", "Имангали Тасмагамбетов"),
    ("На территории Республики Беларусь в октябре состоится учение.",
     "Республики Беларусь", "LOC", "Республика Беларусь"),
    ("Председателю СКБ, Президенту Российской Федерации В.В.Путину, будет предоставлен План.",
     "В.В.Путину", "PER", "В.В.Путин"),
    ("Председателю СКБ, Президенту Российской Федерации В.В.Путину, будет предоставлен План.",
     "Российской Федерации", "LOC", "Российская Федерация"),
    ("Техника будет поставлена Пограничным войскам Таджикистана.",
     "Пограничным войскам", "ORG", "Пограничные войска"),
    ("Сотрудники Министерства по делам племён пришли на встречу.",
     "Министерства по делам племён", "ORG", "Министерство по делам племён"),
    ("Требуют отставки мэра Москвы Юрия Лужкова и губернатора Бориса Громова.",
     "Юрия Лужкова", "PER", "Юрий Лужков"),
    ("Требуют отставки мэра Москвы Юрия Лужкова и губернатора Бориса Громова.",
     "Бориса Громова", "PER", "Борис Громов"),
    ("Он много сделал для Свердловской области.", "Свердловской области", "LOC", "Свердловская область"),
    ("Во времена могущества Османской империи в регионе было спокойно.",
     "Османской империи", "LOC", "Османская империя"),
    ("Полпред президента в Северо-Кавказском федеральном округе Александр Хлопонин приехал.",
     "Северо-Кавказском федеральном округе", "LOC", "Северо-Кавказский федеральный округ"),
    ("Встреча с Анной Ивановой и Сергеем Шойгу прошла в Кремле.", "Анной Ивановой", "PER", "Анна Иванова"),
    ("Встреча с Анной Ивановой и Сергеем Шойгу прошла в Кремле.", "Сергеем Шойгу", "PER", "Сергей Шойгу"),
    ("Встреча с Анной Ивановой и Сергеем Шойгу прошла в Кремле.", "Кремле", "LOC", "Кремль"),
    ("Доклад представили в Соединённых Штатах.", "Соединённых Штатах", "LOC", "Соединённые Штаты"),
    ("Доклад представили в Европейском союзе.", "Европейском союзе", "ORG", "Европейский союз"),
    ("Глава ОАО «Газпром» Алексей Миллер пообещал снизить цены.", "Газпром", "ORG", "Газпром"),
    ("Сотрудники Министерства по делам племён пришли на встречу с Владимиром Путиным.",
     "Владимиром Путиным", "PER", "Владимир Путин"),
    ('Одобрит резолюцию о "Сотрудничестве между Организацией Объединенных Наций и Организацией Договора о '
     'коллективной безопасности".', "Организацией Объединенных Наций", "ORG", "Организация Объединенных Наций"),
    ('Одобрит резолюцию о "Сотрудничестве между Организацией Объединенных Наций и Организацией Договора о '
     'коллективной безопасности".', "Организацией Договора о коллективной безопасности", "ORG",
     "Организация Договора о коллективной безопасности"),
    ("Об этом сообщает движение «Коллективное действие».", "Коллективное действие", "ORG", "Коллективное действие"),
]


@pytest.mark.parametrize("text, surface, kind, normal", NORMALISATIONS)
def test_normal_form(text, surface, kind, normal):
    mention = mention_for(text, surface)
    assert (mention.type, mention.normal) == (kind, normal)


@pytest.mark.parametrize("text, surface, key", [
    ("Интервью Генсека ОДКБ Таалатбека Масадыкова.", "Таалатбека Масадыкова", "PER:масадыков таалатбек"),
    ("Масадыков Таалатбек ответил на вопросы.", "Масадыков Таалатбек", "PER:масадыков таалатбек"),
    ("Таалатбек Масадыков ответил на вопросы.", "Таалатбек Масадыков", "PER:масадыков таалатбек"),
    ("Нами начата подготовка к празднованию 25-летия Организации Договора о коллективной безопасности.",
     "Организации Договора о коллективной безопасности", "ORG:организация договора о коллективной безопасности"),
    ("Глава ОАО «Газпром» Алексей Миллер пообещал снизить цены.", "Газпром", "ORG:газпром"),
])
def test_resolution_key(text, surface, key):
    assert mention_for(text, surface).key == key


@pytest.mark.parametrize("normal, key", [
    ("Владимир Владимирович Путин", "PER:путин владимир"),
    ("Путин Владимир", "PER:путин владимир"),
    ("В.В.Путин", "PER:путин в.в."),
    ("Путин В.В.", "PER:путин в.в."),
    ("В. Путин", "PER:путин в."),
    ("Анна Петровна Иванова", "PER:иванова анна"),
    ("Сами аль-Хадж", "PER:аль-хадж сами"),
])
def test_person_key_from_normal(normal, key):
    assert person_key(normal) == key


# --- seeds: the specific errors do not occur --------------------------------------------------
@pytest.mark.parametrize("seed", ["interview", "news"])
def test_mentions_are_well_formed(seed_results, seed):
    text = INTERVIEW if seed == "interview" else NEWS
    mentions, _ = seed_results[seed]
    sentence_starts = [s.start for s in sentenize(text)]
    assert mentions == sorted(mentions, key=lambda m: m.start)
    for m in mentions:
        assert text[m.start:m.stop] == m.surface
        assert m.type in ("PER", "ORG", "LOC")
        assert "\n" not in m.surface
        assert m.sentence_no == max(i for i, start in enumerate(sentence_starts) if start <= m.start)
        prefix, folded = m.key.split(":", 1)
        assert prefix == m.type and folded == folded.casefold() and "ё" not in folded


@pytest.mark.parametrize("bad_normal", [
    "Организация перешедшее", "Организация экспертный", "Организация Договор о коллективная безопасность",
    "Таалатбек Масадыкова", "Масадыков  Таалатбек Масадыков",
])
def test_known_bad_normal_forms_do_not_occur(seed_results, bad_normal):
    normals = {m.normal for mentions, _ in seed_results.values() for m in mentions}
    assert bad_normal not in normals


@pytest.mark.parametrize("quoted_name", ["Барьер-2026", "Канал", "Поиск", "Эшелон", "Рубеж", "Взаимодействие",
                                         "Нерушимое братство – 2026", "Наемник", "Нелегал", "ПРОКСИ"])
def test_exercise_and_operation_names_are_not_organisations(seed_results, quoted_name):
    mentions, _ = seed_results["interview"]
    assert not [m for m in mentions if quoted_name in m.surface]


def test_no_span_crosses_the_speaker_label(seed_results):
    mentions, _ = seed_results["interview"]
    assert not [m for m in mentions if "29.01.2026" in m.surface or m.surface.endswith(":")]
    label_line = INTERVIEW.index('"Союзники. ОДКБ": С 1 января')
    label_mentions = [m for m in mentions if label_line <= m.start < label_line + 30]
    assert all(m.stop <= label_line + len('"Союзники. ОДКБ"') for m in label_mentions)


def test_masadykov_has_one_key_in_both_seeds(seed_results):
    keys = {m.key for mentions, _ in seed_results.values() for m in mentions
            if m.type == "PER" and "Масадыков" in m.surface and " " in m.surface.strip()}
    assert keys == {"PER:масадыков таалатбек"}


@pytest.mark.parametrize("surface", ["ОДКБ", "ООН", "СНГ", "ШОС", "ОБСЕ", "МГУ", "СКБ"])
def test_acronyms_in_capitals_are_organisations(seed_results, surface):
    mentions = [m for ms, _ in seed_results.values() for m in ms if m.surface == surface]
    assert mentions and {m.type for m in mentions} == {"ORG"}


# --- acronyms -------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed, short, long_form, long_normal", [
    ("interview", "СКБ", "Совета коллективной безопасности", "Совет коллективной безопасности"),
    ("interview", "ЦМП", "Целевой межгосударственной Программы по укреплению таджикско-афганской границы",
     "Целевая межгосударственная Программа по укреплению таджикско-афганской границы"),
    ("news", "ОДКБ", "Организации Договора о коллективной безопасности",
     "Организация Договора о коллективной безопасности"),
])
def test_acronym_rows_in_seeds(seed_results, seed, short, long_form, long_normal):
    text = INTERVIEW if seed == "interview" else NEWS
    _, acronyms = seed_results[seed]
    rows = [a for a in acronyms if a.short_form == short]
    assert len(rows) == 1
    row = rows[0]
    assert (row.long_form, row.long_normal) == (long_form, long_normal)
    assert text[row.short_start:row.short_stop] == short
    assert text[row.long_start:row.long_stop] == long_form


@pytest.mark.parametrize("text, short, long_form", [
    ("Об этом сообщает Комитет защиты журналистов (КЗЖ).", "КЗЖ", "Комитет защиты журналистов"),
    ("Саммит Евразийского экономического сообщества (ЕврАзЭС) прошёл.", "ЕврАзЭС",
     "Евразийского экономического сообщества"),
    ("Лидеры стран Содружества Независимых Государств (СНГ) встретились.", "СНГ",
     "Содружества Независимых Государств"),
    ("Генеральный секретарь Объединённого фронта за демократию против диктатуры (ОФДД) выступил.", "ОФДД",
     "Объединённого фронта за демократию против диктатуры"),
    ("Строительство Хмельницкой атомной электростанции (ХАЭС) продолжится.", "ХАЭС",
     "Хмельницкой атомной электростанции"),
    ("В Министерстве иностранных дел (МИД) заявили.", "МИД", "Министерстве иностранных дел"),
])
def test_acronym_long_form_by_letters(text, short, long_form):
    rows = extract_acronyms(text, extract_mentions(text))
    assert [(a.short_form, a.long_form) for a in rows] == [(short, long_form)]


@pytest.mark.parametrize("text", [
    "Цены выросли на 5 (пять) процентов.",
    "Он вернулся в Москву (РФ) вчера.",
    "Продажи (в долларах США) выросли.",
])
def test_brackets_that_define_nothing(text):
    assert extract_acronyms(text, extract_mentions(text)) == []


# --- resolution -------------------------------------------------------------------------------------
def test_odkb_and_its_long_form_resolve_to_one_key(seed_results):
    mentions = [m for ms, _ in seed_results.values() for m in ms]
    acronyms = [a for _, acs in seed_results.values() for a in acs]
    mapping = resolve_keys(mentions, acronyms)
    long_key = "ORG:организация договора о коллективной безопасности"
    assert mapping["ORG:одкб"] == long_key
    assert long_key not in mapping
    assert entity_id(mapping["ORG:одкб"]) == entity_id(long_key)


@pytest.mark.parametrize("alias", ["PER:путин в.в.", "PER:путин в.", "PER:путин"])
def test_initials_and_surname_resolve_to_the_full_name(alias):
    keys = ["PER:путин владимир", alias, "PER:медведев дмитрий"]
    assert resolve_keys(keys, [])[alias] == "PER:путин владимир"


def test_putin_initials_from_the_seed_resolve_when_the_full_name_is_known(seed_results):
    mentions, _ = seed_results["interview"]
    putin = [m for m in mentions if m.surface == "В.В.Путину"]
    assert putin
    keys = [m.key for m in mentions] + [mention_for("Встреча с Владимиром Путиным прошла.", "Владимиром Путиным").key]
    assert resolve_keys(keys, [])[putin[0].key] == "PER:путин владимир"


@pytest.mark.parametrize("keys, alias", [
    (["PER:путин владимир", "PER:путин игорь", "PER:путин"], "PER:путин"),   # two full names: ambiguous
    (["PER:путин владимир", "PER:путин игорь", "PER:путин в."], None),       # initial decides
    (["PER:путин сергей", "PER:путин в.в."], "PER:путин в.в."),                # initial does not match
])
def test_ambiguous_people_stay_apart(keys, alias):
    mapping = resolve_keys(keys, [])
    if alias is None:
        assert mapping == {"PER:путин в.": "PER:путин владимир"}
    else:
        assert alias not in mapping


def test_bare_surname_masadykov_resolves(seed_results):
    mentions = [m for ms, _ in seed_results.values() for m in ms]
    mapping = resolve_keys(mentions, [])
    assert mapping["PER:масадыков"] == "PER:масадыков таалатбек"


def test_acronym_with_two_long_forms_takes_the_most_frequent():
    def acronym(long_normal):
        return Acronym("ОДКБ", long_normal, long_normal, 0, 4, 5, 9)
    acronyms = [acronym("Организация Договора о коллективной безопасности")] * 2 + [acronym("Организация ДКБ")]
    assert resolve_keys([], acronyms) == {"ORG:одкб": "ORG:организация договора о коллективной безопасности"}


def test_canonical_names_prefer_the_canonical_mentions(seed_results):
    mentions = [m for ms, _ in seed_results.values() for m in ms]
    acronyms = [a for _, acs in seed_results.values() for a in acs]
    names = canonical_names(mentions, resolve_keys(mentions, acronyms))
    assert names["ORG:организация договора о коллективной безопасности"] == \
        "Организация Договора о коллективной безопасности"
    assert names["PER:масадыков таалатбек"] == "Таалатбек Масадыков"


def test_entity_id_is_sha256_prefix():
    assert entity_id("ORG:одкб") == hashlib.sha256("entity:ORG:одкб".encode()).hexdigest()[:16]
    assert re.fullmatch(r"[0-9a-f]{16}", entity_id("PER:путин владимир"))
    assert entity_id("ORG:одкб") != entity_id("ORG:оон")


# --- API --------------------------------------------------------------------------------------------------
def test_batch_equals_single_calls():
    texts = ["Глава ОАО «Газпром» Алексей Миллер пообещал.", "", "Саммит ОДКБ прошёл в Астане."]
    assert analyze_batch(texts) == [analyze(t) for t in texts]
    assert analyze_batch(texts)[1] == ([], [])


def test_version_is_set():
    assert re.fullmatch(r"entities/\d+", ENTITY_EXTRACTOR_VERSION)
