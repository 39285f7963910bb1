"""The Python entry points: ``newsetl.connect`` and a side-effect-free, fast ``import newsetl``."""
from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

import newsetl
from newsetl.warehouse.db import WarehouseError


def test_connect_is_read_only_with_search_ready(sample_warehouse):
    data_dir, warehouse = sample_warehouse
    con = newsetl.connect(data_dir=data_dir)
    try:
        hits = con.execute("SELECT title FROM search_documents('послужного списка', NULL, NULL, NULL, NULL, NULL)").fetchall()
        assert any("послужной список" in (title or "") for (title,) in hits)
        assert con.execute("SELECT count(*) FROM v_entities").fetchone()[0] > 0
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM documents")
    finally:
        con.close()


def test_connect_names_the_warehouse_explicitly_too(sample_warehouse):
    _, warehouse = sample_warehouse
    with newsetl.connect(warehouse) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 6


def test_connect_read_only_to_a_missing_warehouse_says_how_to_make_one(tmp_path):
    with pytest.raises(WarehouseError, match="no warehouse at .*newsetl.ingest"):
        newsetl.connect(tmp_path / "none.duckdb")


def test_connect_writable_creates_the_schema(tmp_path):
    con = newsetl.connect(tmp_path / "new.duckdb", read_only=False)
    try:
        assert con.execute("SELECT count(*) FROM v_documents").fetchone()[0] == 0
    finally:
        con.close()


def test_ingest_rejects_unknown_options():
    with pytest.raises(TypeError, match="unknown ingest option"):
        newsetl.ingest(["x"], wrokers=2)


def test_import_changes_nothing_process_wide_and_loads_nothing_heavy():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    code = ("import os, sys, newsetl; "
            "print([v for v in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS') if v in os.environ]); "
            "print(sorted(m for m in ('duckdb', 'prefect', 'great_expectations', 'pandas', 'numpy') if m in sys.modules)); "
            "print(newsetl.__version__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["[]", "[]"]
    assert done.stdout.splitlines()[2] != ""
