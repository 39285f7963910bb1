"""Inputs you can't trust (issue 12): file names that are not UTF-8 or hold a newline, empty files
of every format, a symlink leading out of the folder, a ``javascript:`` URL. The run succeeds and
accounts for every unit exactly once."""
from __future__ import annotations

import gzip
import json
import os
import shutil

import duckdb
import pytest

from harness import ROOT, ingest_args, kill_all, leftovers, run_cli

SEED = ROOT / "samples" / "seeds" / "004_84ecff8064585085.txt"
RUN_TIMEOUT = 300
JS_RECORD = {"id": "js-1", "url": "javascript:alert(document.cookie)", "title": "Заметка",
             "text": "Министр иностранных дел России Сергей Лавров встретился с коллегами в Москве."}
# file name → content; the symlink is added separately. One unit each.
FILES = {
    b"bad\xffname.txt": SEED.read_bytes(),
    b"new\nline.txt": "Президент Казахстана Касым-Жомарт Токаев прибыл в Астану.\n".encode(),
    b"empty.txt": b"",
    b"empty.html": b"",
    b"empty.jsonl": b"",
    b"blank.jsonl": b"  \n\n \t\n",
    b"empty.txt.gz": gzip.compress(b""),
    b"zero.html.gz": b"",
    b"empty.warc": b"",
    b"js.jsonl": (json.dumps(JS_RECORD, ensure_ascii=False) + "\n").encode(),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The hostile folder, names made from bytes."""
    root = tmp_path_factory.mktemp("untrusted") / "inbox"
    root.mkdir()
    for name, content in FILES.items():
        with open(os.path.join(os.fsencode(root), name), "wb") as handle:
            handle.write(content)
    os.symlink("/etc/passwd", root / "passwd.txt")
    return root


def ingest(folder, data_dir, *options):
    run = run_cli(ingest_args([folder], data_dir, "--workers", "1", *options), RUN_TIMEOUT)
    kill_all(leftovers(run, data_dir, grace=5))
    assert run.returncode == 0, run.stderr[-3000:]
    con = duckdb.connect(str(data_dir / "newsetl.duckdb"), read_only=True)
    run_id = con.execute("SELECT run_id FROM ingest_runs ORDER BY started_at DESC LIMIT 1").fetchone()[0]
    return con, run_id


@pytest.fixture(scope="module")
def plain(folder, tmp_path_factory):
    """A run without --follow-symlinks: (connection, run id)."""
    con, run_id = ingest(folder, tmp_path_factory.mktemp("plain"))
    yield con, run_id
    con.close()


@pytest.fixture(scope="module")
def following(folder, tmp_path_factory):
    """A run with --follow-symlinks."""
    con, run_id = ingest(folder, tmp_path_factory.mktemp("following"), "--follow-symlinks")
    yield con, run_id
    con.close()


def outcomes(con, run_id):
    return con.execute("SELECT source_id, outcome, reason_code FROM run_inputs WHERE run_id = ? ORDER BY source_id",
                       [run_id]).fetchall()


def test_every_unit_has_exactly_one_outcome(plain):
    con, run_id = plain
    rows = outcomes(con, run_id)
    ids = [source_id for source_id, _, _ in rows]
    assert len(ids) == len(set(ids)) == len(FILES)
    n_files, n_seen, balanced = con.execute(
        "SELECT r.n_files, v.n_seen, v.counts_balance FROM v_runs v JOIN ingest_runs r USING (run_id) WHERE run_id = ?",
        [run_id]).fetchone()
    assert (n_files, n_seen, balanced) == (len(FILES), len(FILES), True)


def test_empty_files_of_every_format_are_quarantined(plain):
    con, run_id = plain
    by_id = {source_id: (outcome, reason) for source_id, outcome, reason in outcomes(con, run_id)}
    for name in ("empty.txt", "empty.html", "empty.jsonl", "blank.jsonl", "empty.txt.gz", "empty.warc"):
        assert by_id[name][0] == "quarantined", (name, by_id[name])
        assert by_id[name][1] == "empty", (name, by_id[name])
    assert by_id["zero.html.gz"][0] == "quarantined"
    assert by_id["zero.html.gz"][1] in ("empty", "corrupt_gzip", "truncated_gzip")


def test_names_that_are_not_utf8_or_hold_a_newline_are_loaded_as_valid_text(plain):
    con, run_id = plain
    rows = dict(con.execute("SELECT source_id, text FROM documents").fetchall())
    assert "ОДКБ" in rows["bad\\xffname.txt"] and len(rows["bad\\xffname.txt"]) > 500
    assert "Токаев" in rows["new\\x0aline.txt"]
    uris = [uri for (uri,) in con.execute("SELECT source_uri FROM run_inputs WHERE run_id = ?", [run_id]).fetchall()]
    assert all("\n" not in uri and uri.isprintable() for uri in uris)


def test_symlink_out_of_the_folder_is_skipped_and_counted(plain):
    con, run_id = plain
    assert con.execute("SELECT n_skipped_symlinks FROM ingest_runs WHERE run_id = ?", [run_id]).fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM run_inputs WHERE source_id LIKE '%passwd%'").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM documents WHERE text LIKE '%root:%'").fetchone()[0] == 0


def test_follow_symlinks_reads_it(following):
    con, run_id = following
    assert con.execute("SELECT n_skipped_symlinks FROM ingest_runs WHERE run_id = ?", [run_id]).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM run_inputs WHERE run_id = ? AND source_id = 'passwd.txt'",
                       [run_id]).fetchone()[0] == 1


def test_javascript_url_is_stored_null_with_a_warning(plain):
    con, _ = plain
    url, domain, extra = con.execute("SELECT url, source_domain, extra FROM documents WHERE source_id = 'js-1'").fetchone()
    assert url is None and domain is None
    warnings = json.loads(extra)["warnings"]
    assert any("javascript" in w for w in warnings), warnings
    assert not any("cookie" in w for w in warnings)
