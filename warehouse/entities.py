"""Corpus-wide entity resolution in the warehouse: the live mention keys and acronym definitions
it resolves, and the staged key map, aliases and entity table it produces."""
from __future__ import annotations

import duckdb
import pandas as pd

from newsetl.extractors.entities.corpus import resolve_frames
from newsetl.warehouse.db import execute_script, insert_frame, read_dml


def live_keys(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every mention key of the warehouse as it will be after publishing (type, key, normal)."""
    return con.execute(read_dml("live_mention_keys")).df()


def live_acronyms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every acronym definition of the warehouse as it will be after publishing."""
    return con.execute(read_dml("live_acronyms")).df()


def apply_entity_resolution(con: duckdb.DuckDBPyConnection, key_map: pd.DataFrame, aliases: pd.DataFrame) -> None:
    """Stage the run's resolution (key -> canonical key -> entity id), point staged rows at it
    and stage the rebuilt entity table."""
    for table in ("stg_key_map", "stg_entity_aliases", "stg_entities"):
        con.execute(f"DELETE FROM {table}")
    insert_frame(con, "stg_key_map", key_map)
    insert_frame(con, "stg_entity_aliases", aliases)
    for table in ("stg_mentions", "stg_acronyms"):
        con.execute(f"UPDATE {table} SET entity_id = k.entity_id FROM stg_key_map k WHERE {table}.key = k.key")
    execute_script(con, read_dml("stage_entities"))


def staged_entities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The rebuilt entity table staged for publishing."""
    return con.execute("SELECT * FROM stg_entities").df()


def resolve_entities(con: duckdb.DuckDBPyConnection) -> int:
    """Resolve every live mention key to an entity (corpus-wide), stage the entity table; returns
    how many keys were resolved."""
    key_map, aliases = resolve_frames(live_keys(con), live_acronyms(con))
    apply_entity_resolution(con, key_map, aliases)
    return len(key_map)
