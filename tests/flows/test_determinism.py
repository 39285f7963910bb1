"""Deterministic builds (issue 12): two clean builds of the same input are identical table by table,
entities' canonical names and entity keys included, even when the units reach the worker
processes in different batches (so a worker's earlier work cannot leak into a document's rows)."""
from __future__ import annotations

import shutil

import pytest

from harness import ROOT, differences, factru_records, ingest_args, kill_all, leftovers, run_cli, snapshot, write_jsonl

pytestmark = pytest.mark.slow

RUN_TIMEOUT = 600


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Two builds of samples + 30 factRuEval texts: one batch, and batches of 7."""
    root = tmp_path_factory.mktemp("determinism")
    inbox = root / "inbox"
    shutil.copytree(ROOT / "samples", inbox / "samples")
    write_jsonl(inbox / "factru.jsonl", factru_records(30))
    tables = []
    for name, batch_size in (("one-batch", "200"), ("batches-of-7", "7")):
        data_dir = root / name
        run = run_cli(ingest_args([inbox], data_dir, "--batch-size", batch_size, "--workers", "2"), RUN_TIMEOUT)
        kill_all(leftovers(run, data_dir, grace=5))
        assert run.returncode == 0, run.stderr[-3000:]
        tables.append(snapshot(data_dir / "newsetl.duckdb"))
    return tables


def test_entities_and_keys_are_identical(builds):
    first, second = builds
    assert len(first["documents"]) == 36
    assert first["entities"] and first["entity_keys"]
    assert first["entities"] == second["entities"]
    assert first["entity_keys"] == second["entity_keys"]
    assert first["mentions"] == second["mentions"]


def test_every_table_is_identical(builds):
    first, second = builds
    assert differences(first, second) == {}
