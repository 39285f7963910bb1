"""Tune the near-duplicate threshold, the shingle size and the story rule on data made from real texts.

    .venv/bin/python bench/tune_stories.py            # prints the tables (about a minute)
    .venv/bin/python bench/tune_stories.py --k 4      # the per-variant table for shingle size 4

Positives are variants of each factRuEval dev text (tests/extractors/stories/story_variants.py):
near-duplicates (header/footer, one sentence edited, paragraphs reordered, first half, paragraphs
dropped) and rewrites of the same event (``reworded``: same names and words, other sequences).
Negatives are every pair of different real texts; ``same_topic`` pairs share at least two entities.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "extractors" / "stories"))

from story_variants import (  # noqa: E402
    NEAR_DUPLICATE_VARIANTS, STORY_VARIANTS, entity_ids, load_texts, same_topic_pairs,
)

from newsetl.extractors.stories import SIGNATURE, STORY, StoryDoc, compare, fingerprint  # noqa: E402
from newsetl.extractors.stories.clusters import near_duplicate_similarity  # noqa: E402

SHINGLE_SIZES = (1, 2, 3, 4, 5, 7)
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
STORY_THRESHOLDS = (0.25, 0.35, 0.45, 0.55, 0.65)
LSH_CONFIGS = ((128, 32, 4), (128, 42, 3), (128, 64, 2), (256, 85, 3))  # (num_perm, bands, rows)


def lsh_table(k: int) -> list[str]:
    """Per LSH layout: the share of pairs that share a band key, and the theoretical candidate
    probability of a pair with Jaccard 0.4 (a shortened copy) and 0.01 (background)."""
    texts = load_texts()
    lines = ["| num_perm | bands x rows | P(candidate) J=0.4 | J=0.01 | first_half found | dropped_paragraphs found | "
             "other near-dups found | negative pairs found |", "|---|---|---|---|---|---|---|---|"]
    for num_perm, bands, rows in LSH_CONFIGS:
        params = replace(SIGNATURE, shingle_size=k, num_perm=num_perm, bands=bands, rows=rows)
        keys = {t.doc_id: set(fingerprint(t.text, params).band_keys) for t in texts}
        found = {name: statistics.mean(bool(keys[t.doc_id] & set(fingerprint(make(t.text), params).band_keys))
                                       for t in texts) for name, make in NEAR_DUPLICATE_VARIANTS.items()}
        others = statistics.mean(v for n, v in found.items() if n not in ("first_half", "dropped_paragraphs"))
        negatives = sum(bool(keys[a.doc_id] & keys[b.doc_id]) for i, a in enumerate(texts) for b in texts[i + 1:])
        theory = [1 - (1 - j ** rows) ** bands for j in (0.4, 0.01)]
        lines.append(f"| {num_perm} | {bands} x {rows} | {theory[0]:.3f} | {theory[1]:.5f} | {found['first_half']:.1%} | "
                     f"{found['dropped_paragraphs']:.1%} | {others:.1%} | {negatives} |")
    return lines


def story_doc(doc_id: str, text: str, surfaces: tuple[str, ...], k: int) -> StoryDoc:
    """A StoryDoc for ``text`` with shingles of ``k`` words, undated (no window in the pair tables)."""
    fp = fingerprint(text, replace(SIGNATURE, shingle_size=k))
    return StoryDoc(doc_id, fp.signature, fp.word_signature, fp.n_shingles,
                    entity_ids=entity_ids(text, surfaces))


def build_pairs(k: int) -> list[tuple[str, StoryDoc, StoryDoc, set[str]]]:
    """(label, a, b, shared band keys) for every variant pair and every pair of different texts."""
    texts = load_texts()
    docs = {t.doc_id: story_doc(t.doc_id, t.text, t.entity_surfaces, k) for t in texts}
    bands = {t.doc_id: set(fingerprint(t.text, replace(SIGNATURE, shingle_size=k)).band_keys) for t in texts}
    pairs = []
    for t in texts:
        for name, make in {**NEAR_DUPLICATE_VARIANTS, **STORY_VARIANTS}.items():
            variant = make(t.text)
            fp = fingerprint(variant, replace(SIGNATURE, shingle_size=k))
            doc = story_doc(f"{t.doc_id}/{name}", variant, t.entity_surfaces, k)
            pairs.append((name, doc, docs[t.doc_id], bands[t.doc_id] & set(fp.band_keys)))
    topical = {(a.doc_id, b.doc_id) for a, b in same_topic_pairs(texts)}
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            label = "same_topic" if (a.doc_id, b.doc_id) in topical else "unrelated"
            pairs.append((label, docs[a.doc_id], docs[b.doc_id], bands[a.doc_id] & bands[b.doc_id]))
    return pairs


def prf(hits: list[tuple[bool, bool]]) -> tuple[float, float]:
    """Precision and recall of (predicted, actual) pairs."""
    tp = sum(p and a for p, a in hits)
    fp = sum(p and not a for p, a in hits)
    fn = sum(a and not p for p, a in hits)
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def near_duplicate_table(all_pairs: dict[int, list]) -> list[str]:
    """Precision/recall of the near-duplicate decision per shingle size and threshold."""
    lines = ["| k | " + " | ".join(f"t={t}" for t in THRESHOLDS) + " | max negative |", "|---" * (len(THRESHOLDS) + 2) + "|"]
    for k, pairs in all_pairs.items():
        sims = [(near_duplicate_similarity(a, b, STORY)[2], label in NEAR_DUPLICATE_VARIANTS) for label, a, b, _ in pairs]
        cells = []
        for t in THRESHOLDS:
            p, r = prf([(s >= t, actual) for s, actual in sims])
            cells.append(f"P {p:.3f} R {r:.3f}")
        worst = max(s for s, actual in sims if not actual)
        lines.append(f"| {k} | " + " | ".join(cells) + f" | {worst:.3f} |")
    return lines


def variant_table(pairs: list) -> list[str]:
    """Per variant: mean and min Jaccard, near-duplicate similarity, story score; LSH recall."""
    lines = ["| pair | n | Jaccard mean (min–max) | near-dup similarity mean (min) | story score mean (max) | share a band key |",
             "|---|---|---|---|---|---|"]
    labels = [*NEAR_DUPLICATE_VARIANTS, *STORY_VARIANTS, "same_topic", "unrelated"]
    for label in labels:
        rows = [(compare(a, b, STORY), shared) for lab, a, b, shared in pairs if lab == label]
        if not rows:
            continue
        jac = [s.jaccard for s, _ in rows]
        sim = [s.near_duplicate_similarity for s, _ in rows]
        story = [s.story_score for s, _ in rows]
        banded = sum(bool(shared) for _, shared in rows) / len(rows)
        lines.append(f"| {label} | {len(rows)} | {statistics.mean(jac):.3f} ({min(jac):.2f}–{max(jac):.2f}) | "
                     f"{statistics.mean(sim):.3f} ({min(sim):.2f}) | {statistics.mean(story):.3f} ({max(story):.2f}) | "
                     f"{banded:.1%} |")
    return lines


def story_table(pairs: list) -> list[str]:
    """Precision/recall of 'same story' (pairs in the window) per story threshold."""
    positive = {*NEAR_DUPLICATE_VARIANTS, *STORY_VARIANTS}
    lines = ["| story_threshold | precision | recall | same_topic pairs joined | reworded joined |", "|---|---|---|---|---|"]
    for t in STORY_THRESHOLDS:
        params = replace(STORY, story_threshold=t, window_days=1e6)
        decided = [(label, _dated(a, b, params)) for label, a, b, _ in pairs]
        p, r = prf([(joins, label in positive) for label, joins in decided])
        topical = [joins for label, joins in decided if label == "same_topic"]
        reworded = [joins for label, joins in decided if label == "reworded"]
        lines.append(f"| {t} | {p:.3f} | {r:.3f} | {sum(topical)}/{len(topical)} | {sum(reworded)}/{len(reworded)} |")
    return lines


def _dated(a: StoryDoc, b: StoryDoc, params) -> bool:
    """Whether the pair joins one story when both are dated the same day."""
    from datetime import datetime

    day = datetime(2026, 1, 1)
    return compare(replace(a, published_at=day), replace(b, published_at=day), params).joins_story


def main() -> None:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=SIGNATURE.shingle_size, help="shingle size of the per-variant tables")
    args = parser.parse_args()
    all_pairs = {k: build_pairs(k) for k in SHINGLE_SIZES}
    print(f"Near-duplicate decision (similarity >= t; containment {STORY.containment_threshold} counts for "
          f"shortened copies), precision P and recall R over {len(all_pairs[args.k])} pairs:\n")
    print("\n".join(near_duplicate_table(all_pairs)))
    print(f"\nPer variant, shingle size k={args.k}, {SIGNATURE.num_perm} permutations, "
          f"{SIGNATURE.bands} bands x {SIGNATURE.rows} rows:\n")
    print("\n".join(variant_table(all_pairs[args.k])))
    print(f"\nSame story (near-duplicate, or story score >= threshold with >= {STORY.min_shared_entities} shared "
          f"entities; all pairs dated the same day), k={args.k}:\n")
    print("\n".join(story_table(all_pairs[args.k])))
    print(f"\nLSH layouts (k={args.k}): share of variant pairs that share a band key, i.e. are found by the join:\n")
    print("\n".join(lsh_table(args.k)))


if __name__ == "__main__":
    main()
