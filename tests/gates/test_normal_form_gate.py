"""Quality gate: person normal forms on hand-checked factRuEval devset mentions (eval_normal_forms).

entities/3 scored 0.974 (75/77; oblique-case mentions 22/24); entities/4 scores 0.987 (75/76;
oblique 23/24).  The floors sit about 0.005 below.
"""
from __future__ import annotations

import pytest

from eval_ner import load_devset
from eval_normal_forms import PERSON_GOLD, report, score_persons

FLOORS = {"accuracy": 0.982, "oblique_accuracy": 0.953}
MIN_FOUND = 74


@pytest.fixture(scope="module")
def person_score():
    result = score_persons()
    print()
    print(report(result))
    return result


def test_gold_spans_lie_on_the_devset_text():
    texts = {doc.doc_id: doc.text for doc in load_devset()}
    for doc_id, start, stop, nominative in PERSON_GOLD:
        surface = texts[doc_id][start:stop]
        assert surface.split()[-1][:2].lower() == nominative.split()[-1][:2].lower()
    assert sum(texts[d][a:b] != n for d, a, b, n in PERSON_GOLD) >= 20  # enough oblique-case mentions


def test_most_gold_persons_are_found(person_score):
    assert person_score.found >= MIN_FOUND


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_person_normal_forms_above_floor(person_score, measure):
    assert getattr(person_score, measure) >= FLOORS[measure]
