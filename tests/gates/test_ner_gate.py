"""Quality gate: token-level NER F1 per type on the factRuEval-2016 devset (naeval style).

Prints the table for Natasha's tagger alone and for newsetl, and fails when newsetl
falls below the floors.  The floors sit just below what newsetl achieves and never
below Natasha's own devset scores (PER .960, LOC .906, ORG .776).
"""
from __future__ import annotations

import pytest

from eval_ner import format_table, load_devset, natasha_spans, newsetl_spans, timed_score

NATASHA_PUBLISHED = {"PER": 0.960, "LOC": 0.906, "ORG": 0.776}
NEWSETL_FLOORS = {"PER": 0.972, "LOC": 0.920, "ORG": 0.820}


@pytest.fixture(scope="module")
def devset_scores():
    docs = load_devset()
    natasha, natasha_ms = timed_score(docs, natasha_spans)
    newsetl, newsetl_ms = timed_score(docs, newsetl_spans)
    print()
    print(format_table({"natasha": natasha, "newsetl": newsetl}))
    print(f"ms/document: natasha {natasha_ms:.1f}, newsetl {newsetl_ms:.1f} ({len(docs)} documents)")
    return natasha, newsetl


def test_floors_never_below_natasha():
    for kind, floor in NEWSETL_FLOORS.items():
        assert floor >= NATASHA_PUBLISHED[kind]


@pytest.mark.parametrize("kind", sorted(NATASHA_PUBLISHED))
def test_natasha_alone_reproduces_published_score(devset_scores, kind):
    natasha, _ = devset_scores
    assert natasha[kind].f1 == pytest.approx(NATASHA_PUBLISHED[kind], abs=0.0015)


@pytest.mark.parametrize("kind", sorted(NEWSETL_FLOORS))
def test_newsetl_above_floor(devset_scores, kind):
    _, newsetl = devset_scores
    assert newsetl[kind].f1 >= NEWSETL_FLOORS[kind]


@pytest.mark.parametrize("kind", sorted(NEWSETL_FLOORS))
def test_newsetl_beats_natasha(devset_scores, kind):
    natasha, newsetl = devset_scores
    assert newsetl[kind].f1 > natasha[kind].f1
