"""Great Expectations suites for the near-duplicate and story tables (merged into
``schemas/suites.py`` by the lead; written in the same style, with its helpers).

Computed flag columns come from the audit queries in ``warehouse/sql/dml``:
``audit_doc_signatures.sql`` (``signature_length_ok``), ``audit_near_duplicates.sql``
(``not_self``, ``target_exists``) and ``audit_story_documents.sql`` (``story_exists``,
``one_first_per_story``). The other tables are audited as staged.
"""
from __future__ import annotations

from newsetl.schemas.suites import (
    WARNING, Check, TableSuite, at_least, greater, is_true, matches, not_null, unique,
)

STORY_ID = r"^[0-9a-f]{16}$"
STORIES_VERSION = r"^stories/\d+$"


def _between(name: str, column: str, low: float, high: float) -> Check:
    """Non-null values of ``column`` lie in [low, high]."""
    return Check(name, "critical", ("ExpectColumnValuesToBeBetween", {"column": column, "min_value": low, "max_value": high}))


DOC_SIGNATURES = TableSuite(
    table="doc_signatures",
    key_columns=["doc_id"],
    checks=[
        not_null("doc_signatures.doc_id_not_null", "doc_id"),
        unique("doc_signatures.doc_id_unique", "doc_id"),
        not_null("doc_signatures.stories_version_not_null", "stories_version"),
        matches("doc_signatures.stories_version_known", "stories_version", STORIES_VERSION),
        at_least("doc_signatures.n_shingles_non_negative", "n_shingles", 0),
        not_null("doc_signatures.signature_length_ok_not_null", "signature_length_ok"),
        is_true("doc_signatures.signature_length_ok", "signature_length_ok"),
        at_least("doc_signatures.n_shingles_positive", "n_shingles", 1, WARNING),  # no words: no near-duplicates
    ],
)

DOC_BANDS = TableSuite(
    table="doc_bands",
    key_columns=["band_key", "doc_id"],
    checks=[
        not_null("doc_bands.band_key_not_null", "band_key"),
        not_null("doc_bands.doc_id_not_null", "doc_id"),
    ],
)

NEAR_DUPLICATES = TableSuite(
    table="near_duplicates",
    key_columns=["doc_id"],
    checks=[
        not_null("near_duplicates.doc_id_not_null", "doc_id"),
        unique("near_duplicates.doc_id_unique", "doc_id"),
        not_null("near_duplicates.near_duplicate_of_not_null", "near_duplicate_of"),
        _between("near_duplicates.similarity_in_unit_range", "similarity", 0.0, 1.0),
        is_true("near_duplicates.not_self", "not_self"),
        is_true("near_duplicates.target_exists", "target_exists"),
    ],
)

STORIES = TableSuite(
    table="stories",
    key_columns=["story_id"],
    checks=[
        not_null("stories.story_id_not_null", "story_id"),
        unique("stories.story_id_unique", "story_id"),
        matches("stories.story_id_is_hex16", "story_id", STORY_ID),
        not_null("stories.first_doc_id_not_null", "first_doc_id"),
        not_null("stories.founder_doc_id_not_null", "founder_doc_id"),
        at_least("stories.n_docs_positive", "n_docs", 1),
        greater("stories.n_docs_at_least_n_sources", "n_docs", "n_sources", or_equal=True),
        greater("stories.span_not_reversed", "last_published_at", "first_published_at", or_equal=True),
        not_null("stories.first_published_at_not_null", "first_published_at", WARNING),
    ],
)

STORY_DOCUMENTS = TableSuite(
    table="story_documents",
    key_columns=["doc_id"],
    checks=[
        not_null("story_documents.story_id_not_null", "story_id"),
        not_null("story_documents.doc_id_not_null", "doc_id"),
        unique("story_documents.doc_id_unique", "doc_id"),
        _between("story_documents.similarity_in_unit_range", "similarity", 0.0, 1.0),
        not_null("story_documents.is_first_not_null", "is_first"),
        is_true("story_documents.story_exists", "story_exists"),
        is_true("story_documents.one_first_per_story", "one_first_per_story"),
    ],
)

STORY_SUITES: dict[str, TableSuite] = {
    suite.table: suite for suite in (DOC_SIGNATURES, DOC_BANDS, NEAR_DUPLICATES, STORIES, STORY_DOCUMENTS)
}
