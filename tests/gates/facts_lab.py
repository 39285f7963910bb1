"""Fast rule experiments for the occupation extractor: analyse the factRuEval devset once, then score variants.

    python tests/gates/facts_lab.py            # mentions cached in $TMPDIR/newsetl-facts-lab-*.pkl on first run
    python tests/gates/facts_lab.py --ablate   # every subset of facts.coref.UNNAMED_POST_RULES

Scores are ``eval_facts.score_occupations`` by half (tune, held_out) for both mentioners, as the gate
reports them; only the mentions are cached, so a rule change is measured in seconds. Tune on ``tune``.
"""
from __future__ import annotations

import itertools
import pickle
import sys
import tempfile
from pathlib import Path

from eval_facts import HALVES, load_factru, natasha_mentions, project_mentions, score_occupations

MENTIONERS = ("natasha", "extract_mentions")


def cached_mentioner(name: str):
    """A ``text -> mentions`` function reading (and on first use writing) a pickle of the devset's mentions."""
    path = Path(tempfile.gettempdir()) / f"newsetl-facts-lab-{name}.pkl"
    if not path.exists():
        mentioner = natasha_mentions if name == "natasha" else project_mentions()
        path.write_bytes(pickle.dumps({doc["text"]: mentioner(doc["text"]) for doc, _ in load_factru()}))
    by_text = pickle.loads(path.read_bytes())
    return by_text.__getitem__


def report(label: str = "") -> None:
    """Print the occupation scores of both mentioners on both halves."""
    for name in MENTIONERS:
        mentioner = cached_mentioner(name)
        for half in HALVES:
            print(f"{label}{name:17} {half:9} {score_occupations(mentioner, half=half)}", flush=True)


if __name__ == "__main__":
    if "--ablate" in sys.argv:
        from newsetl.extractors.facts import coref

        rules = sorted(coref.UNNAMED_POST_RULES)
        for size in range(len(rules) + 1):
            for subset in itertools.combinations(rules, size):
                coref.UNNAMED_POST_RULES = frozenset(subset)
                report(f"{'+'.join(subset) or 'none':28} ")
    else:
        report()
