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
