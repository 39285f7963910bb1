"""Untrusted trees: odd file names, empty files of every format, symlinks, special files, accounting."""
import gzip
import json
import os
from collections import Counter

import pytest

from newsetl.extractors.documents.build import build_document
from newsetl.extractors.sources.accounting import ReadStats
from newsetl.extractors.sources.discovery import scan
from newsetl.extractors.sources.files import read_units
from newsetl.extractors.sources.names import safe_text
from warc_files import article, standard_records, warc_bytes

NEWS = "date 2026-01-29 Заголовок\n\nВ Москве открылся новый парк.\n".encode("utf-8")


@pytest.mark.parametrize(
    "raw_name, source_id",
    [
        (b"bad\xffname.txt", "bad\\xffname.txt"),
        (b"line\nbreak.txt", "line\\x0abreak.txt"),
        (b"tab\tand\x07bell.txt", "tab\\x09and\\x07bell.txt"),
        ("новость.txt".encode("utf-8"), "новость.txt"),
        ("новость.txt".encode("cp1251"), "\\xed\\xee\\xe2\\xee\\xf1\\xf2\\xfc.txt"),
    ],
    ids=["invalid-utf8", "newline", "controls", "utf8-cyrillic", "cp1251-name"],
)
def test_any_file_name_gives_valid_text_ids(tmp_path, raw_name, source_id):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    with open(os.path.join(folder, raw_name), "wb") as out:
        out.write(NEWS)
    for named in (os.fsdecode(folder), os.fsdecode(os.path.join(folder, raw_name))):
        [unit] = list(read_units(scan([named]).files))
        assert unit.source_id == source_id
        assert unit.source_uri.endswith("/in/" + source_id)
        unit.source_uri.encode("utf-8")  # valid text: no surrogates left
        document = build_document(unit)
        assert (document.source_id, document.text) == (source_id, "В Москве открылся новый парк.")


def test_safe_text_is_deterministic_and_leaves_ordinary_names_alone():
    assert safe_text("a/b c-д.txt") == "a/b c-д.txt"
    assert safe_text("x\udcff\ud800\x7f") == safe_text("x\udcff\ud800\x7f") == "x\\xff\\ud800\\x7f"


def test_jsonl_id_with_a_lone_surrogate_is_valid_text(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "a\\ud800b", "text": "Новость."}\n', encoding="utf-8")
    [unit] = list(read_units(scan([str(path)]).files))
    assert unit.source_id == "a\\ud800b"


@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.jsonl", "a.warc"])
@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n\n"], ids=["empty", "whitespace"])
def test_empty_file_of_every_format_is_exactly_one_empty_reject(tmp_path, name, content):
    for gz in (False, True):
        path = tmp_path / (name + ".gz" if gz else name)
        path.write_bytes(gzip.compress(content) if gz else content)
        units = list(read_units(scan([str(path)]).files))
        assert len(units) == 1
        reject = build_document(units[0])
        assert (reject.source_id, reject.reason_code) == (path.name, "empty")


@pytest.fixture
def linked_tree(tmp_path):
    """in/ with a file, links to a file and a folder outside, a link inside, a folder loop and a FIFO."""
    inside, outside = tmp_path / "in", tmp_path / "outside"
    (inside / "sub").mkdir(parents=True)
    (outside / "folder").mkdir(parents=True)
    (inside / "a.txt").write_bytes(NEWS)
    (outside / "secret.txt").write_text("root:x:0:0", encoding="utf-8")
    (outside / "folder" / "b.txt").write_bytes(NEWS)
    (inside / "to-secret.txt").symlink_to(outside / "secret.txt")
    (inside / "to-a.txt").symlink_to(inside / "a.txt")
    (inside / "to-folder").symlink_to(outside / "folder")
    (inside / "sub" / "loop").symlink_to(inside)
    (inside / "dangling.txt").symlink_to(outside / "missing.txt")
    os.mkfifo(inside / "pipe.txt")
    return inside


def test_symlinks_leading_outside_are_skipped_and_counted(linked_tree):
    found = scan([str(linked_tree)])
    assert [f.source_id for f in found.files] == ["a.txt", "to-a.txt"]
    assert sorted(os.path.basename(p) for p in found.skipped_symlinks) == ["dangling.txt", "to-folder", "to-secret.txt"]
    assert set(found.skipped_symlinks) < set(found.skipped)
    assert any(p.endswith("pipe.txt") for p in found.skipped)


def test_follow_symlinks_reads_them_once_without_looping(linked_tree):
    found = scan([str(linked_tree)], follow_symlinks=True)
    assert [f.source_id for f in found.files] == ["a.txt", "dangling.txt", "to-a.txt", "to-folder/b.txt",
                                                  "to-secret.txt"]
    assert found.skipped_symlinks == []


def test_symlink_named_explicitly_is_read(linked_tree):
    found = scan([str(linked_tree / "to-secret.txt")])
    assert [f.source_id for f in found.files] == ["to-secret.txt"]


def test_glob_does_not_escape_through_symlinks(linked_tree):
    found = scan([str(linked_tree / "*.txt")])
    assert [f.source_id for f in found.files] == ["a.txt", "to-a.txt"]
    assert sorted(os.path.basename(p) for p in found.skipped_symlinks) == ["dangling.txt", "to-secret.txt"]


def test_every_file_gives_units_and_stats_count_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(NEWS)
    (folder / "b.jsonl").write_text("\n".join(json.dumps({"id": f"r{i}", "text": "Текст."}) for i in range(3)),
                                    encoding="utf-8")
    (folder / "c.jsonl").write_text("\n \n", encoding="utf-8")
    (folder / "d.warc").write_bytes(warc_bytes(standard_records(), gz=False))
    (folder / "e.warc.gz").write_bytes(warc_bytes(standard_records()[:2], gz=True))
    (folder / "f.html.gz").write_bytes(gzip.compress(article("Страница")))
    stats = ReadStats()
    units = list(read_units(scan([str(folder)]).files, stats=stats))
    per_file = Counter(os.path.basename(unit.source_uri.split("#")[0]) for unit in units)
    assert per_file == {"a.txt": 1, "b.jsonl": 3, "c.jsonl": 1, "d.warc": 2, "f.html.gz": 1}
    assert (stats.files, stats.units, len(units)) == (6, 8, 8)
    assert stats.n_skipped_warc_records == 5 + 2 and stats.balanced()
