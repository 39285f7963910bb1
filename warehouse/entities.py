"""Corpus-wide entity resolution in the warehouse, at a cost in proportion to what the run changed.

A run touches the keys of its staged mentions and acronym definitions and those of the documents it
replaces. :func:`resolve_entities` re-resolves them and every key whose resolution depends on them
(:mod:`newsetl.extractors.entities.corpus`), recomputes the entities of those keys, and stages the
delta that ``publish_entities.sql`` applies:

- ``stg_resolved_keys``: the keys re-resolved (``touched``: the run changes their mentions or
  definitions; ``repoint``: their published mentions move to another entity); ``stg_key_map`` and
  ``stg_entity_aliases``: their new rows of ``entity_keys`` and ``entity_aliases`` (a key no
  longer live has none); ``stg_key_normals``: the touched keys' new name counts;
- ``stg_entity_scope``: the entities recomputed; ``stg_entities``: those of them that still have a
  mention (publish deletes the others). An entity is recomputed from its published row, the name
  counts of its keys and the run's changes (``stage_entity_deltas.sql``), or, when a key with
  published mentions joins or leaves it or a replaced document held its first or last date, from
  every mention of its keys (``full_recompute``, ``stage_entities.sql``).

The lookups of the ``entity_index`` schema (person surnames, acronym short-form keys, name counts)
let a run find what it affects without reading the corpus. The result equals a rebuild of the
whole corpus (:func:`rebuild_entities`), which a warehouse whose lookups are not complete yet (the
first run, or a warehouse built before them) gets instead.
"""
from __future__ import annotations

import json

import duckdb
import pandas as pd

from newsetl.extractors.entities.corpus import keys_to_reresolve, resolve_frames, resolve_scope
from newsetl.extractors.entities.resolve import acronym_key, parse_person_key
from newsetl.warehouse.db import execute_script, insert_frame, read_dml, transaction

# What resolve_entities stages (it empties them first).
RESOLUTION_STAGING = ("stg_key_map", "stg_entity_aliases", "stg_entities", "stg_resolved_keys", "stg_entity_scope",
                      "stg_key_normals")
LOOKUPS_COMPLETE = "lookups_complete"  # the name publish_entities.sql sets


def live_keys(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every mention key of the warehouse as it will be after publishing (type, key, normal, n)."""
    return con.execute(read_dml("live_mention_keys")).df()


def live_acronyms(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every acronym definition of the warehouse as it will be after publishing."""
    return con.execute(read_dml("live_acronyms")).df()


def staged_entities(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The entities the run recomputed, as they will be published (new and changed ones)."""
    return con.execute("SELECT * FROM stg_entities").df()


def resolve_entities(con: duckdb.DuckDBPyConnection) -> int:
    """Re-resolve the keys the staged run can affect, corpus-wide, and stage the entities they
    change, in one transaction; returns how many keys were re-resolved. Safe to call again after
    the audit removed staged rows: it starts from the published warehouse and the staging as they
    are. A warehouse whose lookups are not complete yet is rebuilt instead."""
    if not lookups_complete(con):
        return rebuild_entities(con)
    with transaction(con):
        return stage_delta(con)


def rebuild_entities(con: duckdb.DuckDBPyConnection) -> int:
    """Resolve every live key of the corpus and recompute every entity from its mentions, in one
    transaction (the reference the delta must equal; also how a warehouse without complete
    lookups starts). Returns how many keys were resolved."""
    with transaction(con):
        return stage_rebuild(con)


def stage_delta(con: duckdb.DuckDBPyConnection) -> int:
    """Stage the re-resolution of the keys the run can affect and the entities they change."""
    clear_resolution(con)
    add_lookups(con, ("stg_mentions", "stg_acronyms"))
    for script in ("replaced_mentions", "touched_keys", "stage_key_normals"):
        execute_script(con, read_dml(script))
    touched = con.execute(read_dml("touched_key_liveness")).df()
    look = WarehouseLookups(con, touched)
    short_keys = {k for (k,) in con.execute(read_dml("touched_acronym_shorts")).fetchall()}
    scope = keys_to_reresolve(set(touched["key"]), short_keys, look)
    key_map, aliases = resolve_scope(scope, look)
    others = sorted(scope - look.touched)
    insert_frame(con, "stg_resolved_keys", pd.DataFrame({"key": others, "touched": False}, columns=["key", "touched"]))
    insert_frame(con, "stg_key_map", key_map)
    insert_frame(con, "stg_entity_aliases", aliases)
    stage_entity_rows(con, rebuild=False)
    return note_resolution(con, "delta", len(scope), len(touched))


def stage_rebuild(con: duckdb.DuckDBPyConnection) -> int:
    """Stage the resolution of every live key and every entity."""
    clear_resolution(con)
    add_lookups(con, ("stg_mentions", "stg_acronyms", "mentions", "acronyms"))
    key_map, aliases = resolve_frames(live_keys(con), live_acronyms(con))
    insert_frame(con, "stg_key_map", key_map)
    insert_frame(con, "stg_entity_aliases", aliases)
    for script in ("rebuild_resolved_keys", "rebuild_key_normals"):
        execute_script(con, read_dml(script))
    stage_entity_rows(con, rebuild=True)
    n_keys = con.execute("SELECT count(*) FROM stg_resolved_keys").fetchone()[0]
    return note_resolution(con, "rebuild", n_keys, len(key_map))


# --- staging ------------------------------------------------------------------------------------


def clear_resolution(con: duckdb.DuckDBPyConnection) -> None:
    """Empty what resolution stages."""
    for table in RESOLUTION_STAGING:
        con.execute(f"DELETE FROM {table}")


def stage_entity_rows(con: duckdb.DuckDBPyConnection, rebuild: bool) -> None:
    """With the re-resolved keys' new rows staged: point staged rows at their entities and
    recompute the entities concerned, from their published rows and the run's changes where that
    is exact, else (and in a rebuild) from every mention of their keys."""
    execute_script(con, read_dml("entity_scope"), {"rebuild": rebuild})
    if not rebuild:
        execute_script(con, read_dml("entity_changes"))
        execute_script(con, read_dml("stage_entity_deltas"))
    if con.execute("SELECT count(*) FROM stg_entity_scope WHERE full_recompute").fetchone()[0]:
        execute_script(con, read_dml("stage_entities"))
    for table in ("stg_mentions", "stg_acronyms"):
        con.execute(f"UPDATE {table} SET entity_id = k.entity_id FROM stg_key_map k WHERE {table}.key = k.key")


def note_resolution(con: duckdb.DuckDBPyConnection, mode: str, n_keys: int, n_touched: int) -> int:
    """Record how much the latest resolution did (``entity_index.state``); returns ``n_keys``."""
    n_entities, n_full = con.execute(
        "SELECT count(*), count(*) FILTER (full_recompute) FROM stg_entity_scope").fetchone()
    set_state(con, "last_resolution", json.dumps(
        {"mode": mode, "keys_touched": n_touched, "keys_resolved": n_keys, "entities_recomputed": n_entities,
         "entities_from_mentions": n_full}))
    return n_keys


def last_resolution(con: duckdb.DuckDBPyConnection) -> dict | None:
    """What the latest resolution did: mode (delta or rebuild), keys touched, keys re-resolved,
    entities recomputed and how many of those from every mention of their keys; None before the
    first."""
    row = con.execute("SELECT value FROM entity_index.state WHERE name = 'last_resolution'").fetchone()
    return json.loads(row[0]) if row else None


# --- lookups ------------------------------------------------------------------------------------


def lookups_complete(con: duckdb.DuckDBPyConnection) -> bool:
    """Do the lookups of ``entity_index`` cover every published key, and were the published entity
    tables made by this resolution? (Set by ``publish_entities.sql``; not before the first run.)"""
    row = con.execute("SELECT value FROM entity_index.state WHERE name = ?", [LOOKUPS_COMPLETE]).fetchone()
    return row is not None


def set_state(con: duckdb.DuckDBPyConnection, name: str, value: str) -> None:
    """Store one ``entity_index.state`` value."""
    con.execute("INSERT OR REPLACE INTO entity_index.state VALUES (?, ?)", [name, value])


def add_lookups(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Add the person surnames and acronym short-form keys of ``tables``' rows that the lookups lack."""
    for table in tables:
        persons = con.execute(
            f"SELECT DISTINCT key FROM {table} WHERE key LIKE 'PER:%' "
            "AND key NOT IN (SELECT key FROM entity_index.person_surnames)").fetchall()
        insert_frame(con, "entity_index.person_surnames", pd.DataFrame(
            [(k, parse_person_key(k)[0]) for (k,) in persons], columns=["key", "surname"]), ignore=True)
        if "acronyms" in table:
            forms = con.execute(
                f"SELECT DISTINCT short_form FROM {table} "
                "WHERE short_form NOT IN (SELECT short_form FROM entity_index.acronym_shorts)").fetchall()
            insert_frame(con, "entity_index.acronym_shorts", pd.DataFrame(
                [(f, acronym_key(f)) for (f,) in forms], columns=["short_form", "short_key"]), ignore=True)


class WarehouseLookups:
    """:class:`~newsetl.extractors.entities.corpus.CorpusLookups` over the published warehouse and
    the run's staging. ``touched`` (key, is_live) are the keys the run touches: whether they stay
    live was computed from the mentions; any other key is live if the published resolution has it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, touched: pd.DataFrame):
        self.con = con
        self.touched = set(touched["key"])
        self.touched_live = set(touched.loc[touched["is_live"].astype(bool), "key"])

    def _query(self, query: str, values: set[str]) -> pd.DataFrame:
        """The rows of the dml ``query`` run with ``values`` as its ``$values``."""
        return self.con.execute(read_dml(query), {"values": sorted(values)}).df()

    def _values(self, query: str, values: set[str]) -> set[str]:
        """The first column of the dml ``query`` over ``values``, as a set."""
        return set(self._query(query, values).iloc[:, 0]) if values else set()

    def live(self, keys: set[str]) -> set[str]:
        """The keys among ``keys`` that are live after the run."""
        return (keys & self.touched_live) | self._values("published_keys", keys - self.touched)

    def persons_named(self, surnames: set[str]) -> set[str]:
        """Live person keys with one of ``surnames``."""
        published = self._values("persons_named", surnames) - self.touched
        touched = {k for k in self.touched_live if k.startswith("PER:") and parse_person_key(k)[0] in surnames}
        return published | touched

    def definers_of(self, long_keys: set[str]) -> set[str]:
        """Short-form keys of definitions (published or staged) of the long forms ``long_keys``."""
        return self._values("acronym_definers", long_keys)

    def definitions_of(self, short_keys: set[str]) -> pd.DataFrame:
        """Live definitions of the acronyms whose keys are ``short_keys``."""
        return self._query("acronym_definitions", short_keys)
