"""A run's audit verdict combined from its publish windows' verdicts."""
from __future__ import annotations

import pytest

from newsetl.validation.audit import NOT_AUDITED, AuditResult, combine


def verdict(success, warnings=(), docs="docs/index.html", **quarantined) -> AuditResult:
    return AuditResult(success, list(warnings), docs, dict(quarantined))


@pytest.mark.parametrize("windows, expected", [
    ([], NOT_AUDITED),
    ([NOT_AUDITED, NOT_AUDITED], NOT_AUDITED),
    ([verdict(True, ["w1"], "d1")], verdict(True, ["w1"], "d1")),
    ([verdict(True, ["w1"], "d1"), NOT_AUDITED, verdict(True, ["w2", "w1"], "d2")],
     verdict(True, ["w1", "w2"], "d2")),
    ([verdict(True, docs="d1", documents=0), verdict(False, docs="d2", documents=1, mentions=2),
      verdict(True, docs="d3", documents=2)],
     verdict(False, docs="d3", documents=3, mentions=2)),
    ([NOT_AUDITED, verdict(False, ["w"], "d1", facts=1), NOT_AUDITED], verdict(False, ["w"], "d1", facts=1)),
])
def test_windows_combine_into_the_run_verdict(windows, expected):
    combined = combine(windows)
    assert combined == expected
    assert combined.audited == expected.audited
