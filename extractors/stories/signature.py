"""MinHash signatures and LSH band keys of a document's text. Pure and deterministic.

* The text is normalised (lower case, ё → е, punctuation dropped) and cut into word shingles of
  ``shingle_size`` words. Their MinHash (datasketch, fixed seed, the ``affine32`` scheme with
  SHA-1 of the UTF-8 shingle) is the document's ``signature``: a list of ``num_perm`` ints.
* A second, word-level signature over word stems (words cut to ``stem_chars`` letters) measures
  vocabulary overlap: rewrites of the same event share words but few shingles.
* The signature is cut into ``bands`` bands of ``rows`` values; each band is hashed (BLAKE2b, never
  Python's ``hash()``) with its band number into a signed 64-bit ``band_key``. Two documents that
  share a band key are candidates, so the warehouse finds them with an equality join.
"""
from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsetl.extractors.stories.params import SIGNATURE, STORIES_VERSION, SignatureParams

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MINHASH_SCHEME = "affine32"


@dataclass(frozen=True)
class Fingerprint:
    """What the warehouse stores per document to find and compare near-duplicates."""

    signature: list[int]
    word_signature: list[int]
    band_keys: list[int]
    n_shingles: int
    n_words: int

    def signature_row(self, doc_id: str) -> dict[str, Any]:
        """A ``doc_signatures`` row."""
        return {"doc_id": doc_id, "signature": self.signature, "word_signature": self.word_signature,
                "n_shingles": self.n_shingles, "n_words": self.n_words, "stories_version": STORIES_VERSION}

    def band_rows(self, doc_id: str) -> list[dict[str, Any]]:
        """The ``doc_bands`` rows (one per distinct band key)."""
        return [{"band_key": key, "doc_id": doc_id} for key in dict.fromkeys(self.band_keys)]


def normalise_words(text: str) -> list[str]:
    """The words of ``text``: lower case, ё → е, punctuation and underscores dropped."""
    return _WORD.findall(text.lower().replace("ё", "е"))


def shingles(words: list[str], size: int) -> set[str]:
    """Distinct runs of ``size`` consecutive words; a shorter text is one shingle of all its words."""
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def stems(words: list[str], stem_chars: int) -> set[str]:
    """Crude stems (the first ``stem_chars`` letters) of the words longer than two letters."""
    return {w[:stem_chars] for w in words if len(w) > 2}


def minhash(items: set[str], params: SignatureParams = SIGNATURE) -> list[int]:
    """The MinHash signature of a set of strings; empty for an empty set."""
    if not items:
        return []
    from datasketch import MinHash

    sketch = MinHash(num_perm=params.num_perm, seed=params.seed, scheme=MINHASH_SCHEME)
    sketch.update_batch([item.encode("utf-8") for item in sorted(items)])
    return [int(value) for value in sketch.hashvalues]


def band_keys(signature: Sequence[int], params: SignatureParams = SIGNATURE) -> list[int]:
    """One signed 64-bit key per band: BLAKE2b of the band number and the band's values (each a
    little-endian unsigned 64-bit integer)."""
    if len(signature) == 0:
        return []
    values = np.asarray(signature, dtype="<u8")
    keys = []
    for band in range(params.bands):
        payload = struct.pack("<I", band) + values[band * params.rows:(band + 1) * params.rows].tobytes()
        digest = hashlib.blake2b(payload, digest_size=8, person=b"newsetl-lsh").digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def fingerprint(text: str, params: SignatureParams = SIGNATURE) -> Fingerprint:
    """The signatures and band keys of one document's text."""
    words = normalise_words(text)
    grams = shingles(words, params.shingle_size)
    signature = minhash(grams, params)
    return Fingerprint(signature=signature, word_signature=minhash(stems(words, params.stem_chars), params),
                       band_keys=band_keys(signature, params), n_shingles=len(grams), n_words=len(words))


def estimated_jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """The share of equal positions of two signatures (lists or arrays; 0.0 when either is empty)."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    if len(a) != len(b):
        raise ValueError(f"signatures of different lengths ({len(a)} and {len(b)}): recompute with one version")
    return int(np.count_nonzero(np.asarray(a) == np.asarray(b))) / len(a)


def estimated_containment(jaccard: float, n_a: int, n_b: int) -> float:
    """The share of the smaller set inside the larger, from their Jaccard and sizes.

    |A∩B| = J·(|A|+|B|)/(1+J), divided by min(|A|, |B|); capped at 1.
    """
    smaller = min(n_a, n_b)
    if smaller <= 0:
        return 0.0
    return min(1.0, jaccard * (n_a + n_b) / ((1.0 + jaccard) * smaller))


def story_rows(doc_id: str, text: str) -> dict[str, list[dict[str, Any]]]:
    """The ``doc_signatures`` and ``doc_bands`` rows of one document, keyed by table."""
    fp = fingerprint(text)
    return {"doc_signatures": [fp.signature_row(doc_id)], "doc_bands": fp.band_rows(doc_id)}
