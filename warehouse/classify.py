"""Deciding each input unit's outcome — new, unchanged, updated, duplicate or quarantined — against
what the warehouse has published and what the run has already seen. Pure Python, no SQL."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsetl.schemas.analysis import UnitResult
from newsetl.schemas.records import RawUnit
from newsetl.schemas.tables import OUTCOMES


@dataclass(frozen=True)
class SourceState:
    """What the warehouse already holds for one source id."""

    doc_id: str
    raw_hash: str
    content_hash: str
    extractor_version: str


@dataclass
class BatchOutcome:
    """How a batch's units were classified (counts by outcome)."""

    counts: dict[str, int] = field(default_factory=lambda: {o: 0 for o in OUTCOMES})

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1


@dataclass
class RunState:
    """What the run has classified so far, to catch duplicates within the run itself.

    A batch classifies against a copy and merges it back only once its staging committed, so a
    retried batch sees the same state as its first attempt.
    """

    content_to_doc: dict[str, str] = field(default_factory=dict)
    seen_source_ids: set[str] = field(default_factory=set)

    def copy(self) -> "RunState":
        return RunState(dict(self.content_to_doc), set(self.seen_source_ids))

    def merge(self, other: "RunState") -> None:
        self.content_to_doc.update(other.content_to_doc)
        self.seen_source_ids |= other.seen_source_ids


def input_row(source_uri: str, source_id: str, raw_hash: str, outcome: str, doc_id: str | None,
              duplicate_of: str | None = None, reason_code: str | None = None) -> dict[str, Any]:
    """A ``run_inputs`` row: where one input unit ended."""
    return {"source_uri": source_uri, "source_id": source_id, "raw_hash": raw_hash, "outcome": outcome,
            "doc_id": doc_id, "duplicate_of": duplicate_of, "reason_code": reason_code}


def is_unchanged(unit: RawUnit, published: SourceState | None, raw_hash: str, version: str,
                 state: RunState) -> bool:
    """Whether a unit's exact bytes are already published under its source id by the same
    extractor versions, so it needs no analysis. A source id the run has already seen is analysed
    again, to be classified as a duplicate."""
    return bool(published and unit.error is None and unit.source_id not in state.seen_source_ids
                and published.raw_hash == raw_hash and published.extractor_version == version)


def classify_unchanged(unit: RawUnit, published: SourceState, state: RunState) -> tuple[str, dict[str, Any]]:
    """A unit whose bytes are already published: unchanged, unless the run already had its source."""
    if unit.source_id in state.seen_source_ids:
        return "duplicate", input_row(unit.source_uri, unit.source_id, published.raw_hash, "duplicate", None,
                                      published.doc_id, "duplicate_source_id")
    state.seen_source_ids.add(unit.source_id)
    return "unchanged", input_row(unit.source_uri, unit.source_id, published.raw_hash, "unchanged", published.doc_id)


def classify_result(result: UnitResult, known: dict[str, SourceState], published_content: dict[str, str],
                    state: RunState) -> tuple[str, dict[str, Any]]:
    """Decide an analysed unit's outcome: new, unchanged, updated, duplicate or quarantined."""
    if result.reject is not None:
        return "quarantined", input_row(result.source_uri, result.source_id, result.raw_hash, "quarantined", None,
                                        reason_code=result.reject.reason_code)
    doc = result.document
    if doc.source_id in state.seen_source_ids:
        # The same source id twice in one run (e.g. a repeated JSONL id): the first one wins.
        return "duplicate", input_row(result.source_uri, doc.source_id, result.raw_hash, "duplicate", None,
                                      doc.doc_id, "duplicate_source_id")
    state.seen_source_ids.add(doc.source_id)
    previous = known.get(doc.source_id)
    reprocessed = previous and previous.extractor_version != doc.extractor_version
    if previous and previous.content_hash == doc.content_hash and not reprocessed:
        return "unchanged", input_row(result.source_uri, doc.source_id, result.raw_hash, "unchanged", doc.doc_id)
    original = state.content_to_doc.get(doc.content_hash) or published_content.get(doc.content_hash)
    if original and original != doc.doc_id:
        return "duplicate", input_row(result.source_uri, doc.source_id, result.raw_hash, "duplicate", None,
                                      original, "duplicate_content")
    state.content_to_doc[doc.content_hash] = doc.doc_id
    kind = "updated" if previous else "new"  # same content under new extractors counts as updated
    return kind, input_row(result.source_uri, doc.source_id, result.raw_hash, kind, doc.doc_id)
