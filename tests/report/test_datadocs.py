"""Data Docs offline: local assets instead of CDNs, readable check descriptions, warnings as warnings."""
from __future__ import annotations

import re

import pytest

from newsetl.report.datadocs import describe, finish_site, localize, mark_warnings
from newsetl.schemas.suites import SUITES, WARNING, Check, at_least, greater, in_set, is_false, not_empty, not_null
from newsetl.validation.runner import docs_index_path

CDN = re.compile(r"""<(?:script|link)\b[^>]*\b(?:src|href)="https?://""", re.I)


@pytest.mark.parametrize(
    "check, description",
    [
        (is_false("documents.published_at_not_in_future", "published_at_in_future"),
         "Critical · published_at_in_future is false · documents.published_at_not_in_future"),
        (not_null("documents.title_not_null", "title", WARNING), "Warning · title is present (not null) · documents.title_not_null"),
        (in_set("documents.language_expected", "language", ("ru", "en"), WARNING),
         "Warning · language is one of: ru, en · documents.language_expected"),
        (not_empty("mentions.surface_not_empty", "surface"), "Critical · surface is not blank · mentions.surface_not_empty"),
        (at_least("documents.n_words_positive", "n_words", 1), "Critical · n_words is at least 1 · documents.n_words_positive"),
        (greater("entities.n_mentions_at_least_n_docs", "n_mentions", "n_docs", or_equal=True, severity=WARNING),
         "Warning · n_mentions is at least n_docs · entities.n_mentions_at_least_n_docs"),
        (Check("x.custom_rule", "critical", lambda: None), "Critical · custom rule · x.custom_rule"),
    ],
)
def test_checks_read_as_sentences_with_their_severity(check, description):
    assert describe(check) == description


def test_every_shipped_check_has_a_filled_in_sentence():
    for suite in SUITES.values():
        for check in suite.checks:
            assert not re.search(r"\{[A-Za-z_]+\}", describe(check)), check.name  # no placeholder left


FAILED_ICON = '<i class="fas fa-times text-danger" ></i>'
PASSED_ICON = '<i class="fas fa-check-circle text-success" ></i>'


def page_with_rows(*rows: tuple[str, bool]) -> str:
    """A minimal GX validation page: one table row per (description, failed)."""
    body = "".join(f"<tr><td><span>{FAILED_ICON if failed else PASSED_ICON}</span></td><td><span>{text}</span></td></tr>"
                   for text, failed in rows)
    return ('<html><head><link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>'
            '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script></head><body>'
            '<span class="h6">Status:</span> <i class="fas fa-times text-danger" aria-hidden="true"></i> Failed'
            f"<table>{body}</table></body></html>")


def test_a_page_whose_only_failures_are_warnings_passes_with_warnings():
    page = mark_warnings(localize(page_with_rows(("Warning · title is present · t.w", True),
                                                 ("Critical · id is unique · t.c", False)), depth=4))
    assert "Passed with warnings" in page and "Failed" not in page
    assert "fa-times" not in page and page.count("fa-exclamation-triangle") == 2  # the row and the status


def test_a_critical_failure_keeps_the_red_cross():
    page = mark_warnings(localize(page_with_rows(("Warning · title is present · t.w", True),
                                                 ("Critical · id is unique · t.c", True)), depth=0))
    assert "Failed" in page and "Passed with warnings" not in page
    assert page.count("fa-times text-danger") == 2  # the critical row and the status; the warning row is yellow


def test_localized_pages_point_at_local_assets_at_their_depth():
    page = localize(page_with_rows(), depth=2)
    assert not CDN.search(page)
    assert 'href="../../static/vendor/bootstrap/bootstrap.min.css"' in page
    assert 'src="../../static/vendor/jquery/jquery.min.js"' in page


def test_the_samples_site_works_offline_and_marks_the_title_warning(sample_warehouse):
    data_dir, _ = sample_warehouse
    site = docs_index_path(data_dir).parent
    finish_site(site)  # the run did this already; a second call changes nothing
    pages = [p for p in site.rglob("*.html") if "vendor" not in p.parts]
    assert pages and all(not CDN.search(p.read_text(encoding="utf-8")) for p in pages)
    for asset in ("bootstrap/bootstrap.min.css", "jquery/jquery.min.js", "fontawesome/css/all.min.css",
                  "fontawesome/webfonts/fa-solid-900.woff2", "newsetl/datadocs-tables.js"):
        assert (site / "static" / "vendor" / asset).is_file(), asset
    documents = next(site.glob("validations/newsetl/documents/*/*/*.html")).read_text(encoding="utf-8")
    assert "Passed with warnings" in documents and "Data asset: documents" in documents
    assert "Warning · title is present (not null) · documents.title_not_null" in documents
    assert "values must belong to this set" not in documents
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "fa-exclamation-triangle newsetl-warning" in index and "fa-times text-danger" not in index
    assert index.count("<!-- newsetl: offline assets -->") == 1


def test_finishing_again_reads_only_the_pages_written_since_the_last_finish(tmp_path):
    """A feed's site gains pages every run: a finish may not read the whole history again."""
    import os

    from newsetl.report.datadocs import OFFLINE_MARKER

    site = tmp_path / "site"
    (site / "expectations").mkdir(parents=True)
    first = site / "expectations" / "first.html"
    first.write_text(page_with_rows(), encoding="utf-8")
    finish_site(site)
    assert OFFLINE_MARKER in first.read_text(encoding="utf-8")
    older = site / "expectations" / "older.html"  # left unfinished before the last finish began
    older.write_text(page_with_rows(), encoding="utf-8")
    os.utime(older, ns=(10**9, 10**9))
    newer = site / "expectations" / "newer.html"
    newer.write_text(page_with_rows(), encoding="utf-8")
    finish_site(site)
    assert OFFLINE_MARKER in newer.read_text(encoding="utf-8") and not CDN.search(newer.read_text(encoding="utf-8"))
    assert OFFLINE_MARKER not in older.read_text(encoding="utf-8")  # not read: older than the stamp
