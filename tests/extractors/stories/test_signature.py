"""Signatures and band keys: normalisation, shingles, determinism, estimated similarity."""
from __future__ import annotations

import subprocess
import sys

import pytest
from story_variants import NEAR_DUPLICATE_VARIANTS, load_texts

from newsetl.extractors.stories import (
    SIGNATURE, band_keys, estimated_containment, estimated_jaccard, fingerprint, normalise_words, shingles,
    story_rows,
)

TEXT = "Президент России Владимир Путин провёл совещание с членами правительства."


@pytest.mark.parametrize(("text", "words"), [
    ("Ёлка, ЁЖ и «Еж»!", ["елка", "еж", "и", "еж"]),
    ("ОДКБ: 2026 год — итоги_года", ["одкб", "2026", "год", "итоги", "года"]),
    ("  \n\t...  ", []),
])
def test_normalise_words(text, words):
    assert normalise_words(text) == words


@pytest.mark.parametrize(("words", "size", "expected"), [
    (["a", "b", "c", "d"], 3, {"a b c", "b c d"}),
    (["a", "b"], 3, {"a b"}),
    ([], 3, set()),
    (["a", "b", "a", "b"], 2, {"a b", "b a"}),
])
def test_shingles(words, size, expected):
    assert shingles(words, size) == expected


def test_signature_has_the_configured_shape():
    fp = fingerprint(TEXT)
    assert len(fp.signature) == SIGNATURE.num_perm
    assert len(fp.band_keys) == SIGNATURE.bands
    assert fp.n_words == 9 and fp.n_shingles == 9 - SIGNATURE.shingle_size + 1
    assert all(-2**63 <= key < 2**63 for key in fp.band_keys)  # fits BIGINT


def test_signature_ignores_case_yo_and_punctuation():
    assert fingerprint(TEXT).signature == fingerprint(TEXT.upper().replace("ё", "е").replace(".", "!")).signature


def test_signature_is_stable_across_processes():
    """No Python hash(): another interpreter (other PYTHONHASHSEED) gives the same values."""
    code = ("from newsetl.extractors.stories import fingerprint;"
            f"fp = fingerprint({TEXT!r}); print(fp.signature[:5], fp.band_keys[:3])")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    fp = fingerprint(TEXT)
    assert outputs == {f"{fp.signature[:5]} {fp.band_keys[:3]}\n"}


def test_golden_band_key_catches_a_changed_hashing():
    """A change in datasketch or in the parameters must bump STORIES_VERSION; this pins the values."""
    fp = fingerprint(TEXT)
    assert fp.signature[:4] == [694478871, 1039412756, 151348045, 1728806448]
    assert fp.band_keys[0] == 7252596991474547257


def test_empty_text_has_no_signature_and_no_bands():
    fp = fingerprint("… — !")
    assert fp.signature == [] and fp.band_keys == [] and fp.n_shingles == 0
    assert estimated_jaccard(fp.signature, fingerprint(TEXT).signature) == 0.0


def test_band_keys_differ_per_band_even_for_equal_values():
    params = SIGNATURE
    keys = band_keys([7] * params.num_perm, params)
    assert len(set(keys)) == params.bands


def test_estimated_jaccard_tracks_the_true_jaccard():
    texts = load_texts()[:20]
    for text in texts:
        variant = NEAR_DUPLICATE_VARIANTS["sentence_edited"](text.text)
        a = shingles(normalise_words(text.text), SIGNATURE.shingle_size)
        b = shingles(normalise_words(variant), SIGNATURE.shingle_size)
        true = len(a & b) / len(a | b)
        assert abs(estimated_jaccard(fingerprint(text.text).signature, fingerprint(variant).signature) - true) < 0.15


def test_signatures_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        estimated_jaccard([1, 2], [1, 2, 3])


@pytest.mark.parametrize(("jaccard", "n_a", "n_b", "containment"), [
    (0.5, 100, 50, 1.0),     # the smaller set inside the larger
    (1.0, 80, 80, 1.0),
    (0.0, 80, 80, 0.0),
    (0.25, 100, 100, 0.4),   # |A∩B| = 0.25*200/1.25 = 40
    (0.5, 0, 50, 0.0),
])
def test_estimated_containment(jaccard, n_a, n_b, containment):
    assert estimated_containment(jaccard, n_a, n_b) == pytest.approx(containment)


def test_story_rows_are_warehouse_rows():
    rows = story_rows("doc-1", TEXT)
    assert rows["doc_signatures"][0]["doc_id"] == "doc-1"
    assert rows["doc_signatures"][0]["stories_version"].startswith("stories/")
    assert {r["doc_id"] for r in rows["doc_bands"]} == {"doc-1"}
    assert len(rows["doc_bands"]) == len({r["band_key"] for r in rows["doc_bands"]})
