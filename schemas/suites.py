"""Great Expectations suites for the warehouse tables, declared as data.

Each table that the write-audit-publish step validates has one :class:`TableSuite`:
the table name, the columns that identify a row (used to name quarantined rows) and
a list of :class:`Check`. A check is one GX expectation with a stable human name
(``"documents.text_not_empty"``) and a severity:

* ``critical`` — rows that fail it are quarantined with the check's name as reason,
  and the run is not clean (``ValidationReport.success`` is False);
* ``warning`` — failures are reported (``dq_results``, Data Docs) but block nothing.

Critical checks should be row-level (column map or column pair expectations) so the
failing rows can be named; a failing table-level critical check fails the run without
naming rows.

Nulls: GX map expectations skip nulls (an in-set check passes a null), so every
column that must be present has its own ``*_not_null`` check.

Adding a suite for another table takes a few lines: define it next to the others
and list it in ``SUITES`` at the bottom of this module::

    FACTS = TableSuite(
        table="facts",
        key_columns=["doc_id", "fact_start"],
        checks=[
            not_null("facts.doc_id_not_null", "doc_id"),
            in_set("facts.kind_known", "kind", ("appointment", "career")),
            at_least("facts.fact_start_non_negative", "fact_start", 0),
            is_true("facts.offsets_in_text", "offsets_in_text"),
        ],
    )

Check names are ``<table>.<what must hold>``; never rename one that has shipped: the
names are the quarantine reasons and the ``dq_results.check_name`` history.

Any expectation without a helper can be given as a spec tuple,
``Check(name, CRITICAL, ("ExpectColumnValuesToBeDateutilParseable", {"column": "x"}))``,
or as a callable returning a ``gx.expectations`` instance. Specs keep this module free
of the (slow) ``great_expectations`` import; :meth:`Check.expectation` builds them.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from newsetl.schemas.records import DATE_EVIDENCE, ENTITY_TYPES, INPUT_FORMATS
from newsetl.schemas.tables import RECORD_TABLES

Severity = Literal["critical", "warning"]
CRITICAL: Severity = "critical"
WARNING: Severity = "warning"

# (expectation class name in gx.expectations, its keyword arguments)
ExpectationSpec = tuple[str, dict[str, Any]]

EXPECTED_LANGUAGES = ("ru", "uk", "be", "kk", "ky", "tg", "uz", "en")
SHA256_HEX = r"^[0-9a-f]{64}$"
# Upper-case Latin and Cyrillic (incl. Ukrainian, Belarusian, Kazakh letters) and digits.
ALL_CAPS_OR_DIGITS = r"^[0-9A-ZА-ЯЁІЇЄҐЎӘҒҚҢӨҰҮҺ]+$"
NOT_BLANK = r"\S"
# Integer dtypes as DuckDB and pandas produce them (numpy and nullable extension types).
INTEGER_DTYPES = ("int64", "int32", "Int64Dtype", "Int32Dtype")


@dataclass(frozen=True)
class Check:
    """One named expectation with a severity; ``build`` is a spec or a factory."""

    name: str
    severity: Severity
    build: Callable[[], Any] | ExpectationSpec

    def __post_init__(self) -> None:
        if self.severity not in (CRITICAL, WARNING):
            raise ValueError(f"{self.name}: severity must be critical or warning, not {self.severity!r}")

    def expectation(self) -> Any:
        """Build the GX expectation; its ``meta`` and Data Docs notes carry name and severity."""
        import great_expectations as gx

        if callable(self.build):
            expectation = self.build()
        else:
            class_name, kwargs = self.build
            expectation = getattr(gx.expectations, class_name)(**kwargs)
        expectation.meta = {"check_name": self.name, "severity": self.severity}
        expectation.notes = f"{self.name} ({self.severity})"  # shown in Data Docs
        return expectation


@dataclass(frozen=True)
class TableSuite:
    """The checks for one table and the columns that identify its rows."""

    table: str
    key_columns: list[str]
    checks: list[Check] = field(default_factory=list)

    def __post_init__(self) -> None:
        names = [check.name for check in self.checks]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"suite {self.table}: duplicate check names {duplicates}")
        if not self.key_columns:
            raise ValueError(f"suite {self.table}: key_columns must not be empty")

    @property
    def suite_name(self) -> str:
        """The GX suite (and validation definition) name."""
        return f"newsetl.{self.table}"

    def check(self, name: str) -> Check:
        """The check called ``name``."""
        return next(check for check in self.checks if check.name == name)


# --- helpers: one line per check in the suites below --------------------------------


def not_null(name: str, column: str, severity: Severity = CRITICAL) -> Check:
    """``column`` has no nulls."""
    return Check(name, severity, ("ExpectColumnValuesToNotBeNull", {"column": column}))


def unique(name: str, column: str, severity: Severity = CRITICAL) -> Check:
    """Non-null values of ``column`` are distinct (every duplicate row fails)."""
    return Check(name, severity, ("ExpectColumnValuesToBeUnique", {"column": column}))


def in_set(name: str, column: str, values: Sequence[Any], severity: Severity = CRITICAL) -> Check:
    """Non-null values of ``column`` are among ``values``."""
    return Check(name, severity, ("ExpectColumnValuesToBeInSet", {"column": column, "value_set": list(values)}))


def is_true(name: str, column: str, severity: Severity = CRITICAL) -> Check:
    """A boolean flag column is True (nulls pass: pair with :func:`not_null`)."""
    return in_set(name, column, [True], severity)


def is_false(name: str, column: str, severity: Severity = CRITICAL) -> Check:
    """A boolean flag column is False (nulls pass)."""
    return in_set(name, column, [False], severity)


def at_least(name: str, column: str, minimum: float, severity: Severity = CRITICAL) -> Check:
    """Non-null values of ``column`` are >= ``minimum``."""
    return Check(name, severity, ("ExpectColumnValuesToBeBetween", {"column": column, "min_value": minimum}))


def greater(name: str, column_a: str, column_b: str, or_equal: bool = False, severity: Severity = CRITICAL) -> Check:
    """``column_a`` > ``column_b`` (>= with ``or_equal``) on rows where both are present."""
    kwargs = {"column_A": column_a, "column_B": column_b, "or_equal": or_equal,
              "ignore_row_if": "either_value_is_missing"}
    return Check(name, severity, ("ExpectColumnPairValuesAToBeGreaterThanB", kwargs))


def matches(name: str, column: str, regex: str, severity: Severity = CRITICAL) -> Check:
    """Non-null values of ``column`` contain a match of ``regex`` (anchor it for full match)."""
    return Check(name, severity, ("ExpectColumnValuesToMatchRegex", {"column": column, "regex": regex}))


def between(name: str, column: str, low: float, high: float, severity: Severity = CRITICAL) -> Check:
    """Non-null values of ``column`` lie in [low, high]."""
    return Check(name, severity, ("ExpectColumnValuesToBeBetween", {"column": column, "min_value": low, "max_value": high}))


def not_empty(name: str, column: str, severity: Severity = CRITICAL) -> Check:
    """Non-null strings in ``column`` have a non-whitespace character."""
    return matches(name, column, NOT_BLANK, severity)


def of_type(name: str, column: str, type_: str, severity: Severity = WARNING) -> Check:
    """The column's dtype is ``type_`` ("str" covers pandas 3 string and object columns of str)."""
    return Check(name, severity, ("ExpectColumnValuesToBeOfType", {"column": column, "type_": type_}))


def integer_typed(name: str, column: str, severity: Severity = WARNING) -> Check:
    """The column has an integer dtype (numpy or nullable)."""
    kwargs = {"column": column, "type_list": list(INTEGER_DTYPES)}
    return Check(name, severity, ("ExpectColumnValuesToBeInTypeList", kwargs))


# --- the suites -------------------------------------------------------------------------

DOCUMENTS = TableSuite(
    table="documents",
    key_columns=["doc_id"],
    checks=[
        not_null("documents.doc_id_not_null", "doc_id"),
        unique("documents.doc_id_unique", "doc_id"),
        not_null("documents.source_uri_not_null", "source_uri"),
        not_null("documents.format_not_null", "format"),
        in_set("documents.format_known", "format", INPUT_FORMATS),
        not_null("documents.text_not_null", "text"),
        not_empty("documents.text_not_empty", "text"),
        at_least("documents.n_chars_positive", "n_chars", 1),
        at_least("documents.n_words_positive", "n_words", 1),
        not_null("documents.content_hash_not_null", "content_hash"),
        matches("documents.content_hash_is_sha256", "content_hash", SHA256_HEX),
        not_null("documents.published_at_evidence_not_null", "published_at_evidence"),
        in_set("documents.published_at_evidence_known", "published_at_evidence", DATE_EVIDENCE),
        # precomputed by the loader as published_at > now(); null when there is no date
        is_false("documents.published_at_not_in_future", "published_at_in_future"),
        in_set("documents.language_expected", "language", EXPECTED_LANGUAGES, WARNING),
        not_null("documents.title_not_null", "title", WARNING),
        of_type("documents.doc_id_is_str", "doc_id", "str"),
    ],
)

MENTIONS = TableSuite(
    table="mentions",
    key_columns=list(RECORD_TABLES["mentions"].key_columns),
    checks=[
        not_null("mentions.doc_id_not_null", "doc_id"),
        not_null("mentions.type_not_null", "type"),
        in_set("mentions.type_known", "type", ENTITY_TYPES),
        not_null("mentions.surface_not_null", "surface"),
        not_empty("mentions.surface_not_empty", "surface"),
        not_null("mentions.normal_not_null", "normal"),
        not_empty("mentions.normal_not_empty", "normal"),
        at_least("mentions.char_start_non_negative", "char_start", 0),
        greater("mentions.span_not_empty", "char_end", "char_start"),
        not_null("mentions.offsets_in_text_not_null", "offsets_in_text"),
        is_true("mentions.offsets_in_text", "offsets_in_text"),
        not_null("mentions.surface_matches_text_not_null", "surface_matches_text"),
        is_true("mentions.surface_matches_text", "surface_matches_text"),
        not_null("mentions.entity_exists_not_null", "entity_exists"),
        is_true("mentions.entity_exists", "entity_exists"),
        of_type("mentions.doc_id_is_str", "doc_id", "str"),
        integer_typed("mentions.char_start_is_int", "char_start"),
        integer_typed("mentions.char_end_is_int", "char_end"),
    ],
)

ENTITIES = TableSuite(
    table="entities",
    key_columns=["entity_id"],
    checks=[
        not_null("entities.entity_id_not_null", "entity_id"),
        unique("entities.entity_id_unique", "entity_id"),
        not_null("entities.type_not_null", "type"),
        in_set("entities.type_known", "type", ENTITY_TYPES),
        not_null("entities.canonical_name_not_null", "canonical_name"),
        not_empty("entities.canonical_name_not_empty", "canonical_name"),
        at_least("entities.n_docs_positive", "n_docs", 1, WARNING),
        greater("entities.n_mentions_at_least_n_docs", "n_mentions", "n_docs", or_equal=True, severity=WARNING),
    ],
)

ACRONYMS = TableSuite(
    table="acronyms",
    key_columns=list(RECORD_TABLES["acronyms"].key_columns),
    checks=[
        not_null("acronyms.doc_id_not_null", "doc_id"),
        not_null("acronyms.short_form_not_null", "short_form", WARNING),
        matches("acronyms.short_form_all_caps", "short_form", ALL_CAPS_OR_DIGITS, WARNING),
        not_null("acronyms.long_form_not_null", "long_form"),
        not_null("acronyms.entity_id_not_null", "entity_id"),
        not_null("acronyms.offsets_in_text_not_null", "offsets_in_text"),
        is_true("acronyms.offsets_in_text", "offsets_in_text"),
        of_type("acronyms.doc_id_is_str", "doc_id", "str"),
        integer_typed("acronyms.short_start_is_int", "short_start"),
    ],
)

INGEST_RUNS = TableSuite(
    table="ingest_runs",
    key_columns=["run_id"],
    checks=[
        not_null("ingest_runs.run_id_not_null", "run_id"),
        unique("ingest_runs.run_id_unique", "run_id"),
        not_null("ingest_runs.counts_balance_not_null", "counts_balance"),
        is_true("ingest_runs.counts_balance", "counts_balance"),
    ],
)



# --- fact tables ------------------------------------------------------------------------

GENRES_KNOWN = ("interview", "news", "article", "opinion", "press_release", "biography", "other")
EVENT_KINDS = ("exercise", "operation", "forum", "programme", "summit", "conference", "session",
               "competition", "festival", "campaign", "other")
GRANULARITIES = ("day", "month", "year", "range", "duration")
OCCUPATION_KINDS = ("appointed", "held", "left", "candidate")
ATTRIBUTION_KINDS = ("outlet", "original_source", "quote")


def fact_suite(table: str, *checks: Check) -> TableSuite:
    """A fact table's suite: key and provenance checks shared by all, plus the table's own."""
    return TableSuite(
        table=table,
        key_columns=list(RECORD_TABLES[table].key_columns),
        checks=[
            not_null(f"{table}.doc_id_not_null", "doc_id"),
            not_null(f"{table}.extractor_version_not_null", "extractor_version"),
            at_least(f"{table}.char_start_non_negative", "char_start", 0),
            not_null(f"{table}.offsets_in_text_not_null", "offsets_in_text"),
            is_true(f"{table}.offsets_in_text", "offsets_in_text"),
            is_true(f"{table}.surface_matches_text", "surface_matches_text"),
            *checks,
        ],
    )


LEADS = fact_suite("leads", not_empty("leads.text_not_empty", "text"))
GENRES = fact_suite("genres", in_set("genres.kind_known", "kind", GENRES_KNOWN, WARNING),
                    not_null("genres.kind_not_null", "kind"))
SECTIONS = fact_suite(
    "sections",
    not_empty("sections.heading_not_empty", "heading"),
    greater("sections.body_after_heading", "body_start", "char_end", or_equal=True),
    greater("sections.body_not_reversed", "body_end", "body_start", or_equal=True),
)
INTERVIEW_TURNS = fact_suite(
    "interview_turns",
    not_empty("interview_turns.speaker_not_empty", "speaker"),
    not_null("interview_turns.is_question_not_null", "is_question"),
    at_least("interview_turns.turn_no_positive", "turn_no", 1),
)
NAMED_EVENTS = fact_suite(
    "named_events",
    not_empty("named_events.name_not_empty", "name"),
    in_set("named_events.kind_known", "kind", EVENT_KINDS),
    Check("named_events.year_plausible", WARNING,
          ("ExpectColumnValuesToBeBetween", {"column": "year", "min_value": 1800, "max_value": 2200})),
)
DATES = fact_suite(
    "dates",
    in_set("dates.granularity_known", "granularity", GRANULARITIES),
    greater("dates.end_not_before_start", "end_date", "start_date", or_equal=True),
    Check("dates.duration_is_iso8601", CRITICAL,
          ("ExpectColumnValuesToMatchRegex", {"column": "duration", "regex": r"^P(?:\d+[YMWD])+$"})),
)
OCCUPATIONS = fact_suite(
    "occupations",
    not_empty("occupations.person_key_not_empty", "person_key"),
    not_empty("occupations.position_not_empty", "position"),
    in_set("occupations.kind_known", "kind", OCCUPATION_KINDS),
    greater("occupations.end_not_before_start", "end_date", "start_date", or_equal=True),
)
ATTRIBUTIONS = fact_suite(
    "attributions",
    in_set("attributions.kind_known", "kind", ATTRIBUTION_KINDS),
    not_empty("attributions.source_not_empty", "source"),
)


# --- near-duplicates and stories ---------------------------------------------------------
# Computed flag columns come from the audit queries in ``warehouse/sql/dml``:
# ``audit_doc_signatures.sql`` (signature_length_ok), ``audit_near_duplicates.sql`` (not_self,
# target_exists) and ``audit_story_documents.sql`` (story_exists, one_first_per_story).

STORY_ID = r"^[0-9a-f]{16}$"
STORIES_VERSION = r"^stories/\d+$"


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
        between("near_duplicates.similarity_in_unit_range", "similarity", 0.0, 1.0),
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
        between("story_documents.similarity_in_unit_range", "similarity", 0.0, 1.0),
        not_null("story_documents.is_first_not_null", "is_first"),
        is_true("story_documents.story_exists", "story_exists"),
        is_true("story_documents.one_first_per_story", "one_first_per_story"),
    ],
)


# --- places ----------------------------------------------------------------------------
# Computed flag columns come from ``warehouse/sql/dml/audit_places.sql``: link_complete (geonameid,
# name, feature and confidence all present or all NULL) and entity_is_place (a staged LOC entity).
PLACE_FEATURES = ("country", "city", "continent")

PLACES = TableSuite(
    table="places",
    key_columns=["entity_id"],
    checks=[
        not_null("places.entity_id_not_null", "entity_id"),
        unique("places.entity_id_unique", "entity_id"),
        not_null("places.linker_version_not_null", "linker_version"),
        not_null("places.link_complete_not_null", "link_complete"),
        is_true("places.link_complete", "link_complete"),
        is_true("places.entity_is_place", "entity_is_place"),
        in_set("places.feature_known", "feature", PLACE_FEATURES),
        between("places.latitude_in_range", "latitude", -90, 90),
        between("places.longitude_in_range", "longitude", -180, 180),
        between("places.confidence_in_unit_range", "confidence", 0.0, 1.0),
        matches("places.country_code_two_letters", "country_code", r"^[A-Z]{2}$"),
        at_least("places.population_non_negative", "population", 0, WARNING),
    ],
)


SUITES: dict[str, TableSuite] = {
    suite.table: suite
    for suite in (DOCUMENTS, MENTIONS, ENTITIES, ACRONYMS, INGEST_RUNS, LEADS, GENRES, SECTIONS,
                  INTERVIEW_TURNS, NAMED_EVENTS, DATES, OCCUPATIONS, ATTRIBUTIONS, DOC_SIGNATURES, DOC_BANDS,
                  NEAR_DUPLICATES, STORIES, STORY_DOCUMENTS, PLACES)
}
STORY_TABLES = ("doc_signatures", "doc_bands", "near_duplicates", "stories", "story_documents")


