"""Person normal-form accuracy on the factRuEval-2016 devset.

The gold: every sixth Person object of the devset that has both a name and a surname span
(78 mentions, in devset order), from its first to its last name/surname/patronymic span,
with the nominative written by hand (:data:`PERSON_GOLD`; the text's own form when it is
already nominative).  A mention counts as found when newsetl has a PER mention with
exactly that span; accuracy is over the found ones, ё and е being the same letter.

    /work/main/.venv/bin/python tests/gates/eval_normal_forms.py
"""
from __future__ import annotations

from dataclasses import dataclass

from eval_ner import load_devset

# (document id, start, stop, nominative written by hand)
PERSON_GOLD = [
    ("factru-dev-100", 313, 325, "Юрий Лужков"), ("factru-dev-105", 54, 69, "Герольд Кемпинг"),
    ("factru-dev-117", 0, 11, "Барак Обама"), ("factru-dev-124", 1011, 1023, "Мишель Обама"),
    ("factru-dev-142", 1227, 1241, "Реджеп Эрдоган"), ("factru-dev-142", 2386, 2402, "Мустафа Джемилев"),
    ("factru-dev-142", 4258, 4272, "Реджеп Эрдоган"), ("factru-dev-145", 0, 15, "Фернандо Алонсо"),
    ("factru-dev-145", 1293, 1312, "Хуан Пабло Монтойя"), ("factru-dev-147", 1298, 1313, "Егор Свиридов"),
    ("factru-dev-147", 2221, 2238, "Александр Белов"), ("factru-dev-147", 3959, 3976, "Виктор Шендерович"),
    ("factru-dev-151", 964, 977, "Джошуа Вольф"), ("factru-dev-151", 2170, 2183, "Сами аль-Хадж"),
    ("factru-dev-154", 0, 17, "Михаил Саакашвили"), ("factru-dev-154", 415, 432, "Гиорги Маисашвили"),
    ("factru-dev-154", 2322, 2340, "Давид Мирианашвали"), ("factru-dev-1667", 435, 447, "Ким Чен Ир"),
    ("factru-dev-182", 54, 66, "Иса Ямадаев"), ("factru-dev-182", 945, 956, "Иса Ямадаев"),
    ("factru-dev-188", 718, 732, "Владимир Путин"), ("factru-dev-252", 765, 775, "Джон Бенер"),
    ("factru-dev-253", 560, 579, "Александр Мишарин"), ("factru-dev-256", 315, 332, "Дмитрий Медведев"),
    ("factru-dev-259", 1247, 1262, "Кирилл Разлогов"), ("factru-dev-260", 408, 424, "Дмитрий Медведев"),
    ("factru-dev-261", 605, 625, "Анатолий Сердюков"), ("factru-dev-270", 833, 849, "Джоанна Стингрей"),
    ("factru-dev-271", 921, 935, "Владимир Путин"), ("factru-dev-288", 144, 160, "Рамзан Кадыров"),
    ("factru-dev-290", 23, 32, "Наото Кан"), ("factru-dev-294", 37, 50, "Фрэнк Лэмпард"),
    ("factru-dev-297", 171, 184, "Юрий Мильнер"), ("factru-dev-301", 1344, 1355, "Барак Обама"),
    ("factru-dev-302", 819, 836, "Владимир Беспалов"), ("factru-dev-317", 124, 136, "Юрий Лужков"),
    ("factru-dev-326", 678, 689, "Матиас Йорш"), ("factru-dev-336", 10, 27, "Виталий Калоев"),
    ("factru-dev-347", 508, 523, "Федор Мирзоянов"), ("factru-dev-347", 1543, 1559, "Андрей Санников"),
    ("factru-dev-348", 86, 104, "Михаил Саакашвили"), ("factru-dev-361", 636, 651, "Хиллари Клинтон"),
    ("factru-dev-367", 545, 557, "Марин Ле Пен"), ("factru-dev-374", 327, 341, "Алексей Миллер"),
    ("factru-dev-375", 281, 299, "Виктор Понедельник"), ("factru-dev-389", 562, 571, "Марк Шилд"),
    ("factru-dev-389", 848, 859, "Маркус Мерк"), ("factru-dev-389", 1016, 1025, "Эрик Пула"),
    ("factru-dev-389", 1276, 1288, "Карлос Симон"), ("factru-dev-394", 468, 486, "Кирсан Илюмжинов"),
    ("factru-dev-394", 1852, 1870, "Кирсан Илюмжинов"), ("factru-dev-396", 1040, 1058, "Валерий Токарев"),
    ("factru-dev-398", 37, 53, "Jürgen Klinsmann"), ("factru-dev-398", 492, 504, "Оливер Кан"),
    ("factru-dev-399", 482, 500, "Сильвио Берлускони"), ("factru-dev-410", 168, 181, "Маркос Понтес"),
    ("factru-dev-411", 352, 368, "Александр Галкин"), ("factru-dev-411", 493, 507, "Алексей Илюшин"),
    ("factru-dev-411", 877, 891, "Владимир Белов"), ("factru-dev-411", 1076, 1089, "Мария Курсова"),
    ("factru-dev-413", 145, 161, "Кирсан Илюмжинов"), ("factru-dev-425", 186, 201, "Чарльз Дарвин"),
    ("factru-dev-438", 18, 30, "Пегги Уитсон"), ("factru-dev-438", 2735, 2750, "Юрий Маленченко"),
    ("factru-dev-438", 6486, 6503, "Анатолий Перминов"), ("factru-dev-443", 1008, 1023, "Garrett Reisman"),
    ("factru-dev-444", 170, 184, "Владимир Путин"), ("factru-dev-448", 1596, 1608, "Виктор Бут"),
    ("factru-dev-455", 1273, 1284, "Томас Винье"), ("factru-dev-462", 1257, 1268, "Фил О’Рейли"),
    ("factru-dev-483", 752, 768, "Вишванатан Ананд"), ("factru-dev-483", 1759, 1774, "Веселин Топалов"),
    ("factru-dev-483", 1992, 2004, "Этьенн Бакро"), ("factru-dev-483", 2259, 2272, "Люк Ван Велли"),
    ("factru-dev-506", 24, 40, "Дмитрий Медведев"), ("factru-dev-542", 639, 655, "Владимир Путин"),
    ("factru-dev-61", 929, 945, "Михаэль Вайнрайх"), ("factru-dev-74", 668, 684, "Дмитрий Медведев"),
]


@dataclass(frozen=True)
class NormalFormScore:
    gold: int
    found: int
    correct: int
    oblique_found: int
    oblique_correct: int
    errors: tuple[tuple[str, str, str], ...]  # (surface, expected, got)

    @property
    def accuracy(self) -> float:
        return self.correct / self.found if self.found else 0.0

    @property
    def oblique_accuracy(self) -> float:
        return self.oblique_correct / self.oblique_found if self.oblique_found else 0.0


def _same(a: str, b: str) -> bool:
    return a.replace("ё", "е") == b.replace("ё", "е")


def score_persons() -> NormalFormScore:
    """Accuracy of newsetl's person normal forms against :data:`PERSON_GOLD`."""
    from newsetl.extractors.entities.analyze import extract_mentions

    texts = {doc.doc_id: doc.text for doc in load_devset()}
    found = correct = oblique_found = oblique_correct = 0
    errors = []
    mentions_of = {}
    for doc_id, start, stop, expected in PERSON_GOLD:
        if doc_id not in mentions_of:
            mentions_of[doc_id] = {(m.start, m.stop): m for m in extract_mentions(texts[doc_id]) if m.type == "PER"}
        mention = mentions_of[doc_id].get((start, stop))
        if mention is None:
            continue
        surface = texts[doc_id][start:stop]
        oblique = not _same(surface, expected)
        found += 1
        oblique_found += oblique
        if _same(mention.normal, expected):
            correct += 1
            oblique_correct += oblique
        else:
            errors.append((surface, expected, mention.normal))
    return NormalFormScore(len(PERSON_GOLD), found, correct, oblique_found, oblique_correct, tuple(errors))


def report(result: NormalFormScore) -> str:
    """A few lines: coverage, accuracy overall and on the oblique-case mentions, the errors."""
    lines = [f"persons: gold {result.gold}, found {result.found}, accuracy {result.accuracy:.3f} "
             f"({result.correct}/{result.found}); oblique-case {result.oblique_accuracy:.3f} "
             f"({result.oblique_correct}/{result.oblique_found})"]
    lines.extend(f"  {surface!r}: expected {expected!r}, got {got!r}" for surface, expected, got in result.errors)
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(score_persons()))
