"""Posts with no name beside them («Министр также заверил», «— заявил глава ведомства») resolved to a person.

Mentions are written by hand (surface, type, normal form) so each case tests the resolution rules of
``facts.coref`` and not the NER.
"""
import pytest

from newsetl.extractors.facts import coref
from newsetl.extractors.facts.attributions import extract_attributions
from newsetl.extractors.facts.occupations import extract_occupations
from newsetl.schemas.records import Mention


def mentions_of(text: str, spec: list[tuple[str, str, str]]) -> list[Mention]:
    """One mention per (surface, type, normal), at the surface's first occurrence after the previous one."""
    found, cursor = [], 0
    for surface, kind, normal in spec:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        found.append(Mention(start, cursor, kind, surface, normal, 0, f"{kind}:{normal.casefold()}"))
    return found


def unnamed(text: str, spec) -> list[tuple[str, str, str | None]]:
    """(person, position, org) of the occupations read from the last sentence of ``text``."""
    last = text.rindex(". ", 0, len(text) - 1) + 2
    return [(o.person, o.position, o.org) for o in extract_occupations(text, mentions_of(text, spec))
            if o.position_start >= last]


SHCHEGOLEV = [("Игорь Щёголев", "PER", "Игорь Щёголев"), ("Брюссель", "LOC", "Брюссель")]
SARKOZY = [("Франции", "LOC", "Франция"), ("Николя Саркози", "PER", "Николя Саркози"),
           ("Вашингтон", "LOC", "Вашингтон"), ("Барак Обама", "PER", "Барак Обама")]
PUTIN_OBAMA = [("России", "LOC", "Россия"), ("Владимир Путин", "PER", "Владимир Путин"),
               ("США", "LOC", "США"), ("Барак Обама", "PER", "Барак Обама"), ("Женеве", "LOC", "Женева")]


@pytest.mark.parametrize("text, spec, expected", [
    # a verb of speech before the post, nearest person
    ("Биньямин Нетаньяху выступил в Кнессете. Как отметил премьер, мир должен знать о позиции страны.",
     [("Биньямин Нетаньяху", "PER", "Биньямин Нетаньяху")], [("Биньямин Нетаньяху", "премьер", None)]),
    # the post opens the sentence, a finite verb follows
    ("Дик Адвокат покинул стадион молча. Сам же главный тренер сборной оценил итоги матча как провал.",
     [("Дик Адвокат", "PER", "Дик Адвокат")], [("Дик Адвокат", "главный тренер сборной", None)]),
    # the same post already held by a named person: one fact, merged with the named record
    ("Министр связи Игорь Щёголев прибыл в Брюссель. Министр также заверил, что Россия готова к переговорам.",
     SHCHEGOLEV, [("Игорь Щёголев", "министр связи", None)]),
    # the holder of the same post wins over a nearer person
    ("Президент Франции Николя Саркози прибыл в Вашингтон. Его встретил Барак Обама. "
     "Президент Франции заявил, что доволен визитом.", SARKOZY, [("Николя Саркози", "президент", "Франция")]),
    # a feminine verb skips the nearer man
    ("Мария Захарова провела брифинг. Вечером в Москву вернулся Сергей Лавров. "
     "Официальный представитель министерства заявила, что визит отменён.",
     [("Мария Захарова", "PER", "Мария Захарова"), ("Москву", "LOC", "Москва"), ("Сергей Лавров", "PER", "Сергей Лавров")],
     [("Мария Захарова", "официальный представитель министерства", None)]),
])
def test_unnamed_post_resolves_to_a_person(text, spec, expected):
    assert unnamed(text, spec) == expected


@pytest.mark.parametrize("text, spec", [
    # the verb is masculine, the only person a woman
    ("Мария Захарова провела брифинг. Министр заявил, что визит отменён.", [("Мария Захарова", "PER", "Мария Захарова")]),
    # the nearest person holds another post: the president is someone else
    ("Министр иностранных дел Сергей Лавров прилетел в Токио. Президент заявил, что переговоры продолжатся.",
     [("Сергей Лавров", "PER", "Сергей Лавров"), ("Токио", "LOC", "Токио")]),
    # two people hold the post: ambiguous
    ("Президент России Владимир Путин и президент США Барак Обама встретились в Женеве. "
     "Президент заявил, что встреча прошла успешно.", PUTIN_OBAMA),
    # a post of another organisation than the holder's: not his
    ("Президент Франции Николя Саркози прибыл в Вашингтон. Президент США заявил, что рад визиту.",
     [("Франции", "LOC", "Франция"), ("Николя Саркози", "PER", "Николя Саркози"), ("Вашингтон", "LOC", "Вашингтон"),
      ("США", "LOC", "США")]),
    # the sentence names a person: the post is read beside the name, or not at all
    ("Сергей Шойгу прибыл в Минск. Министр встретился с Александром Лукашенко.",
     [("Сергей Шойгу", "PER", "Сергей Шойгу"), ("Минск", "LOC", "Минск"),
      ("Александром Лукашенко", "PER", "Александр Лукашенко")]),
    # a plural verb: several people
    ("Андрей Иванов выступил первым. Оба министра заявили, что соглашение будет подписано.",
     [("Андрей Иванов", "PER", "Андрей Иванов")]),
    # not the subject: a noun in the nominative before the post
    ("Ши Тао остаётся в тюрьме. Эритрея — лидер среди африканских стран по числу арестов.",
     [("Ши Тао", "PER", "Ши Тао"), ("Эритрея", "LOC", "Эритрея")]),
])
def test_unnamed_post_left_unresolved(text, spec):
    assert unnamed(text, spec) == []


def test_appositive_descriptor_post_gets_the_organisation_before_it():
    text = "МИД России провёл брифинг. Сергей Лавров, глава ведомства, заявил о переговорах."
    spec = [("МИД России", "ORG", "МИД России"), ("Сергей Лавров", "PER", "Сергей Лавров")]
    found = extract_occupations(text, mentions_of(text, spec))
    assert [(o.person, o.position, o.org) for o in found] == [("Сергей Лавров", "глава ведомства", "МИД России")]


@pytest.mark.parametrize("rules, expected", [
    (frozenset(), []),
    (frozenset({"nearest_person"}), [("Биньямин Нетаньяху", "премьер", None)]),
])
def test_rules_switch_off(monkeypatch, rules, expected):
    monkeypatch.setattr(coref, "UNNAMED_POST_RULES", rules)
    text = "Биньямин Нетаньяху выступил в Кнессете. Как отметил премьер, мир должен знать о позиции страны."
    assert unnamed(text, [("Биньямин Нетаньяху", "PER", "Биньямин Нетаньяху")]) == expected


QUOTE = "«Мы готовы к диалогу без предварительных условий»"


def quotes(text: str, spec) -> list[tuple[str, str]]:
    mentions = mentions_of(text, spec)
    found = extract_attributions(text, mentions, (), extract_occupations(text, mentions))
    return [(a.source, a.evidence) for a in found if a.kind == "quote"]


@pytest.mark.parametrize("text, spec, speaker", [
    (f"Сергей Лавров прилетел в Токио. {QUOTE}, — заявил глава ведомства.",
     [("Сергей Лавров", "PER", "Сергей Лавров"), ("Токио", "LOC", "Токио")], "Сергей Лавров"),
    (f"Министр иностранных дел Сергей Лавров встретился с Владимиром Путиным. {QUOTE}, — заявил президент.",
     [("Сергей Лавров", "PER", "Сергей Лавров"), ("Владимиром Путиным", "PER", "Владимир Путин")], "Владимир Путин"),
    (f"Министр связи Игорь Щёголев прибыл в Брюссель. {QUOTE}, — сказал министр журналистам.", SHCHEGOLEV,
     "Игорь Щёголев"),
    # a name after the post beats the organisation before it
    (f"{QUOTE}, — заявил глава Business NZ Фил О’Рейли.",
     [("Business NZ", "ORG", "Business NZ"), ("Фил О’Рейли", "PER", "Фил О’Рейли")], "Фил О’Рейли"),
])
def test_quote_speaker_is_the_holder_of_the_post(text, spec, speaker):
    assert quotes(text, spec) == [(speaker, QUOTE.strip("«»"))]


@pytest.mark.parametrize("text, spec", [
    (f"Министр иностранных дел Сергей Лавров прилетел в Токио. {QUOTE}, — заявил президент.",
     [("Сергей Лавров", "PER", "Сергей Лавров"), ("Токио", "LOC", "Токио")]),
    (f"Сергей Лавров прилетел в Токио. {QUOTE}, — заявила глава делегации.",
     [("Сергей Лавров", "PER", "Сергей Лавров"), ("Токио", "LOC", "Токио")]),
])
def test_quote_of_an_unresolved_post_is_skipped(text, spec):
    assert quotes(text, spec) == []
