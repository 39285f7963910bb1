"""Near-duplicates and story clusters. Pure functions: no database, no I/O.

* ``fingerprint(text)`` — a document's MinHash signatures and LSH band keys (computed in the
  worker, next to the document's other records);
* ``assign_stories(new_docs, candidates)`` — for each new document, the earlier document it is a
  near-duplicate of and the story it joins or founds; ``StoryAssigner`` does the same one document
  at a time, given each one's own published candidates (as the warehouse does, chunk by chunk).
"""
from __future__ import annotations

from newsetl.extractors.stories.clusters import (
    Assignment,
    PairScore,
    StoryAssigner,
    StoryDoc,
    assign_stories,
    compare,
    entity_jaccard,
    processing_order,
    story_id_for,
)
from newsetl.extractors.stories.params import SIGNATURE, STORIES_VERSION, STORY, SignatureParams, StoryParams
from newsetl.extractors.stories.signature import (
    Fingerprint,
    band_keys,
    estimated_containment,
    estimated_jaccard,
    fingerprint,
    normalise_words,
    shingles,
    story_rows,
)

__all__ = [
    "Assignment", "Fingerprint", "PairScore", "SIGNATURE", "STORIES_VERSION", "STORY", "SignatureParams",
    "StoryAssigner", "StoryDoc", "StoryParams", "assign_stories", "band_keys", "compare", "entity_jaccard",
    "estimated_containment", "estimated_jaccard", "fingerprint", "normalise_words", "processing_order", "shingles",
    "story_id_for", "story_rows",
]
