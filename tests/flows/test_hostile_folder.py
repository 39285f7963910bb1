"""Bounded resources (issue 12): a folder of hostile files ingested by the real CLI keeps the whole
process tree's memory and the warehouse's growth bounded, accounts for every unit exactly once, and
still loads the 5 MB text and the samples with their mentions."""
from __future__ import annotations

import gzip
import itertools
import shutil

import duckdb
import pytest

from harness import ROOT, factru_records, ingest_args, kill_all, leftovers, run_cli

pytestmark = pytest.mark.slow

MB = 1_000_000
PEAK_RSS_LIMIT = 2.5e9
# Issue 12's bound. Measured 44 MB with 16 KiB blocks (the 5 MB text, its raw bytes, its mentions
# and index entries, and the free space its staging left in the file); 61 MB with DuckDB's default
# 256 KiB blocks, where every table and index with a row took at least a quarter of a megabyte.
GROWTH_LIMIT = 60 * MB
RUN_TIMEOUT = 900
SAMPLE_FILES = 6


def paragraphs() -> list[str]:
    """Every paragraph of the factRuEval dev texts (real Russian news prose)."""
    return [p.strip() for r in factru_records(200) for p in r["text"].split("\n") if p.strip()]


def write_text(path, size: int, separator: str) -> None:
    """At least ``size`` bytes of real paragraphs joined by ``separator``, written as it goes."""
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        for paragraph in itertools.cycle(paragraphs()):
            chunk = paragraph + separator
            handle.write(chunk)
            written += len(chunk.encode("utf-8"))
            if written >= size:
                return


def write_zeros_gz(path, size: int) -> None:
    """A gzip file expanding to ``size`` zero bytes, compressed a mebibyte at a time."""
    block = bytes(1 << 20)
    with gzip.open(path, "wb", compresslevel=6) as handle:
        for _ in range(size // len(block)):
            handle.write(block)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The hostile folder: 5 MB text, 50 MB text, 20 MB one-line file, 1 GB gzip bomb, the samples."""
    root = tmp_path_factory.mktemp("hostile") / "inbox"
    root.mkdir()
    write_text(root / "big5.txt", 5 * MB, "\n\n")
    write_text(root / "big50.txt", 50 * MB, "\n\n")
    write_text(root / "oneline20.txt", 20 * MB, " ")
    write_zeros_gz(root / "zeros.txt.gz", 1 << 30)
    shutil.copytree(ROOT / "samples", root / "samples")
    return root


def empty_warehouse(data_dir) -> int:
    """Create the warehouse with its schema only; returns its size in bytes."""
    from newsetl.warehouse.db import writer

    warehouse = data_dir / "newsetl.duckdb"
    with writer(warehouse):
        pass
    return warehouse_bytes(warehouse)


def warehouse_bytes(warehouse) -> int:
    """The warehouse file and its write-ahead log, in bytes."""
    wal = warehouse.with_name(warehouse.name + ".wal")
    return warehouse.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


@pytest.fixture(scope="module")
def ingested(folder, tmp_path_factory):
    """The CLI's run over the folder: (run, warehouse growth in bytes, read-only connection)."""
    data_dir = tmp_path_factory.mktemp("hostile-data")
    before = empty_warehouse(data_dir)
    run = run_cli(ingest_args([folder], data_dir), RUN_TIMEOUT, PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="INFO")
    kill_all(leftovers(run, data_dir, grace=5))
    print("\n".join(line for line in run.stderr.splitlines() if "Finished in state" in line or "batch " in line))
    print(f"\nhostile folder: {run.seconds:.0f} s, peak RSS of the process tree {run.peak_rss / 1e9:.2f} GB")
    assert run.returncode == 0, run.stderr[-3000:]
    growth = warehouse_bytes(data_dir / "newsetl.duckdb") - before
    print(f"warehouse growth {growth / MB:.1f} MB")
    con = duckdb.connect(str(data_dir / "newsetl.duckdb"), read_only=True)
    yield run, growth, con
    con.close()


def test_peak_memory_of_the_whole_process_tree_is_bounded(ingested):
    run, _, _ = ingested
    assert run.peak_rss < PEAK_RSS_LIMIT, f"peak RSS {run.peak_rss / 1e9:.2f} GB"


def test_warehouse_growth_is_bounded(ingested):
    _, growth, _ = ingested
    assert growth < GROWTH_LIMIT, f"the warehouse grew by {growth / MB:.1f} MB"


def test_every_unit_has_exactly_one_outcome(ingested):
    _, _, con = ingested
    rows = con.execute("SELECT source_id, outcome, reason_code FROM run_inputs").fetchall()
    by_id = {source_id: (outcome, reason) for source_id, outcome, reason in rows}
    assert len(rows) == len(by_id) == 4 + SAMPLE_FILES
    assert by_id["big5.txt"] == ("new", None)
    assert by_id["big50.txt"] == ("quarantined", "too_large")
    assert by_id["oneline20.txt"] == ("quarantined", "too_large")
    assert by_id["zeros.txt.gz"] == ("quarantined", "decompression_bomb")
    assert sorted(o for s, (o, _) in by_id.items() if s.startswith("samples/")) == ["new"] * SAMPLE_FILES
    n_seen, balanced = con.execute("SELECT n_seen, counts_balance FROM v_runs").fetchone()
    assert (n_seen, balanced) == (4 + SAMPLE_FILES, True)


def test_rejected_units_keep_only_their_first_bytes(ingested):
    _, _, con = ingested
    kept = con.execute("""SELECT q.source_id, r.n_bytes FROM quarantine q JOIN raw_inputs r USING (raw_hash)
                          ORDER BY q.source_id""").fetchall()
    assert [s for s, _ in kept] == ["big50.txt", "oneline20.txt", "zeros.txt.gz"]
    assert all(0 < n <= 64 * 1024 for _, n in kept), kept


def test_the_5mb_text_is_loaded_with_exact_mentions_throughout(ingested):
    _, _, con = ingested
    n_chars, n_mentions, wrong, last_start = con.execute(
        """SELECT any_value(d.n_chars), count(*),
                  count(*) FILTER (WHERE substring(d.text, m.char_start + 1, m.char_end - m.char_start) <> m.surface),
                  max(m.char_start)
           FROM documents d JOIN mentions m USING (doc_id) WHERE d.source_id = 'big5.txt'""").fetchone()
    assert n_chars > 2_500_000
    assert n_mentions > 10_000
    assert wrong == 0
    assert last_start > 0.99 * n_chars


def test_the_samples_are_loaded_with_their_mentions(ingested):
    """Each sample has exactly the mentions its text gives on its own (one sample page names no
    person, organisation or place, so a count of zero can be right)."""
    from newsetl.extractors.entities.analyze import analyze

    _, _, con = ingested
    rows = con.execute("""SELECT d.source_id, any_value(d.text), count(m.doc_id) FROM documents d
                          LEFT JOIN mentions m USING (doc_id)
                          WHERE d.source_id LIKE 'samples/%' GROUP BY d.source_id""").fetchall()
    assert len(rows) == SAMPLE_FILES
    assert {source: n for source, _, n in rows} == {source: len(analyze(text)[0]) for source, text, _ in rows}
    assert sum(n for _, _, n in rows) > 100
