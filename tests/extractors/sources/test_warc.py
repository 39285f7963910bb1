"""WARC input: HTML responses become units; other records are skipped and counted; damage is a unit."""
import gzip
import re

import pytest

from newsetl.extractors.sources.accounting import ReadStats
from newsetl.extractors.sources.discovery import scan
from newsetl.extractors.sources.files import read_units
from newsetl.extractors.sources.limits import KEPT_PREFIX_BYTES
from warc_files import Rec, article, standard_records, warc_bytes

EXPECTED_SKIPS = {"warcinfo": 1, "request": 1, "response_not_html": 1, "metadata": 1, "response_not_ok": 1}


def read_warc(tmp_path, data: bytes, name: str = "crawl.warc", **options):
    """The units of a WARC file holding ``data``, and the read's stats."""
    path = tmp_path / name
    path.write_bytes(data)
    stats = ReadStats()
    units = list(read_units(scan([str(path)]).files, stats=stats, **options))
    return units, stats


def outcomes(units):
    """(source id, record number, error reason) of each unit."""
    return [(u.source_id, u.source_uri.rsplit("#", 1)[1], u.error and u.error[0]) for u in units]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_html_responses_are_units_and_other_records_are_skipped(tmp_path, gz):
    cut = Rec("response", "urn:uuid:cut", uri="https://news.example.ru/cut", payload=article("Обрезанная"))
    data = warc_bytes(standard_records() + [cut], gz)
    units, stats = read_warc(tmp_path, data[:-150], "crawl.warc.gz" if gz else "crawl.warc")
    assert outcomes(units) == [("urn:uuid:page-1", "R3", None), ("urn:uuid:page-2", "R5", None),
                               ("urn:uuid:cut", "R8", "truncated_warc")]
    assert dict(stats.skipped_warc_records) == EXPECTED_SKIPS
    assert (stats.warc_records, stats.warc_units, stats.units) == (8, 3, 3) and stats.balanced()
    assert units[0].fmt == "warc" and units[0].source_uri.endswith("crawl.warc" + (".gz" if gz else "") + "#R3")
    assert units[2].raw.startswith(b"WARC/1.0\r\n") and b"urn:uuid:cut" in units[2].raw


def test_unit_raw_is_the_exact_record(tmp_path):
    records = standard_records()
    whole = warc_bytes(records, gz=False)
    units, _ = read_warc(tmp_path, whole)
    page_1 = warc_bytes([records[2]], gz=False)
    assert units[0].raw == page_1
    assert page_1 in whole


def test_damaged_record_in_the_middle_is_quarantined_and_the_rest_loads(tmp_path):
    first = warc_bytes([Rec("response", "urn:uuid:ok-1", payload=article("Первая"))], gz=False)
    last = warc_bytes([Rec("response", "urn:uuid:ok-2", payload=article("Третья"))], gz=False)
    broken = warc_bytes([Rec("response", "urn:uuid:bad", payload=article("Сломанная"))], gz=False)
    bad_length = broken.replace(b"Content-Length: ", b"Content-Length: x", 1)
    short_length = re.sub(rb"Content-Length: (\d+)", lambda m: b"Content-Length: %d" % (int(m[1]) // 2), broken,
                          count=1)  # a block longer than declared
    for damaged in (bad_length, short_length, b"garbage that is not a record\r\nmore\r\n\r\n"):
        units, stats = read_warc(tmp_path, first + damaged + last)
        assert [(u.source_id, u.error and u.error[0]) for u in units][::2] == [("urn:uuid:ok-1", None),
                                                                                ("urn:uuid:ok-2", None)]
        assert units[1].error[0] == "malformed_warc" and units[1].raw.strip() == damaged.strip()
        assert stats.balanced()


def test_corrupt_gzip_member_ends_the_file_with_one_damage_unit(tmp_path):
    good = warc_bytes([Rec("response", "urn:uuid:ok-1", payload=article("Первая"))], gz=True)
    units, stats = read_warc(tmp_path, good + b"\x1f\x8b\x08\x00" + b"\xff" * 64, "crawl.warc.gz")
    assert outcomes(units) == [("urn:uuid:ok-1", "R1", None), ("crawl.warc.gz#R2", "R2", "corrupt_gzip")]
    assert stats.balanced()


def test_html_record_over_the_limit_is_too_large_and_a_big_pdf_is_skipped(tmp_path):
    big_page = article("Большая") + b"<p>" + "слово ".encode("utf-8") * 20_000 + b"</p>"
    records = [Rec("response", "urn:uuid:big", payload=big_page),
               Rec("response", "urn:uuid:pdf", content_type="application/pdf", payload=b"%PDF-" + b"0" * 200_000),
               Rec("response", "urn:uuid:small", payload=article("Малая"))]
    units, stats = read_warc(tmp_path, warc_bytes(records, gz=False), max_unit_bytes=100_000)
    assert outcomes(units) == [("urn:uuid:big", "R1", "too_large"), ("urn:uuid:small", "R3", None)]
    assert len(units[0].raw) == KEPT_PREFIX_BYTES and units[0].raw.startswith(b"WARC/1.0")
    assert dict(stats.skipped_warc_records) == {"response_not_html": 1}


def test_bomb_record_inside_a_warc_gz(tmp_path):
    page = warc_bytes([Rec("response", "urn:uuid:ok-1", payload=article("Первая"))], gz=True)
    bomb = warc_bytes([Rec("response", "urn:uuid:zeros", payload=b"\x00" * (40 << 20))], gz=True)
    units, stats = read_warc(tmp_path, page + bomb, "crawl.warc.gz")
    assert outcomes(units) == [("urn:uuid:ok-1", "R1", None), ("urn:uuid:zeros", "R2", "decompression_bomb")]
    assert len(units[1].raw) <= KEPT_PREFIX_BYTES


@pytest.mark.parametrize("content", [b"", b" \r\n\n\t", gzip.compress(b""), gzip.compress(b"\n\n")],
                         ids=["empty", "whitespace", "gz-empty", "gz-whitespace"])
def test_warc_without_records_is_one_empty_unit(tmp_path, content):
    units, stats = read_warc(tmp_path, content, "crawl.warc.gz" if content.startswith(b"\x1f") else "crawl.warc")
    assert [(u.source_id.split("#")[0], u.error[0]) for u in units] == [(units[0].source_id, "empty")]
    assert stats.balanced()


def test_warc_with_only_skipped_records_gives_no_unit_but_counts_them(tmp_path):
    units, stats = read_warc(tmp_path, warc_bytes(standard_records()[:2], gz=False))
    assert units == []
    assert dict(stats.skipped_warc_records) == {"warcinfo": 1, "request": 1}
