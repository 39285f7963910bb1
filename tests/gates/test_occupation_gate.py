"""Quality gate: Occupation facts on the factRuEval-2016 devset (122 texts, 211 facts), by half.

The devset is split by a hash of the document id (``eval_facts.devset_half``): rules are tuned on
``tune`` (61 texts, 105 facts) and ``held_out`` (61 texts, 106 facts) is reported beside it, so the
held-out floors measure how the rules generalise. The matching is documented in ``eval_facts``.
Scored with mentions from Natasha's own NER and from the project's ``extract_mentions``; every
score is printed (run pytest with ``-s``).
"""
import pytest

from eval_facts import HALVES, natasha_mentions, project_mentions, score_occupations

# (precision, recall, F1) floors, about 0.01 below what facts/3 reaches:
#   natasha           tune P=.863 R=.771 F1=.815   held_out P=.800 R=.623 F1=.700
#   extract_mentions  tune P=.853 R=.752 F1=.799   held_out P=.786 R=.604 F1=.683
FLOORS = {
    ("natasha", "tune"): (0.85, 0.76, 0.80),
    ("natasha", "held_out"): (0.79, 0.61, 0.69),
    ("extract_mentions", "tune"): (0.84, 0.74, 0.78),
    ("extract_mentions", "held_out"): (0.77, 0.59, 0.67),
}


@pytest.mark.parametrize("name", ["natasha", "extract_mentions"])
def test_occupation_gate(name):
    mentioner = natasha_mentions if name == "natasha" else project_mentions()
    assert mentioner is not None, "newsetl.extractors.entities.analyze.extract_mentions is not usable"
    cache = {}

    def cached(text):
        if text not in cache:
            cache[text] = mentioner(text)
        return cache[text]

    scores = {half: score_occupations(cached, half=half) for half in HALVES}
    print(f"\nOccupation gate ({name} mentions)")
    for half, score in scores.items():
        print(f"  {half:<9} {score}")
    failures = [
        f"{half}: {score} below floors P/R/F1 {FLOORS[name, half]}"
        for half, score in scores.items()
        if any(value < floor for value, floor in zip((score.precision, score.recall, score.f1), FLOORS[name, half]))
    ]
    assert failures == []
