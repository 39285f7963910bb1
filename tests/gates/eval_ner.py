"""Token-level NER scoring on the factRuEval-2016 devset, the way naeval scores it.

The text is tokenised with razdel; a token inside a span of type T (gold or
predicted) is labelled T; precision, recall and F1 per type are computed over the
token labels.  Usable as a module (``score``, ``natasha_spans``, ``newsetl_spans``)
and as a script that prints the table for Natasha alone and for newsetl:

    /work/main/.venv/bin/python tests/gates/eval_ner.py

The devset is also cut in two halves by a hash of the document id (:func:`split_devset`):
the rules may be tuned on the first, the second measures how they generalise.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from razdel import tokenize

DEVSET = Path(__file__).resolve().parents[1] / "data" / "factru-dev"
TYPES = ("PER", "LOC", "ORG")
Span = tuple[int, int, str]


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    text: str
    spans: list[Span]


@dataclass(frozen=True)
class TypeScore:
    precision: float
    recall: float
    f1: float
    support: int


def load_devset(folder: Path = DEVSET) -> list[GoldDoc]:
    """The devset's texts with their gold NER spans."""
    gold = {}
    with open(folder / "gold.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            gold[record["id"]] = [tuple(span) for span in record["ner"]]
    docs = []
    with open(folder / "documents.jsonl", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            docs.append(GoldDoc(record["id"], record["text"], gold[record["id"]]))
    return docs


HALVES = ("tune", "held-out")


def half_of(doc_id: str) -> str:
    """The half a document belongs to, by the parity of the first byte of sha256(doc id)."""
    return HALVES[hashlib.sha256(doc_id.encode("utf-8")).digest()[0] % 2]


def split_devset(docs: Sequence[GoldDoc]) -> dict[str, list[GoldDoc]]:
    """The devset cut into a tune half (rules may be fitted on it) and a held-out half."""
    halves: dict[str, list[GoldDoc]] = {half: [] for half in HALVES}
    for doc in docs:
        halves[half_of(doc.doc_id)].append(doc)
    return halves


def token_labels(tokens: Sequence, spans: Iterable[Span]) -> list[str | None]:
    """The type of the span each token lies inside, or None."""
    labels: list[str | None] = [None] * len(tokens)
    starts = [token.start for token in tokens]
    for start, stop, kind in spans:
        i = bisect.bisect_left(starts, start)
        while i < len(tokens) and tokens[i].stop <= stop:
            if labels[i] is None:
                labels[i] = kind
            i += 1
    return labels


def count(docs: Sequence[GoldDoc], predict: Callable[[str], Iterable[Span]]) -> Counter:
    """True positive, false positive and false negative token counts per type."""
    counts: Counter = Counter()
    for doc in docs:
        tokens = list(tokenize(doc.text))
        gold = token_labels(tokens, doc.spans)
        guess = token_labels(tokens, predict(doc.text))
        for expected, got in zip(gold, guess):
            if expected is not None and expected == got:
                counts[expected, "tp"] += 1
                continue
            if got is not None:
                counts[got, "fp"] += 1
            if expected is not None:
                counts[expected, "fn"] += 1
    return counts


def score(docs: Sequence[GoldDoc], predict: Callable[[str], Iterable[Span]]) -> dict[str, TypeScore]:
    """Per-type token precision, recall and F1 of ``predict`` against the gold spans."""
    counts = count(docs, predict)
    scores = {}
    for kind in TYPES:
        tp, fp, fn = counts[kind, "tp"], counts[kind, "fp"], counts[kind, "fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[kind] = TypeScore(precision, recall, f1, tp + fn)
    return scores


def natasha_spans(text: str) -> list[Span]:
    """Natasha's NER tagger alone (the same bundled model newsetl loads)."""
    from newsetl.extractors.entities.analyze import load_models

    markup = load_models().ner_tagger(text)
    return [(span.start, span.stop, span.type) for span in markup.spans]


def newsetl_spans(text: str) -> list[Span]:
    """newsetl's mentions."""
    from newsetl.extractors.entities.analyze import extract_mentions

    return [(m.start, m.stop, m.type) for m in extract_mentions(text)]


def timed_score(docs: Sequence[GoldDoc], predict: Callable[[str], Iterable[Span]]) -> tuple[dict[str, TypeScore], float]:
    """Scores and milliseconds per document (prediction and scoring together)."""
    started = time.perf_counter()
    scores = score(docs, predict)
    return scores, (time.perf_counter() - started) * 1000 / len(docs)


def format_table(rows: dict[str, dict[str, TypeScore]]) -> str:
    """A plain-text table: one row per system and type."""
    lines = [f"{'system':<17} {'type':<4} {'prec':>6} {'recall':>6} {'f1':>6} {'tokens':>6}"]
    for system, scores in rows.items():
        for kind in TYPES:
            s = scores[kind]
            lines.append(f"{system:<17} {kind:<4} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:6d}")
    return "\n".join(lines)


def main() -> None:
    from newsetl.extractors.entities.analyze import load_models

    docs = load_devset()
    load_models()
    natasha, natasha_ms = timed_score(docs, natasha_spans)
    newsetl, newsetl_ms = timed_score(docs, newsetl_spans)
    rows = {"natasha": natasha, "newsetl": newsetl}
    for half, half_docs in split_devset(docs).items():
        rows[f"newsetl/{half}"] = score(half_docs, newsetl_spans)
    print(format_table(rows))
    print(f"ms/document: natasha {natasha_ms:.1f}, newsetl {newsetl_ms:.1f} ({len(docs)} documents)")


if __name__ == "__main__":
    main()
