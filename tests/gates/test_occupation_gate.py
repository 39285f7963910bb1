"""Quality gate: Occupation facts on the factRuEval-2016 devset (122 texts, 211 facts).

The matching is documented in ``eval_facts`` (person overlaps the gold Who object,
position overlaps the gold Position span, Where checked when both sides have it).
Scored with mentions from Natasha's own NER and, when it works, from the project's
``extract_mentions``; both scores are printed (run pytest with ``-s``).
"""
import pytest

from eval_facts import natasha_mentions, project_mentions, score_occupations

# (precision, recall, F1) floors, a little below what facts/1 reaches:
# natasha P=.838 R=.697 F1=.761; extract_mentions P=.826 R=.678 F1=.744.
FLOORS = {"natasha": (0.80, 0.66, 0.73), "extract_mentions": (0.79, 0.64, 0.71)}


@pytest.mark.parametrize("name", ["natasha", "extract_mentions"])
def test_occupation_gate(name):
    mentioner = natasha_mentions if name == "natasha" else project_mentions()
    assert mentioner is not None, "newsetl.extractors.entities.analyze.extract_mentions is not usable"
    score = score_occupations(mentioner)
    print(f"\nOccupation gate ({name} mentions): {score}")
    min_p, min_r, min_f1 = FLOORS[name]
    assert score.precision >= min_p and score.recall >= min_r and score.f1 >= min_f1, str(score)
