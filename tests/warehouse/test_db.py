"""Warehouse files: new ones are created with small blocks, existing ones keep theirs (the growth
this saves is measured by tests/flows/test_hostile_folder.py)."""
from __future__ import annotations

import duckdb

from newsetl.warehouse.db import WAREHOUSE_BLOCK_SIZE, reader, writer


def block_size(con: duckdb.DuckDBPyConnection) -> int:
    """The block size of the connection's database file."""
    return con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]


def test_a_new_warehouse_is_created_with_small_blocks(tmp_path):
    warehouse = tmp_path / "newsetl.duckdb"
    with writer(warehouse) as con:
        assert block_size(con) == WAREHOUSE_BLOCK_SIZE == 16 * 1024
    with reader(warehouse) as con:
        assert block_size(con) == 16 * 1024


def test_an_existing_warehouse_keeps_its_block_size(tmp_path):
    warehouse = tmp_path / "old.duckdb"
    duckdb.connect(str(warehouse), config={"default_block_size": "262144"}).close()
    with writer(warehouse) as con:
        assert block_size(con) == 262144
    with reader(warehouse) as con:
        assert block_size(con) == 262144


def cached_mb(con: duckdb.DuckDBPyConnection) -> float:
    """Memory DuckDB holds for the connection's database (mostly blocks cached by scans), in MB."""
    return con.execute("SELECT sum(memory_usage_bytes) / 2 ** 20 FROM duckdb_memory()").fetchone()[0]


def test_connections_cache_no_more_than_their_memory_limit(tmp_path, monkeypatch):
    """Scans cache the blocks they read: without a bound, memory would grow with the warehouse."""
    warehouse = tmp_path / "newsetl.duckdb"
    with writer(warehouse) as con:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "953.6 MiB"  # 1GB, the default
        con.execute("CREATE TABLE big AS SELECT i, repeat(md5(i::VARCHAR), 4) AS s FROM range(300000) t(i)")
    scan = "SELECT max(s), count(DISTINCT i) FROM big"
    with reader(warehouse) as con:
        con.execute(scan).fetchall()
        assert cached_mb(con) > 24
    monkeypatch.setenv("NEWSETL_DUCKDB_MEMORY", "16MB")
    with reader(warehouse) as con:
        assert con.execute(scan).fetchone()[1] == 300000
        assert cached_mb(con) <= 16
