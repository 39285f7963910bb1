"""Tests for the suites' text tables (newsetl.schemas.suites): each line becomes the check it says."""
from __future__ import annotations

import pytest

from newsetl.schemas.records import ENTITY_TYPES
from newsetl.schemas.suites import (
    CRITICAL, FACT_CHECKS, SUITES, WARNING, Check, fact_suite, parse_checks, suite,
)

LINE_CASES = [
    # (line, expected name, severity, expectation spec)
    ("id_not_null  not_null  id", "t.id_not_null", CRITICAL,
     ("ExpectColumnValuesToNotBeNull", {"column": "id"})),
    ("type_known  in_set  type  ENTITY_TYPES  warning", "t.type_known", WARNING,
     ("ExpectColumnValuesToBeInSet", {"column": "type", "value_set": list(ENTITY_TYPES)})),
    ("n_positive  at_least  n  1", "t.n_positive", CRITICAL,
     ("ExpectColumnValuesToBeBetween", {"column": "n", "min_value": 1})),
    ("lat_in_range  between  lat  -90  90", "t.lat_in_range", CRITICAL,
     ("ExpectColumnValuesToBeBetween", {"column": "lat", "min_value": -90, "max_value": 90})),
    ("share_in_unit_range  between  share  0.0  1.0  critical", "t.share_in_unit_range", CRITICAL,
     ("ExpectColumnValuesToBeBetween", {"column": "share", "min_value": 0.0, "max_value": 1.0})),
    ("span_not_empty  greater  end  start", "t.span_not_empty", CRITICAL,
     ("ExpectColumnPairValuesAToBeGreaterThanB",
      {"column_A": "end", "column_B": "start", "or_equal": False, "ignore_row_if": "either_value_is_missing"})),
    ("not_reversed  greater_or_equal  end  start", "t.not_reversed", CRITICAL,
     ("ExpectColumnPairValuesAToBeGreaterThanB",
      {"column_A": "end", "column_B": "start", "or_equal": True, "ignore_row_if": "either_value_is_missing"})),
    ("flag_set  is_true  flag  # a trailing comment", "t.flag_set", CRITICAL,
     ("ExpectColumnValuesToBeInSet", {"column": "flag", "value_set": [True]})),
    # the type checks default to warning
    ("id_is_str  of_type  id  str", "t.id_is_str", WARNING,
     ("ExpectColumnValuesToBeOfType", {"column": "id", "type_": "str"})),
    ("n_is_int  integer_typed  n", "t.n_is_int", WARNING,
     ("ExpectColumnValuesToBeInTypeList", {"column": "n", "type_list": ["int64", "int32", "Int64Dtype", "Int32Dtype"]})),
]


@pytest.mark.parametrize("line, name, severity, spec", LINE_CASES, ids=[case[1] for case in LINE_CASES])
def test_a_line_becomes_its_check(line, name, severity, spec):
    assert parse_checks("t", line) == [Check(name, severity, spec)]


def test_blank_lines_and_comments_are_skipped_and_order_is_kept():
    rows = """
        # the key
        b_not_null   not_null  b

        a_not_null   not_null  a
    """
    assert [check.name for check in parse_checks("t", rows)] == ["t.b_not_null", "t.a_not_null"]


@pytest.mark.parametrize("line, message", [
    ("x_bad  no_such_kind  x", "unknown check kind 'no_such_kind'"),
    ("x_known  in_set  x  NO_SUCH_SET", "unknown constant 'NO_SUCH_SET'"),
    ("x_not_null  not_null", "needs a name, a kind and a column"),
])
def test_a_bad_line_is_a_clear_error(line, message):
    with pytest.raises(ValueError, match=message):
        parse_checks("t", line)


def test_a_name_given_twice_is_refused():
    with pytest.raises(ValueError, match="duplicate check names"):
        suite("t", ["id"], "id_not_null not_null id\nid_not_null not_null id")


def test_a_fact_suite_starts_with_the_shared_fact_checks():
    shared = [check.name.removeprefix("t.") for check in parse_checks("t", FACT_CHECKS)]
    leads = [check.name.removeprefix("leads.") for check in fact_suite("leads", "text_not_empty not_empty text").checks]
    assert leads == [*shared, "text_not_empty"]
    assert leads == [check.name.removeprefix("leads.") for check in SUITES["leads"].checks]


def test_every_shipped_check_is_named_after_its_table():
    for table, table_suite in SUITES.items():
        assert table_suite.checks, table
        assert all(check.name.startswith(f"{table}.") for check in table_suite.checks), table
