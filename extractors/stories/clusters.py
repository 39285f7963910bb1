"""Near-duplicates and story clusters: which earlier document a new one copies, which story it joins.

``assign_stories(new_docs, candidates)`` is pure. ``candidates`` are published documents the
warehouse found for the new ones (a shared LSH band key, or shared entities inside the time
window: ``warehouse/sql/dml/story_candidates.sql``), each with its story id.

Rules (the README's *Stories* section repeats them):

* New documents are taken in a fixed order, (event time, doc_id), where the event time is
  ``published_at``, else ``seen_at`` (when the warehouse first saw an undated document). The input
  order of ``new_docs`` therefore never matters; earlier new documents are candidates for later ones.
* **Near-duplicate**: estimated shingle Jaccard >= ``near_duplicate_threshold``, or (a shortened
  copy) estimated containment >= ``containment_threshold`` when the shorter text has at least
  ``min_length_ratio`` of the longer one's shingles. ``near_duplicate_of`` is the candidate with the
  highest similarity (ties: earlier event time, then doc_id). No time window applies.
* **Same story**: a near-duplicate, or, inside ``window_days`` of event time, a story score
  (``text_weight``·word-level similarity + ``entity_weight``·entity-set Jaccard) >=
  ``story_threshold`` with at least ``min_shared_entities`` entities in common.
* A document joins the story of its best-scoring candidate (single link; ties: story_id). Otherwise
  it founds a story whose id is a hash of its doc_id and content hash: the id never changes once
  given, however many documents join later, and a rerun of the same content gives the same id.
* A document being reprocessed (an update) is never its own candidate: it leaves its old story and
  joins whichever story it now matches (its old one again if it still matches it).
* Each new document is compared only with the candidates it could match — a shared band key (at
  most ``max_band_candidates`` of those, the most shared keys first), or at least
  ``min_shared_entities`` shared entities inside the window (at most ``max_entity_candidates`` of
  those, the most shared first) — whether they are published or earlier new documents of the
  same run. Earlier new documents are looked up in an in-memory :class:`CandidateIndex`; published
  ones are found by the same rule in SQL (``story_candidate_pairs.sql``) or, in
  :func:`assign_stories`, in a second index. A run costs in proportion to its size, not to its
  square, nor to the warehouse's.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from newsetl.extractors.stories.params import STORY, StoryParams
from newsetl.extractors.stories.signature import band_keys, estimated_containment, estimated_jaccard


@dataclass(frozen=True)
class StoryDoc:
    """A document as story clustering sees it (a new one, or a published candidate)."""

    doc_id: str
    signature: Sequence[int]          # a list, or an array (as the warehouse gives them)
    word_signature: Sequence[int] = field(default_factory=list)
    n_shingles: int = 0
    published_at: datetime | None = None
    seen_at: datetime | None = None
    entity_ids: frozenset[str] = frozenset()
    content_hash: str = ""
    story_id: str | None = None  # set for published candidates

    @property
    def event_time(self) -> datetime | None:
        """When the document reports: its publication time, else when it was first seen."""
        return self.published_at or self.seen_at


@dataclass(frozen=True)
class PairScore:
    """How a new document compares with one candidate."""

    jaccard: float
    containment: float
    near_duplicate_similarity: float
    is_near_duplicate: bool
    story_score: float
    joins_story: bool


@dataclass(frozen=True)
class Assignment:
    """The outcome for one new document."""

    doc_id: str
    story_id: str
    story_similarity: float            # 1.0 for the document that founds a story
    founds_story: bool
    near_duplicate_of: str | None = None
    near_duplicate_similarity: float | None = None


def story_id_for(doc: StoryDoc) -> str:
    """The id of a story founded by ``doc``: a hash of its doc_id and content hash."""
    return hashlib.sha256(f"story\x1f{doc.doc_id}\x1f{doc.content_hash}".encode()).hexdigest()[:16]


def entity_jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard of two entity-id sets (0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def within_window(a: StoryDoc, b: StoryDoc, days: float) -> bool:
    """Whether two documents' event times are at most ``days`` apart (False when either is unknown)."""
    if a.event_time is None or b.event_time is None:
        return False
    return abs(a.event_time - b.event_time) <= timedelta(days=days)


def near_duplicate_similarity(new: StoryDoc, old: StoryDoc, params: StoryParams = STORY) -> tuple[float, float, float]:
    """(jaccard, containment, similarity): similarity is the containment when the shorter text is
    long enough for containment to count and it passes, else the Jaccard."""
    jaccard = estimated_jaccard(new.signature, old.signature)
    containment = estimated_containment(jaccard, new.n_shingles, old.n_shingles)
    longer = max(new.n_shingles, old.n_shingles)
    ratio = min(new.n_shingles, old.n_shingles) / longer if longer else 0.0
    if ratio >= params.min_length_ratio and containment >= params.containment_threshold:
        return jaccard, containment, max(jaccard, containment)
    return jaccard, containment, jaccard


def compare(new: StoryDoc, old: StoryDoc, params: StoryParams = STORY) -> PairScore:
    """Near-duplicate and story decisions for one pair."""
    jaccard, containment, similarity = near_duplicate_similarity(new, old, params)
    is_near_duplicate = similarity >= params.near_duplicate_threshold
    story_score = (params.text_weight * estimated_jaccard(new.word_signature, old.word_signature)
                   + params.entity_weight * entity_jaccard(new.entity_ids, old.entity_ids))
    related = (within_window(new, old, params.window_days) and story_score >= params.story_threshold
               and len(new.entity_ids & old.entity_ids) >= params.min_shared_entities)
    if is_near_duplicate:
        story_score = max(story_score, similarity)
    return PairScore(jaccard, containment, similarity, is_near_duplicate, story_score, is_near_duplicate or related)


def processing_order(docs: Iterable[StoryDoc]) -> list[StoryDoc]:
    """New documents in the order they are assigned: dated by event time, then undated; then doc_id."""
    return sorted(docs, key=lambda d: (d.event_time is None, d.event_time or datetime.min, d.doc_id))


def _earliness(doc: StoryDoc) -> tuple[bool, datetime, str]:
    return (doc.event_time is None, doc.event_time or datetime.min, doc.doc_id)


def assign_one(new: StoryDoc, pool: Sequence[StoryDoc], params: StoryParams = STORY) -> Assignment:
    """The assignment of one document against a pool of earlier documents with story ids."""
    scored = [(old, compare(new, old, params)) for old in pool if old.doc_id != new.doc_id]
    copies = [(old, s) for old, s in scored if s.is_near_duplicate]
    best_copy = min(copies, key=lambda p: (-p[1].near_duplicate_similarity, _earliness(p[0])), default=None)
    joins = [(old, s) for old, s in scored if s.joins_story and old.story_id]
    best_story = min(joins, key=lambda p: (-p[1].story_score, p[0].story_id), default=None)
    story_id, story_similarity, founds = story_id_for(new), 1.0, True
    if best_story is not None:
        story_id, story_similarity, founds = best_story[0].story_id, best_story[1].story_score, False
    return Assignment(
        doc_id=new.doc_id, story_id=story_id, story_similarity=round(story_similarity, 4), founds_story=founds,
        near_duplicate_of=best_copy[0].doc_id if best_copy else None,
        near_duplicate_similarity=round(best_copy[1].near_duplicate_similarity, 4) if best_copy else None,
    )


def assign_stories(new_docs: Iterable[StoryDoc], candidates: Iterable[StoryDoc],
                   params: StoryParams = STORY) -> list[Assignment]:
    """Near-duplicate and story of every new document, in processing order (see module docs).

    ``candidates`` are published documents with their ``story_id``; a candidate that is also among
    ``new_docs`` (an updated document) is replaced by its new version.
    """
    new_docs = processing_order(new_docs)
    new_ids = {d.doc_id for d in new_docs}
    published = CandidateIndex(params)
    for candidate in candidates:
        if candidate.doc_id not in new_ids and candidate.story_id:
            published.add(candidate)
    assigner = StoryAssigner(params)
    return [assigner.assign(doc, published.candidates(doc)) for doc in new_docs]


class StoryAssigner:
    """Assigns new documents one by one, in processing order: each against the published candidates
    it is given and the earlier new documents it could match (kept in a :class:`CandidateIndex`).
    The warehouse feeds it chunk by chunk, with each document's published candidates found in SQL."""

    def __init__(self, params: StoryParams = STORY):
        self.params = params
        self.earlier = CandidateIndex(params)

    def assign(self, doc: StoryDoc, published: Sequence[StoryDoc]) -> Assignment:
        """The assignment of ``doc``, which then becomes a candidate for the documents after it."""
        assignment = assign_one(doc, [*published, *self.earlier.candidates(doc)], self.params)
        self.earlier.add(replace(doc, story_id=assignment.story_id))
        return assignment


class CandidateIndex:
    """Documents with story ids (published candidates, or the run's already assigned ones), by band
    key and by entity, so a new document is compared only with those it could match (the rule
    ``story_candidates.sql`` applies when it picks published candidates)."""

    def __init__(self, params: StoryParams = STORY):
        self.params = params
        self.by_band: dict[int, list[StoryDoc]] = {}
        self.by_entity: dict[str, list[StoryDoc]] = {}

    def add(self, doc: StoryDoc) -> None:
        """Index an assigned document."""
        for key in set(band_keys(doc.signature)):
            self.by_band.setdefault(key, []).append(doc)
        for entity in doc.entity_ids:
            self.by_entity.setdefault(entity, []).append(doc)

    def candidates(self, doc: StoryDoc) -> list[StoryDoc]:
        """Indexed documents sharing a band key with ``doc`` (at most ``max_band_candidates``, the
        most shared keys first), or enough entities inside the window (at most
        ``max_entity_candidates`` of those, the most shared first), as for published ones; each once."""
        banded: dict[str, int] = {}
        found: dict[str, StoryDoc] = {}
        for key in set(band_keys(doc.signature)):
            for other in self.by_band.get(key, ()):
                banded[other.doc_id] = banded.get(other.doc_id, 0) + 1
                found.setdefault(other.doc_id, other)
        kept_bands = most_shared(banded, self.params.max_band_candidates)
        found = {doc_id: other for doc_id, other in found.items() if doc_id in kept_bands}
        shared: dict[str, int] = {}
        reached: dict[str, StoryDoc] = {}
        for entity in doc.entity_ids:
            for other in self.by_entity.get(entity, ()):
                shared[other.doc_id] = shared.get(other.doc_id, 0) + 1
                if shared[other.doc_id] == self.params.min_shared_entities and within_window(
                        doc, other, self.params.window_days):
                    reached[other.doc_id] = other
        kept = most_shared({doc_id: shared[doc_id] for doc_id in reached}, self.params.max_entity_candidates)
        for doc_id, other in reached.items():
            if doc_id in kept:
                found.setdefault(doc_id, other)
        return list(found.values())


def most_shared(counts: dict[str, int], limit: int) -> set[str]:
    """The ids of at most ``limit`` of ``counts``' documents: the highest counts (of shared band
    keys, or entities) first, then by doc id (the order ``story_candidate_pairs.sql`` keeps)."""
    if len(counts) <= limit:
        return set(counts)
    return set(sorted(counts, key=lambda doc_id: (-counts[doc_id], doc_id))[:limit])
