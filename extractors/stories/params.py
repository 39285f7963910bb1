"""The tuned parameters of near-duplicate detection and story clustering, as data.

The values were chosen with ``bench/tune_stories.py`` (table in the README, section *Stories*).
Changing any value of the signature (``SHINGLE_SIZE``, ``NUM_PERM``, ``SEED``, ``BANDS``,
``ROWS``) changes every signature and band key: bump ``STORIES_VERSION`` with it so the warehouse
recomputes them.
"""
from __future__ import annotations

from dataclasses import dataclass

STORIES_VERSION = "stories/1"


@dataclass(frozen=True)
class SignatureParams:
    """How a text becomes a MinHash signature and LSH band keys."""

    shingle_size: int = 3        # words per shingle of the normalised text
    num_perm: int = 256          # MinHash permutations (length of the signature)
    seed: int = 20260201         # datasketch seed of the permutations; fixed forever per version
    bands: int = 85              # LSH bands ...
    rows: int = 3                # ... of this many signature values (bands * rows <= num_perm)
    stem_chars: int = 5          # word-level signature: words cut to this many letters

    def __post_init__(self) -> None:
        if self.shingle_size < 1 or self.rows < 1 or self.bands < 1:
            raise ValueError("shingle_size, bands and rows must be positive")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands * rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")


@dataclass(frozen=True)
class StoryParams:
    """When two documents are near-duplicates, and when a document joins a story."""

    near_duplicate_threshold: float = 0.5   # estimated shingle Jaccard, or containment (below)
    containment_threshold: float = 0.8      # a shortened copy: share of the shorter text's shingles
    min_length_ratio: float = 0.25          # containment only counts when shorter/longer >= this
    window_days: float = 3.0                # stories: |published_at difference| at most this
    story_threshold: float = 0.45           # stories: combined score (see clusters.story_score)
    text_weight: float = 0.5                # weight of word-level similarity in the score ...
    entity_weight: float = 0.5              # ... and of entity-set Jaccard
    min_shared_entities: int = 2            # stories without near-duplicate text need this many
    max_entity_candidates: int = 50         # per document, from the shared-entity path: the most shared first
    max_band_candidates: int = 50           # per document, from the band-key path: the most shared keys first


SIGNATURE = SignatureParams()
STORY = StoryParams()
