"""Interview turns on the seeds: speakers, questions, turn texts spanning paragraphs."""
import pytest

from eval_facts import natasha_mentions, seed_text
from newsetl.extractors.facts.interviews import extract_turns

INTERVIEW = seed_text("000")


@pytest.fixture(scope="module")
def turns():
    return extract_turns(INTERVIEW, natasha_mentions(INTERVIEW))


def test_five_questions_by_the_outlet_and_five_answers_by_the_guest(turns):
    assert [(t.speaker, t.is_question) for t in turns] == [
        ("Союзники. ОДКБ", True), ("Таалатбек Масадыков", False)] * 5
    assert [t.turn_no for t in turns] == list(range(1, 11))


def test_turn_offsets_give_the_turn_text(turns):
    assert all(INTERVIEW[t.char_start:t.char_end] == t.text for t in turns)


@pytest.mark.parametrize("turn_no, starts, ends", [
    (1, "С 1 января с.г. Вы приняли функции", "Вы приступаете к этой работе?"),
    (2, "С рабочим настроением.", "для сохранения мира и стабильности."),
    (4, "Как известно, в 2026 году председательство", "Договора о коллективной безопасности в 2027 году."),
    (10, "На протяжении нескольких десятилетий", "Благодарю за внимание."),
])
def test_answers_run_over_paragraphs_until_the_next_label(turns, turn_no, starts, ends):
    turn = turns[turn_no - 1]
    assert turn.text.startswith(starts) and turn.text.endswith(ends)
    assert "Постоянный адрес" not in turn.text


def test_person_speaker_gets_the_mention_key_and_the_outlet_none(turns):
    assert {t.speaker_key for t in turns if not t.is_question} == {"PER:таалатбек масадыков"}
    assert {t.speaker_key for t in turns if t.is_question} == {None}


@pytest.mark.parametrize("text", [
    seed_text("004"),  # one-off «Образование : ...» field labels
    "Москва: в столице прошёл дождь.\n\nПогода: завтра будет солнечно.",
])
def test_texts_without_repeated_labels_have_no_turns(text):
    assert extract_turns(text) == []


def test_question_answer_labels_in_a_small_interview():
    text = "Корреспондент: Как дела?\nИванов: Хорошо.\nКорреспондент: А планы?\nИванов: Работать."
    turns = extract_turns(text)
    assert [(t.speaker, t.is_question, t.text) for t in turns] == [
        ("Корреспондент", True, "Как дела?"), ("Иванов", False, "Хорошо."),
        ("Корреспондент", True, "А планы?"), ("Иванов", False, "Работать."),
    ]


DASHED = (
    "Интервью: Алексей Лихачёв о планах Росатома\n"
    "Глава госкорпорации «Росатом» Алексей Лихачёв рассказал о строительстве новых блоков.\n"
    "— Алексей Евгеньевич, как прошел год?\n"
    "— В этом году мы запустили два блока.\n"
    "Это рекорд.\n"
    "– А что дальше?\n"
    "- Дальше будет ещё больше.\n"
    "Источник: РИА Новости"
)


@pytest.mark.parametrize("text, with_mentions, guest, guest_key", [
    (DASHED, True, "Алексей Лихачев", "PER:алексей лихачев"),
    (DASHED, False, "собеседник", None),  # nobody named: the generic interviewee
    (DASHED.replace("Глава госкорпорации «Росатом» Алексей Лихачёв", "Сергей Кириенко и Алексей Лихачёв"),
     True, "собеседник", None),  # two people named: unsure who answers
])
def test_dashed_interview_turns(text, with_mentions, guest, guest_key):
    turns = extract_turns(text, natasha_mentions(text) if with_mentions else ())
    assert [(t.speaker, t.speaker_key, t.is_question, t.text) for t in turns] == [
        ("корреспондент", None, True, "Алексей Евгеньевич, как прошел год?"),
        (guest, guest_key, False, "В этом году мы запустили два блока.\nЭто рекорд."),
        ("корреспондент", None, True, "А что дальше?"),
        (guest, guest_key, False, "Дальше будет ещё больше."),
    ]
    assert all(text[t.char_start:t.char_end] == t.text for t in turns)


@pytest.mark.parametrize("text", [
    # direct speech in news: dashes, but it does not open with a question
    "Министр выступил в Думе.\n— Мы справимся, — сказал он.\n— Вы уверены? — спросили его.\n"
    "— Да.\n— А сроки? — уточнили журналисты.\n— Прежние.",
    # one question only
    "Интервью: Иванов\n— Как дела?\n— Хорошо.\n— Спасибо.",
])
def test_dashes_without_an_interview_are_not_turns(text):
    assert extract_turns(text) == []
