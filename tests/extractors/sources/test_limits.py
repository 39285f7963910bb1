"""Size limits while reading: too_large units, decompression bombs, bounded lines, bounded memory."""
import gzip
import json
import struct
import tracemalloc
import zlib

import pytest

from newsetl.extractors.documents.build import build_document
from newsetl.extractors.sources.discovery import scan
from newsetl.extractors.sources.files import read_units
from newsetl.extractors.sources.limits import DEFAULT_MAX_UNIT_BYTES, KEPT_PREFIX_BYTES

MIB = 1 << 20
# Memory a read may allocate at most (Python allocations, traced): the default unit limit plus
# a few chunks, far below what expanding a bomb would take.
MAX_TRACED_PEAK_BYTES = 40 * MIB


def write_zeros_gzip(path, n_mib: int) -> None:
    """A valid single-stream gzip file of ``n_mib`` MiB of zeros, written block by block (~1 KiB per MiB)."""
    zeros = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)  # the same bytes for every MiB
    crc = 0
    for _ in range(n_mib):
        crc = zlib.crc32(zeros, crc)
    final_empty_block = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    with open(path, "wb") as out:
        out.write(first)
        for _ in range(n_mib - 1):
            out.write(block)
        out.write(final_empty_block + struct.pack("<II", crc, (n_mib * MIB) & 0xFFFFFFFF))


def read_traced(paths, **options):
    """The units of ``paths`` and the peak of traced memory while reading them."""
    tracemalloc.start()
    try:
        units = list(read_units(scan([str(p) for p in paths]).files, **options))
        return units, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", ["zeros.txt.gz", "zeros.html.gz", "zeros.jsonl.gz", "zeros.warc.gz"])
def test_gigabyte_of_zeros_is_a_bomb_read_in_bounded_memory(tmp_path, name):
    path = tmp_path / name
    write_zeros_gzip(path, 1024)
    assert path.stat().st_size < 2 * MIB
    units, peak = read_traced([path])
    [unit] = units
    assert unit.error[0] == "decompression_bomb"
    assert name in unit.error[1] and "expands" in unit.error[1]
    assert len(unit.raw) <= KEPT_PREFIX_BYTES
    assert peak < MAX_TRACED_PEAK_BYTES
    reject = build_document(unit)
    assert (reject.reason_code, reject.raw) == ("decompression_bomb", unit.raw)


def test_gzip_expanding_past_the_unit_limit_is_a_bomb(tmp_path):
    path = tmp_path / "big.txt.gz"
    text = "Новость дня. ".encode("utf-8") * 4000  # ~100 KB, compresses far less than 100:1 in this size
    path.write_bytes(gzip.compress(text))
    [unit] = read_units(scan([str(path)]).files, max_unit_bytes=50_000)
    assert unit.error[0] == "decompression_bomb"
    assert "limit of 50000 bytes" in unit.error[1]
    assert unit.raw == text[: len(unit.raw)] and 0 < len(unit.raw) <= 50_000


@pytest.mark.parametrize(
    "name, content, limit, kept",
    [
        ("long.txt", b"x" * 5000, 1000, b"x" * 1000),
        ("long.html", b"<p>" + b"y" * 300_000, 200_000, (b"<p>" + b"y" * 300_000)[:KEPT_PREFIX_BYTES]),
    ],
    ids=["txt-over-small-limit", "html-keeps-64KiB"],
)
def test_file_over_the_limit_is_too_large_with_its_first_bytes(tmp_path, name, content, limit, kept):
    path = tmp_path / name
    path.write_bytes(content)
    [unit] = read_units(scan([str(path)]).files, max_unit_bytes=limit)
    assert unit.error[0] == "too_large"
    assert f"limit of {limit} bytes" in unit.error[1]
    assert unit.raw == kept
    assert build_document(unit).reason_code == "too_large"


def test_file_at_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "exact.txt"
    path.write_bytes(b"z" * 1000)
    [unit] = read_units(scan([str(path)]).files, max_unit_bytes=1000)
    assert (unit.error, unit.raw) == (None, b"z" * 1000)


def test_jsonl_line_over_the_limit_is_too_large_and_the_next_lines_load(tmp_path):
    path = tmp_path / "feed.jsonl"
    long_record = json.dumps({"id": "long", "text": "я" * 3000}, ensure_ascii=False)
    path.write_text("\n".join([json.dumps({"id": "a", "text": "Первая."}, ensure_ascii=False), long_record,
                               json.dumps({"id": "b", "text": "Третья."}, ensure_ascii=False)]), encoding="utf-8")
    units = list(read_units(scan([str(path)]).files, max_unit_bytes=1000))
    assert [(u.source_id, u.line_no, u.error and u.error[0]) for u in units] == [
        ("a", 1, None), ("feed.jsonl#L2", 2, "too_large"), ("b", 3, None)]
    assert units[1].raw == long_record.encode("utf-8")[:1000]
    assert f"line 2 is larger than the limit of 1000 bytes ({len(long_record.encode('utf-8'))} bytes)" in units[1].error[1]


def test_one_line_file_over_the_default_limit_is_read_in_bounded_memory(tmp_path):
    path = tmp_path / "one-line.jsonl"
    size = DEFAULT_MAX_UNIT_BYTES + 3 * MIB
    with open(path, "wb") as out:
        out.write(b'{"id": "huge", "text": "')
        for _ in range(size // MIB):
            out.write(b"a" * MIB)
        out.write(b'"}')
    units, peak = read_traced([path])
    [unit] = units
    assert (unit.error[0], len(unit.raw)) == ("too_large", KEPT_PREFIX_BYTES)
    assert peak < MAX_TRACED_PEAK_BYTES


@pytest.mark.parametrize("limit", [0, -5, 1.5, True])
def test_bad_limit_is_refused(tmp_path, limit):
    path = tmp_path / "a.txt"
    path.write_text("текст", encoding="utf-8")
    with pytest.raises(ValueError, match="max_unit_bytes"):
        list(read_units(scan([str(path)]).files, max_unit_bytes=limit))
