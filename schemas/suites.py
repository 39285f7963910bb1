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

A suite is a small text table, one check a line, in suite order (the order of the
reports): ``name  kind  column [argument …] [warning|critical]``. The name is given
without the table (``text_not_empty`` in the ``documents`` suite is the check
``documents.text_not_empty``); the kind is a key of :data:`CHECK_KINDS` (the helper
functions below); an argument is a number, a constant of :data:`NAMED_VALUES` (upper
case) or a column name; the severity defaults to the helper's (critical, but warning
for the type checks). Adding a suite for another table takes a few lines::

    FACTS = suite("facts", ["doc_id", "fact_start"], '''
        doc_id_not_null          not_null   doc_id
        kind_known               in_set     kind        FACT_KINDS
        fact_start_non_negative  at_least   fact_start  0
        offsets_in_text          is_true    offsets_in_text
    ''')

and list it in ``SUITES`` at the bottom of this module (a fact table: :func:`fact_suite`,
which adds the checks every fact table shares).

Check names are ``<table>.<what must hold>``; never rename one that has shipped: the
names are the quarantine reasons and the ``dq_results.check_name`` history.

An expectation without a helper is a :class:`Check` with a spec tuple,
``Check(name, CRITICAL, ("ExpectColumnValuesToBeDateutilParseable", {"column": "x"}))``,
or a callable returning a ``gx.expectations`` instance, in a ``TableSuite`` of its own or
added to a parsed one. Specs keep this module free of the (slow) ``great_expectations``
import; :meth:`Check.expectation` builds them.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
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
GENRES_KNOWN = ("interview", "news", "article", "opinion", "press_release", "biography", "other")
EVENT_KINDS = ("exercise", "operation", "forum", "programme", "summit", "conference", "session",
               "competition", "festival", "campaign", "other")
GRANULARITIES = ("day", "month", "year", "range", "duration")
ISO8601_DURATION = r"^P(?:\d+[YMWD])+$"
OCCUPATION_KINDS = ("appointed", "held", "left", "candidate")
ATTRIBUTION_KINDS = ("outlet", "original_source", "quote")
STORY_ID = r"^[0-9a-f]{16}$"
STORIES_VERSION = r"^stories/\d+$"
PLACE_FEATURES = ("country", "city", "continent")
COUNTRY_CODE = r"^[A-Z]{2}$"

# The value sets and patterns the suites' text tables name (upper-case words in a check's line).
NAMED_VALUES: dict[str, Any] = {
    "INPUT_FORMATS": INPUT_FORMATS, "DATE_EVIDENCE": DATE_EVIDENCE, "ENTITY_TYPES": ENTITY_TYPES,
    "EXPECTED_LANGUAGES": EXPECTED_LANGUAGES, "SHA256_HEX": SHA256_HEX, "ALL_CAPS_OR_DIGITS": ALL_CAPS_OR_DIGITS,
    "GENRES_KNOWN": GENRES_KNOWN, "EVENT_KINDS": EVENT_KINDS, "GRANULARITIES": GRANULARITIES,
    "ISO8601_DURATION": ISO8601_DURATION, "OCCUPATION_KINDS": OCCUPATION_KINDS,
    "ATTRIBUTION_KINDS": ATTRIBUTION_KINDS, "STORY_ID": STORY_ID, "STORIES_VERSION": STORIES_VERSION,
    "PLACE_FEATURES": PLACE_FEATURES, "COUNTRY_CODE": COUNTRY_CODE,
}


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


# --- the check kinds: one helper per expectation, named in the suites' text tables ----------


def not_null(name: str, column: str, severity: Severity = CRITICAL) -> Check:
    """``column`` has no nulls."""
    return Check(name, severity, ("ExpectColumnValuesToNotBeNull", {"column": column}))


def unique(name: str, column: str, severity: Severity = CRITICAL) -> Check:
    """Non-null values of ``column`` are distinct (every duplicate row fails)."""
    return Check(name, severity, ("ExpectColumnValuesToBeUnique", {"column": column}))


def unique_pair(name: str, column_a: str, column_b: str, severity: Severity = CRITICAL) -> Check:
    """No two rows share the same (``column_a``, ``column_b``) (every duplicate row fails)."""
    return unique_key(name, column_a, column_b, severity=severity)


def unique_key(name: str, *columns: str, severity: Severity = CRITICAL) -> Check:
    """No two rows share the same values of ``columns``, a table's key (every duplicate row fails):
    the published record tables have no key constraint (see ``warehouse/sql/``), this is their key."""
    return Check(name, severity, ("ExpectCompoundColumnsToBeUnique", {"column_list": list(columns)}))


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


# --- the text tables of checks ------------------------------------------------------------

CHECK_KINDS: dict[str, Callable[..., Check]] = {
    "not_null": not_null, "unique": unique, "unique_pair": unique_pair, "unique_key": unique_key, "in_set": in_set, "is_true": is_true, "is_false": is_false,
    "at_least": at_least, "greater": greater, "greater_or_equal": partial(greater, or_equal=True),
    "matches": matches, "between": between, "not_empty": not_empty, "of_type": of_type,
    "integer_typed": integer_typed,
}
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def suite(table: str, key_columns: Sequence[str], rows: str) -> TableSuite:
    """The suite of ``table`` from a text table of checks (see the module docstring)."""
    return TableSuite(table=table, key_columns=list(key_columns), checks=parse_checks(table, rows))


def parse_checks(table: str, rows: str) -> list[Check]:
    """One :class:`Check` per non-blank line of ``rows``; ``#`` starts a comment."""
    lines = (line.partition("#")[0].split() for line in rows.splitlines())
    return [parse_check(table, words) for words in lines if words]


def parse_check(table: str, words: list[str]) -> Check:
    """A check from the words of one line: name, kind, column and arguments, optional severity."""
    if len(words) < 3:
        raise ValueError(f"suite {table}: a check needs a name, a kind and a column, not {' '.join(words)!r}")
    name, kind, *arguments = words
    if kind not in CHECK_KINDS:
        raise ValueError(f"{table}.{name}: unknown check kind {kind!r} (known: {', '.join(CHECK_KINDS)})")
    severity = {"severity": arguments.pop()} if arguments[-1] in (CRITICAL, WARNING) else {}
    return CHECK_KINDS[kind](f"{table}.{name}", *(argument(table, name, word) for word in arguments), **severity)


def argument(table: str, name: str, word: str) -> Any:
    """A check's argument: a number, a named constant (upper case) or a column name."""
    if _NUMBER.match(word):
        return float(word) if "." in word else int(word)
    if word.isupper():
        if word not in NAMED_VALUES:
            raise ValueError(f"{table}.{name}: unknown constant {word!r}")
        return NAMED_VALUES[word]
    return word


# --- the suites -------------------------------------------------------------------------

DOCUMENTS = suite("documents", ["doc_id"], """
    doc_id_not_null                 not_null    doc_id
    doc_id_unique                   unique      doc_id
    source_uri_not_null             not_null    source_uri
    format_not_null                 not_null    format
    format_known                    in_set      format                  INPUT_FORMATS
    text_not_null                   not_null    text
    text_not_empty                  not_empty   text
    n_chars_positive                at_least    n_chars                 1
    n_words_positive                at_least    n_words                 1
    content_hash_not_null           not_null    content_hash
    content_hash_is_sha256          matches     content_hash            SHA256_HEX
    published_at_evidence_not_null  not_null    published_at_evidence
    published_at_evidence_known     in_set      published_at_evidence   DATE_EVIDENCE
    # precomputed by the loader as published_at > now(); null when there is no date
    published_at_not_in_future      is_false    published_at_in_future
    language_expected               in_set      language                EXPECTED_LANGUAGES  warning
    title_not_null                  not_null    title                   warning
    doc_id_is_str                   of_type     doc_id                  str
""")

MENTIONS = suite("mentions", RECORD_TABLES["mentions"].key_columns, """
    doc_id_not_null                 not_null    doc_id
    key_unique                      unique_key  doc_id  char_start  char_end  type
    type_not_null                   not_null    type
    type_known                      in_set      type                    ENTITY_TYPES
    surface_not_null                not_null    surface
    surface_not_empty               not_empty   surface
    normal_not_null                 not_null    normal
    normal_not_empty                not_empty   normal
    char_start_non_negative         at_least    char_start              0
    span_not_empty                  greater     char_end                char_start
    offsets_in_text_not_null        not_null    offsets_in_text
    offsets_in_text                 is_true     offsets_in_text
    surface_matches_text_not_null   not_null    surface_matches_text
    surface_matches_text            is_true     surface_matches_text
    entity_exists_not_null          not_null    entity_exists
    entity_exists                   is_true     entity_exists
    doc_id_is_str                   of_type     doc_id                  str
    char_start_is_int               integer_typed  char_start
    char_end_is_int                 integer_typed  char_end
""")

ENTITIES = suite("entities", ["entity_id"], """
    entity_id_not_null              not_null    entity_id
    entity_id_unique                unique      entity_id
    type_not_null                   not_null    type
    type_known                      in_set      type                    ENTITY_TYPES
    canonical_name_not_null         not_null    canonical_name
    canonical_name_not_empty        not_empty   canonical_name
    n_docs_positive                 at_least    n_docs                  1  warning
    n_mentions_at_least_n_docs      greater_or_equal  n_mentions        n_docs  warning
""")

ACRONYMS = suite("acronyms", RECORD_TABLES["acronyms"].key_columns, """
    doc_id_not_null                 not_null    doc_id
    key_unique                      unique_key  doc_id  short_start
    short_form_not_null             not_null    short_form              warning
    short_form_all_caps             matches     short_form              ALL_CAPS_OR_DIGITS  warning
    long_form_not_null              not_null    long_form
    entity_id_not_null              not_null    entity_id
    offsets_in_text_not_null        not_null    offsets_in_text
    offsets_in_text                 is_true     offsets_in_text
    doc_id_is_str                   of_type     doc_id                  str
    short_start_is_int              integer_typed  short_start
""")

INGEST_RUNS = suite("ingest_runs", ["run_id"], """
    run_id_not_null                 not_null    run_id
    run_id_unique                   unique      run_id
    counts_balance_not_null         not_null    counts_balance
    counts_balance                  is_true     counts_balance
""")


# --- fact tables ------------------------------------------------------------------------

# The key and provenance checks every fact table has, before its own.
FACT_CHECKS = """
    doc_id_not_null                 not_null    doc_id
    key_unique                      unique_key  doc_id  record_no
    extractor_version_not_null      not_null    extractor_version
    char_start_non_negative         at_least    char_start              0
    offsets_in_text_not_null        not_null    offsets_in_text
    offsets_in_text                 is_true     offsets_in_text
    surface_matches_text            is_true     surface_matches_text
"""


def fact_suite(table: str, rows: str) -> TableSuite:
    """A fact table's suite: the checks all fact tables share (:data:`FACT_CHECKS`), then ``rows``."""
    return suite(table, RECORD_TABLES[table].key_columns, FACT_CHECKS + rows)


LEADS = fact_suite("leads", """
    text_not_empty                  not_empty   text
""")
GENRES = fact_suite("genres", """
    kind_known                      in_set      kind                    GENRES_KNOWN  warning
    kind_not_null                   not_null    kind
""")
SECTIONS = fact_suite("sections", """
    heading_not_empty               not_empty   heading
    body_after_heading              greater_or_equal  body_start        char_end
    body_not_reversed               greater_or_equal  body_end          body_start
""")
INTERVIEW_TURNS = fact_suite("interview_turns", """
    speaker_not_empty               not_empty   speaker
    is_question_not_null            not_null    is_question
    turn_no_positive                at_least    turn_no                 1
""")
NAMED_EVENTS = fact_suite("named_events", """
    name_not_empty                  not_empty   name
    kind_known                      in_set      kind                    EVENT_KINDS
    year_plausible                  between     year                    1800  2200  warning
""")
DATES = fact_suite("dates", """
    granularity_known               in_set      granularity             GRANULARITIES
    end_not_before_start            greater_or_equal  end_date          start_date
    duration_is_iso8601             matches     duration                ISO8601_DURATION
""")
OCCUPATIONS = fact_suite("occupations", """
    person_key_not_empty            not_empty   person_key
    position_not_empty              not_empty   position
    kind_known                      in_set      kind                    OCCUPATION_KINDS
    end_not_before_start            greater_or_equal  end_date          start_date
""")
ATTRIBUTIONS = fact_suite("attributions", """
    kind_known                      in_set      kind                    ATTRIBUTION_KINDS
    source_not_empty                not_empty   source
""")


# --- near-duplicates and stories ---------------------------------------------------------
# Computed flag columns come from the audit queries in ``warehouse/sql/dml``:
# ``audit_doc_signatures.sql`` (signature_length_ok), ``audit_near_duplicates.sql`` (not_self,
# target_exists) and ``audit_story_documents.sql`` (story_exists, one_first_per_story).

DOC_SIGNATURES = suite("doc_signatures", ["doc_id"], """
    doc_id_not_null                 not_null    doc_id
    doc_id_unique                   unique      doc_id
    stories_version_not_null        not_null    stories_version
    stories_version_known           matches     stories_version         STORIES_VERSION
    n_shingles_non_negative         at_least    n_shingles              0
    signature_length_ok_not_null    not_null    signature_length_ok
    signature_length_ok             is_true     signature_length_ok
    n_shingles_positive             at_least    n_shingles              1  warning  # no words: no near-duplicates
""")

DOC_BANDS = suite("doc_bands", ["band_key", "doc_id"], """
    band_key_not_null               not_null    band_key
    doc_id_not_null                 not_null    doc_id
    band_key_doc_id_unique          unique_pair band_key  doc_id   # the table has no key (004_stories.sql)
""")

NEAR_DUPLICATES = suite("near_duplicates", ["doc_id"], """
    doc_id_not_null                 not_null    doc_id
    doc_id_unique                   unique      doc_id
    near_duplicate_of_not_null      not_null    near_duplicate_of
    similarity_in_unit_range        between     similarity              0.0  1.0
    not_self                        is_true     not_self
    target_exists                   is_true     target_exists
""")

STORIES = suite("stories", ["story_id"], """
    story_id_not_null               not_null    story_id
    story_id_unique                 unique      story_id
    story_id_is_hex16               matches     story_id                STORY_ID
    first_doc_id_not_null           not_null    first_doc_id
    founder_doc_id_not_null         not_null    founder_doc_id
    n_docs_positive                 at_least    n_docs                  1
    n_docs_at_least_n_sources       greater_or_equal  n_docs            n_sources
    span_not_reversed               greater_or_equal  last_published_at  first_published_at
    first_published_at_not_null     not_null    first_published_at      warning
""")

STORY_DOCUMENTS = suite("story_documents", ["doc_id"], """
    story_id_not_null               not_null    story_id
    doc_id_not_null                 not_null    doc_id
    doc_id_unique                   unique      doc_id
    similarity_in_unit_range        between     similarity              0.0  1.0
    is_first_not_null               not_null    is_first
    story_exists                    is_true     story_exists
    one_first_per_story             is_true     one_first_per_story
""")


# --- places ----------------------------------------------------------------------------
# Computed flag columns come from ``warehouse/sql/dml/audit_places.sql``: link_complete (geonameid,
# name, feature and confidence all present or all NULL) and entity_is_place (a staged LOC entity).

PLACES = suite("places", ["entity_id"], """
    entity_id_not_null              not_null    entity_id
    entity_id_unique                unique      entity_id
    linker_version_not_null         not_null    linker_version
    link_complete_not_null          not_null    link_complete
    link_complete                   is_true     link_complete
    entity_is_place                 is_true     entity_is_place
    feature_known                   in_set      feature                 PLACE_FEATURES
    latitude_in_range               between     latitude                -90  90
    longitude_in_range              between     longitude               -180  180
    confidence_in_unit_range        between     confidence              0.0  1.0
    country_code_two_letters        matches     country_code            COUNTRY_CODE
    population_non_negative         at_least    population              0  warning
""")


SUITES: dict[str, TableSuite] = {
    table_suite.table: table_suite
    for table_suite in (DOCUMENTS, MENTIONS, ENTITIES, ACRONYMS, INGEST_RUNS, LEADS, GENRES, SECTIONS,
                  INTERVIEW_TURNS, NAMED_EVENTS, DATES, OCCUPATIONS, ATTRIBUTIONS, DOC_SIGNATURES, DOC_BANDS,
                  NEAR_DUPLICATES, STORIES, STORY_DOCUMENTS, PLACES)
}
STORY_TABLES = ("doc_signatures", "doc_bands", "near_duplicates", "stories", "story_documents")
