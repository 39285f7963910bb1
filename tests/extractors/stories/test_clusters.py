"""Near-duplicates and story clusters on copies made from real texts."""
from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from story_variants import NEAR_DUPLICATE_VARIANTS, STORY_VARIANTS, Text, entity_ids, load_texts, same_topic_pairs

from newsetl.extractors.stories import STORY, StoryDoc, assign_stories, compare, fingerprint, story_id_for
from newsetl.extractors.stories.clusters import CandidateIndex
from newsetl.extractors.stories.params import SIGNATURE
from newsetl.extractors.stories.signature import band_keys

DAY0 = datetime(2026, 1, 20, 9, 0)


def story_doc(doc_id: str, text: str, surfaces: tuple[str, ...], published_at: datetime | None,
              seen_at: datetime | None = None) -> StoryDoc:
    """A StoryDoc as the warehouse would build it for ``text``."""
    fp = fingerprint(text)
    return StoryDoc(doc_id, fp.signature, fp.word_signature, fp.n_shingles, published_at, seen_at,
                    entity_ids(text, surfaces), content_hash=f"hash-{doc_id}-{len(text)}")


@pytest.fixture(scope="module")
def topic() -> tuple[Text, Text, Text]:
    """An original, another real text on the same topic (>= 2 shared entities), and an unrelated one."""
    texts = load_texts()
    original, same_topic = same_topic_pairs(texts, min_shared=3)[0]
    unrelated = next(t for t in texts if not entity_ids(t.text, t.entity_surfaces) & entity_ids(original.text, original.entity_surfaces))
    return original, same_topic, unrelated


@pytest.fixture(scope="module")
def corpus(topic) -> list[StoryDoc]:
    """The original at day 0, each variant a few hours later, the same-topic and unrelated texts."""
    original, same_topic, unrelated = topic
    docs = [story_doc("original", original.text, original.entity_surfaces, DAY0)]
    for hours, (name, make) in enumerate({**NEAR_DUPLICATE_VARIANTS, **STORY_VARIANTS}.items(), start=1):
        docs.append(story_doc(name, make(original.text), original.entity_surfaces, DAY0 + timedelta(hours=hours)))
    docs.append(story_doc("same_topic", same_topic.text, same_topic.entity_surfaces, DAY0 + timedelta(hours=2)))
    docs.append(story_doc("unrelated", unrelated.text, unrelated.entity_surfaces, DAY0 + timedelta(hours=3)))
    return docs


def by_id(assignments):
    return {a.doc_id: a for a in assignments}


@pytest.mark.parametrize("variant", list(NEAR_DUPLICATE_VARIANTS))
def test_copies_are_near_duplicates_in_the_original_story(corpus, variant):
    result = by_id(assign_stories([d for d in corpus if d.doc_id in ("original", variant, "same_topic", "unrelated")], []))
    assert result[variant].near_duplicate_of == "original"
    assert result[variant].near_duplicate_similarity >= STORY.near_duplicate_threshold
    assert result[variant].story_id == result["original"].story_id
    assert not result[variant].founds_story


def test_copies_point_at_their_most_similar_earlier_document(corpus):
    result = by_id(assign_stories(corpus, []))
    assert result["original"].near_duplicate_of is None           # the earliest has no earlier copy
    earlier = {d.doc_id: d.published_at for d in corpus}
    for variant in NEAR_DUPLICATE_VARIANTS:
        assert earlier[result[variant].near_duplicate_of] < earlier[variant]


def test_a_rewrite_joins_the_story_without_being_a_near_duplicate(corpus):
    result = by_id(assign_stories(corpus, []))
    assert result["reworded"].near_duplicate_of is None
    assert result["reworded"].story_id == result["original"].story_id
    assert result["reworded"].story_similarity >= STORY.story_threshold


@pytest.mark.parametrize("other", ["same_topic", "unrelated"])
def test_other_texts_found_their_own_story(corpus, other):
    result = by_id(assign_stories(corpus, []))
    assert result[other].story_id != result["original"].story_id
    assert result[other].near_duplicate_of is None
    assert result[other].founds_story and result[other].story_similarity == 1.0


def test_same_topic_pair_shares_entities_but_scores_below_the_story_threshold(corpus):
    docs = {d.doc_id: d for d in corpus}
    assert len(docs["original"].entity_ids & docs["same_topic"].entity_ids) >= 3
    score = compare(docs["same_topic"], docs["original"])
    assert not score.joins_story and score.story_score < STORY.story_threshold


def test_story_id_is_a_hash_of_the_founder(corpus):
    result = by_id(assign_stories(corpus, []))
    assert result["original"].story_id == story_id_for(corpus[0])
    assert len(result["original"].story_id) == 16


def test_input_order_does_not_matter(corpus):
    expected = assign_stories(corpus, [])
    shuffled = corpus[:]
    random.Random(7).shuffle(shuffled)
    assert assign_stories(shuffled, []) == expected


def test_a_document_added_later_joins_the_existing_story_with_its_id(corpus):
    first = [d for d in corpus if d.doc_id != "header_footer"]
    published = [replace(d, story_id=a.story_id) for d, a in zip(sorted(first, key=lambda d: d.doc_id),
                                                                 sorted(assign_stories(first, []), key=lambda a: a.doc_id))]
    later = next(d for d in corpus if d.doc_id == "header_footer")
    [assignment] = assign_stories([later], published)
    original_story = next(d.story_id for d in published if d.doc_id == "original")
    assert assignment.story_id == original_story
    assert assignment.near_duplicate_of == "original"


def partition(assignments) -> set[frozenset[str]]:
    """The clusters as sets of doc ids (independent of the story ids)."""
    stories: dict[str, set[str]] = {}
    for a in assignments:
        stories.setdefault(a.story_id, set()).add(a.doc_id)
    return {frozenset(members) for members in stories.values()}


def incremental(batches: list[list[StoryDoc]]) -> list:
    """Assign batch by batch, each against everything published before it."""
    published, out = [], []
    for batch in batches:
        assignments = assign_stories(batch, published)
        out += assignments
        story = {a.doc_id: a.story_id for a in assignments}
        published += [replace(d, story_id=story[d.doc_id]) for d in batch]
    return out


def test_batches_in_another_order_give_the_same_clusters(corpus):
    one_batch = partition(assign_stories(corpus, []))
    late_original = incremental([corpus[1:], corpus[:1]])            # the original arrives last
    one_by_one_reversed = incremental([[d] for d in reversed(corpus)])
    assert partition(late_original) == one_batch
    assert partition(one_by_one_reversed) == one_batch
    assert {"original", *NEAR_DUPLICATE_VARIANTS, *STORY_VARIANTS} in one_batch


def test_a_rerun_of_the_same_documents_keeps_every_story_id(corpus):
    first = assign_stories(corpus, [])
    published = [replace(d, story_id=a.story_id) for d, a in zip(sorted(corpus, key=lambda d: d.doc_id),
                                                                 sorted(first, key=lambda a: a.doc_id))]
    again = assign_stories(corpus, published)   # every document reprocessed (e.g. a new extractor version)
    assert {a.doc_id: a.story_id for a in again} == {a.doc_id: a.story_id for a in first}


def test_an_updated_document_leaves_its_story(corpus, topic):
    _, _, unrelated = topic
    first = by_id(assign_stories(corpus, []))
    published = [replace(d, story_id=first[d.doc_id].story_id) for d in corpus]
    updated = story_doc("sentence_edited", unrelated.text + "\n\nДополнено.", unrelated.entity_surfaces, DAY0)
    [moved] = assign_stories([updated], published)
    assert moved.story_id not in {first["original"].story_id}
    assert moved.near_duplicate_of == "unrelated"
    assert moved.story_id == first["unrelated"].story_id


@pytest.mark.parametrize(("days_later", "variant", "joins"), [
    (2, "reworded", True),           # inside the 3-day window
    (10, "reworded", False),         # a rewrite ten days later is another story
    (30, "header_footer", True),     # a near-duplicate joins whatever its date
])
def test_time_window(corpus, days_later, variant, joins):
    original = corpus[0]
    late = next(replace(d, published_at=DAY0 + timedelta(days=days_later)) for d in corpus if d.doc_id == variant)
    result = by_id(assign_stories([original, late], []))
    assert (result[variant].story_id == result["original"].story_id) is joins


@pytest.mark.parametrize(("seen_days_later", "joins"), [(1, True), (10, False), (None, False)])
def test_undated_documents_use_when_they_were_first_seen(corpus, seen_days_later, joins):
    original = corpus[0]
    seen_at = DAY0 + timedelta(days=seen_days_later) if seen_days_later is not None else None
    undated = next(replace(d, published_at=None, seen_at=seen_at) for d in corpus if d.doc_id == "reworded")
    result = by_id(assign_stories([original, undated], []))
    assert (result["reworded"].story_id == result["original"].story_id) is joins


def test_the_run_index_keeps_the_most_shared_entity_candidates_up_to_the_cap():
    day = datetime(2026, 1, 10)
    index = CandidateIndex(replace(STORY, max_entity_candidates=2))
    shared_by_doc = {"d1": 2, "d2": 4, "d3": 3, "d4": 3, "d5": 1}  # entities shared with the new document
    for doc_id, n in shared_by_doc.items():
        index.add(StoryDoc(doc_id, [int(doc_id[1:]) * 1000 + i for i in range(256)], published_at=day,
                           entity_ids=frozenset(f"e{i}" for i in range(n))))
    new = StoryDoc("new", [99_000 + i for i in range(256)], published_at=day, entity_ids=frozenset(f"e{i}" for i in range(5)))
    assert [d.doc_id for d in index.candidates(new)] == ["d2", "d3"]  # d3 before d4: ties by doc id
    index.params = STORY  # the default cap (50): every document sharing two entities in the window
    assert sorted(d.doc_id for d in index.candidates(new)) == ["d1", "d2", "d3", "d4"]


@pytest.mark.parametrize(("cap", "kept"), [
    (2, ["d2", "d3"]),                    # most shared band keys first; d3 before d4 (ties by doc id)
    (3, ["d2", "d3", "d4"]),
    (50, ["d1", "d2", "d3", "d4", "d5"]),  # the default: every document sharing a band key
])
def test_the_run_index_keeps_the_most_shared_band_candidates_up_to_the_cap(cap, kept):
    shared_bands = {"d1": 1, "d2": 9, "d3": 4, "d4": 4, "d5": 2}
    rows = SIGNATURE.rows
    new_signature = [7_000_000 + i for i in range(SIGNATURE.num_perm)]
    index = CandidateIndex(replace(STORY, max_band_candidates=cap))
    for doc_id, n in shared_bands.items():  # the first n bands copied from the new document, the rest its own
        own = [int(doc_id[1:]) * 1000 + i for i in range(SIGNATURE.num_perm)]
        signature = new_signature[:n * rows] + own[n * rows:]
        assert len(set(band_keys(signature)) & set(band_keys(new_signature))) == n
        index.add(StoryDoc(doc_id, signature))
    assert sorted(d.doc_id for d in index.candidates(StoryDoc("new", new_signature))) == kept


def test_each_new_document_is_compared_only_with_its_own_published_candidates(corpus, topic, monkeypatch):
    """Published candidates come for the whole run; a new document meets only those it could match
    (a shared band key or enough shared entities), so a run's cost does not grow with their square."""
    from newsetl.extractors.stories import clusters
    _, _, unrelated = topic
    first = by_id(assign_stories(corpus, []))
    published = [replace(d, story_id=first[d.doc_id].story_id) for d in corpus]
    compared: list[tuple[str, str]] = []
    real_compare = clusters.compare
    monkeypatch.setattr(clusters, "compare", lambda new, old, params=STORY: (
        compared.append((new.doc_id, old.doc_id)), real_compare(new, old, params))[1])
    lone = story_doc("lone", unrelated.text + "\n\nДополнено.", unrelated.entity_surfaces, DAY0 + timedelta(days=1))
    [moved] = assign_stories([lone], published)
    assert moved.story_id == first["unrelated"].story_id
    original_like = {d.doc_id for d in corpus} - {"unrelated"}
    assert not {old for _, old in compared} & original_like
    assert ("lone", "unrelated") in compared
