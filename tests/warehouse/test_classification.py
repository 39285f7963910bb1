"""How an analysed input unit is classified against the warehouse (pure logic, table-driven)."""
from __future__ import annotations

import pytest

from newsetl.schemas.records import RawUnit
from newsetl.schemas.records import Document, Reject
from newsetl.schemas.analysis import UnitResult
from newsetl.warehouse.classify import RunState, SourceState, classify_result, classify_unchanged

VERSION = "documents/1+entities/1+facts/1"


def result(source_id: str, content: str, version: str = VERSION) -> UnitResult:
    doc = Document(doc_id=f"id-{source_id}", source_id=source_id, source_uri=f"/in/{source_id}", format="txt",
                   encoding="utf-8", raw_hash="r", content_hash=content, text="текст", extractor_version=version)
    return UnitResult(f"/in/{source_id}", source_id, "r", b"raw", document=doc)


def published(source_id: str, content: str, version: str = VERSION) -> SourceState:
    return SourceState(f"id-{source_id}", "r", content, version)


@pytest.mark.parametrize(
    "unit, known, content_owner, expected, reason",
    [
        (result("a", "h1"), {}, {}, "new", None),
        (result("a", "h1"), {"a": published("a", "h1")}, {"h1": "id-a"}, "unchanged", None),
        (result("a", "h2"), {"a": published("a", "h1")}, {}, "updated", None),
        (result("a", "h1", "documents/1+entities/2+facts/1"), {"a": published("a", "h1")}, {"h1": "id-a"}, "updated", None),
        (result("b", "h1"), {}, {"h1": "id-a"}, "duplicate", "duplicate_content"),
    ],
    ids=["new", "unchanged", "changed-content", "new-extractor-version", "same-content-elsewhere"],
)
def test_outcome_against_the_warehouse(unit, known, content_owner, expected, reason):
    kind, row = classify_result(unit, known, content_owner, RunState())
    assert kind == expected and row["outcome"] == expected
    assert row["reason_code"] == reason
    assert row["doc_id"] == (unit.document.doc_id if expected in ("new", "unchanged", "updated") else None)


def test_duplicates_within_one_run():
    state = RunState()
    assert classify_result(result("a", "h1"), {}, {}, state)[0] == "new"
    kind, row = classify_result(result("b", "h1"), {}, {}, state)
    assert (kind, row["duplicate_of"], row["reason_code"]) == ("duplicate", "id-a", "duplicate_content")
    kind, row = classify_result(result("a", "h9"), {}, {}, state)
    assert (kind, row["reason_code"]) == ("duplicate", "duplicate_source_id")


def test_a_reject_is_quarantined_with_its_reason():
    reject = Reject("/in/x.txt", "x.txt", "binary", "looks like binary data", b"\x89PNG", "r")
    kind, row = classify_result(UnitResult("/in/x.txt", "x.txt", "r", b"\x89PNG", reject=reject), {}, {}, RunState())
    assert (kind, row["reason_code"], row["doc_id"]) == ("quarantined", "binary", None)


def test_a_repeated_source_id_stays_a_duplicate_when_its_first_copy_is_unchanged():
    """A JSONL file with one id twice: on a rerun the first line is unchanged and the second must
    stay a duplicate, not turn into an update of the first."""
    state = RunState()
    first = RawUnit("/in/a.jsonl#L1", "a", "jsonl", b"{}")
    assert classify_unchanged(first, published("a", "h1"), state)[0] == "unchanged"
    kind, row = classify_result(result("a", "h2"), {"a": published("a", "h1")}, {}, state)
    assert (kind, row["reason_code"]) == ("duplicate", "duplicate_source_id")


def test_a_retried_batch_classifies_like_its_first_attempt():
    state = RunState()
    trial = state.copy()
    assert classify_result(result("a", "h1"), {}, {}, trial)[0] == "new"
    # the first attempt failed before committing: ``state`` was never merged
    assert classify_result(result("a", "h1"), {}, {}, state.copy())[0] == "new"
    state.merge(trial)
    assert classify_result(result("a", "h1"), {}, {}, state.copy())[0] == "duplicate"
