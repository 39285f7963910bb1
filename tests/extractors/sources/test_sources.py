"""scan and read_units: folders, globs, gzip, JSONL lines, skipped files and input errors."""
import gzip
import json
import os
from pathlib import Path

import pytest

from newsetl.extractors.sources.discovery import InputNotFound, SourceFile, file_format, scan
from newsetl.extractors.sources.files import read_units

BAD_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bad"
NEWS_TEXT = "date 2026-01-29 Заголовок\n\nВ Москве открылся новый парк.\n"


@pytest.fixture
def corpus(tmp_path):
    """A small input tree: nested folders, gzip, JSONL and files that are not news input."""
    root = tmp_path / "in"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "z.txt").write_text(NEWS_TEXT, encoding="utf-8")
    (root / "a" / "page.HTM").write_text("<p>Новость</p>", encoding="utf-8")
    (root / "a" / "LICENSE").write_text("MIT", encoding="utf-8")
    (root / "b" / "news.jsonl").write_text(
        json.dumps({"id": "n-1", "text": "Первая."}, ensure_ascii=False) + "\n\n"
        + json.dumps({"text": "Без id."}, ensure_ascii=False) + "\n"
        + "{broken\n",
        encoding="utf-8",
    )
    (root / "b" / "deeper" / "old.txt.gz").write_bytes(gzip.compress(NEWS_TEXT.encode("cp1251")))
    (root / "b" / "deeper" / "meta.json").write_text("{}", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text("ref: refs/heads/main", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "name, expected",
    [
        ("a.txt", ("txt", False)),
        ("A.HTML", ("html", False)),
        ("a.htm.gz", ("html", True)),
        ("a.jsonl.GZ", ("jsonl", True)),
        ("a.json", ("unsupported", False)),
        ("LICENSE", ("unsupported", False)),
        ("a.gz", ("unsupported", True)),
        ("a.tar.gz", ("unsupported", True)),
    ],
)
def test_file_format(name, expected):
    assert file_format(name) == expected


def test_folder_is_expanded_recursively_in_sorted_order(corpus):
    result = scan([str(corpus)])
    assert [f.source_id for f in result.files] == ["a/page.HTM", "b/deeper/old.txt.gz", "b/news.jsonl", "z.txt"]
    assert [(f.fmt, f.gz) for f in result.files if f.source_id == "b/deeper/old.txt.gz"] == [("txt", True)]
    assert sorted(Path(p).name for p in result.skipped) == [".git", "LICENSE", "meta.json"]


def test_scan_is_deterministic(corpus):
    assert scan([str(corpus)]) == scan([str(corpus)])


def test_single_file_is_identified_by_its_name(corpus):
    result = scan([str(corpus / "b" / "news.jsonl")])
    assert result.files == [
        SourceFile(path=str(corpus / "b" / "news.jsonl"), root=str(corpus / "b"), source_id="news.jsonl", fmt="jsonl", gz=False)
    ]
    assert result.skipped == []


def test_explicit_unsupported_file_is_kept_for_quarantine(corpus):
    result = scan([str(corpus / "a" / "LICENSE")])
    assert [(f.source_id, f.fmt) for f in result.files] == [("LICENSE", "unsupported")]


def test_glob_expands_relative_to_its_fixed_prefix(corpus):
    result = scan([str(corpus / "**" / "*.txt*")])
    assert [f.source_id for f in result.files] == ["b/deeper/old.txt.gz", "z.txt"]


def test_glob_matches_of_unsupported_kind_are_skipped(corpus):
    result = scan([str(corpus / "a" / "*")])
    assert [f.source_id for f in result.files] == ["page.HTM"]
    assert [Path(p).name for p in result.skipped] == ["LICENSE"]


def test_file_named_twice_is_read_once(corpus):
    result = scan([str(corpus / "z.txt"), str(corpus), str(corpus / "*.txt")])
    assert [f.path for f in result.files].count(str(corpus / "z.txt")) == 1


@pytest.mark.parametrize("missing", ["no/such/file.txt", "no/such/*.jsonl"])
def test_input_not_found_names_the_path(tmp_path, missing):
    path = str(tmp_path / missing)
    with pytest.raises(InputNotFound) as error:
        scan([path])
    message = str(error.value)
    assert path in message and "\n" not in message


def test_units_of_txt_html_gz_and_jsonl(corpus):
    units = list(read_units(scan([str(corpus)]).files))
    by_id = {unit.source_id: unit for unit in units}
    assert set(by_id) == {"z.txt", "a/page.HTM", "n-1", "b/news.jsonl#L3", "b/news.jsonl#L4", "b/deeper/old.txt.gz"}
    assert by_id["z.txt"].raw == NEWS_TEXT.encode("utf-8")
    assert by_id["z.txt"].source_uri == os.path.abspath(corpus / "z.txt")
    assert by_id["b/deeper/old.txt.gz"].raw == NEWS_TEXT.encode("cp1251")
    assert by_id["a/page.HTM"].fmt == "html"
    assert all(unit.error is None for unit in units)


def test_jsonl_lines_keep_bytes_numbers_and_uris(corpus):
    units = list(read_units(scan([str(corpus / "b" / "news.jsonl")]).files))
    uri = os.path.abspath(corpus / "b" / "news.jsonl")
    assert [(u.source_id, u.line_no, u.source_uri) for u in units] == [
        ("n-1", 1, f"{uri}#L1"),
        ("news.jsonl#L3", 3, f"{uri}#L3"),
        ("news.jsonl#L4", 4, f"{uri}#L4"),
    ]
    assert units[0].raw == json.dumps({"id": "n-1", "text": "Первая."}, ensure_ascii=False).encode("utf-8")
    assert units[2].raw == b"{broken"


def test_jsonl_last_line_without_newline_and_crlf(tmp_path):
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(b'{"id": 7, "text": "a"}\r\n{"id": "x", "text": "b"}')
    units = list(read_units(scan([str(path)]).files))
    assert [(u.source_id, u.raw) for u in units] == [("7", b'{"id": 7, "text": "a"}'), ("x", b'{"id": "x", "text": "b"}')]


def test_read_units_streams(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"id": f"d{i}", "text": "т"}) + "\n" for i in range(1000)), encoding="utf-8")
    units = read_units(scan([str(path)]).files)
    assert next(units).source_id == "d0"
    assert next(units).source_id == "d1"


def test_multi_member_gzip_is_read_whole(tmp_path):
    path = tmp_path / "two.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "a", "text": "1"}\n') + gzip.compress(b'{"id": "b", "text": "2"}\n'))
    assert [u.source_id for u in read_units(scan([str(path)]).files)] == ["a", "b"]


def test_truncated_gzip_text_file_becomes_an_error_unit():
    [unit] = list(read_units(scan([str(BAD_FIXTURES / "truncated.txt.gz")]).files))
    assert unit.error[0] == "truncated_gzip"
    assert "truncated" in unit.error[1] and "truncated.txt.gz" in unit.error[1]
    assert unit.raw and "Обрезанный архив".encode("utf-8") in unit.raw


def test_truncated_gzip_jsonl_keeps_the_complete_lines(tmp_path):
    lines = "".join(json.dumps({"id": f"d{i}", "text": f"Новость номер {i}."}, ensure_ascii=False) + "\n" for i in range(200))
    compressed = gzip.compress(lines.encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) * 3 // 4])
    units = list(read_units(scan([str(path)]).files))
    good, broken = units[:-1], units[-1]
    assert good and all(u.error is None for u in good)
    assert [u.source_id for u in good] == [f"d{i}" for i in range(len(good))]
    assert broken.error[0] == "truncated_gzip"
    assert broken.line_no == len(good) + 1


def test_file_that_vanished_after_scan_becomes_an_error_unit(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text("текст", encoding="utf-8")
    files = scan([str(path)]).files
    path.unlink()
    [unit] = list(read_units(files))
    assert unit.error[0] == "unreadable"
    assert "gone.txt" in unit.error[1]


@pytest.mark.parametrize(
    "line, source_id",
    [
        ('{"id": "ok-1", "text": "Новость."}'.encode("utf-8"), "ok-1"),
        ('{"id": "cp-1", "text": "Новость из старого архива."}'.encode("cp1251"), "cp-1"),
        ('{"id": "koi-1", "text": "Новость из старого архива."}'.encode("koi8-r"), "koi-1"),
        ('{"id": "stray-1", "text": "В Москве открылся новый парк культуры \xff и отдыха."}'.encode("utf-8")
         .replace("\xff".encode("utf-8"), b"\xff"), "stray-1"),
        (b'{"id": "latin-1", "text": "caf\xe9 cr\xe8me"}', "latin-1"),
        (b'{"text": "\xcd\xee\xe2\xee\xf1\xf2\xfc"}', "lines.jsonl#L1"),
    ],
    ids=["utf-8", "cp1251", "koi8-r", "utf-8-with-stray-byte", "latin-1", "no-id"],
)
def test_jsonl_record_id_is_read_from_lines_in_any_encoding(tmp_path, line, source_id):
    path = tmp_path / "lines.jsonl"
    path.write_bytes(line + b"\n")
    [unit] = list(read_units(scan([str(path)]).files))
    assert (unit.source_id, unit.raw) == (source_id, line)


def gzip_cut(data: bytes) -> bytes:
    """A gzip stream of ``data`` missing its last quarter."""
    compressed = gzip.compress(data)
    return compressed[: len(compressed) * 3 // 4]


@pytest.mark.parametrize(
    "content, reason_code",
    [
        ("Это обычный текст, а не gzip.".encode("utf-8"), "corrupt_gzip"),
        (b"\x1f\x8b\x08\x00" + b"\xff" * 40, "corrupt_gzip"),
        (gzip_cut(("Обрезанный архив. " * 200).encode("utf-8")), "truncated_gzip"),
        (b"\x1f", "truncated_gzip"),
    ],
    ids=["plain-text", "corrupt-deflate-data", "cut-stream", "cut-header"],
)
def test_broken_gzip_reason(tmp_path, content, reason_code):
    path = tmp_path / "x.txt.gz"
    path.write_bytes(content)
    [unit] = list(read_units(scan([str(path)]).files))
    assert unit.error[0] == reason_code
    assert "x.txt.gz" in unit.error[1]
    assert unit.raw


def test_not_gzip_jsonl_gz_is_one_corrupt_unit(tmp_path):
    path = tmp_path / "x.jsonl.gz"
    path.write_bytes(b'{"id": "a", "text": "not compressed"}\n')
    [unit] = list(read_units(scan([str(path)]).files))
    assert (unit.source_id, unit.error[0]) == ("x.jsonl.gz#L1", "corrupt_gzip")


@pytest.mark.parametrize(
    "content, raw",
    [
        (b"", b""),
        (gzip.compress(NEWS_TEXT.encode("utf-8")) + b"\x00" * 512, NEWS_TEXT.encode("utf-8")),
    ],
    ids=["empty-file", "zero-padding-after-stream"],
)
def test_gzip_without_damage_has_no_error(tmp_path, content, raw):
    path = tmp_path / "x.txt.gz"
    path.write_bytes(content)
    [unit] = list(read_units(scan([str(path)]).files))
    assert (unit.error, unit.raw) == (None, raw)
