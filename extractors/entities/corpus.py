"""Corpus-level resolution over tables: live mention keys and acronym definitions in, the key map
(key → canonical key → entity id) and the alias table out.

:func:`resolve_frames` resolves a whole corpus at once. Incremental resolution re-resolves only
what a change can affect, exactly as the whole corpus would resolve it:

- :func:`keys_to_reresolve` widens the keys a run touches to every key whose resolution can depend
  on them: the persons sharing a touched person's surname (a new full name can make a bare surname
  resolvable or ambiguous), and every key whose alias chain passes through an acronym whose
  definitions, or whose presence as a well-known acronym, changed;
- :func:`resolve_scope` resolves those keys from the part of the corpus they depend on: the live
  keys of their surnames and the definitions of every acronym on their alias chains.

Both ask the warehouse through :class:`CorpusLookups`; every answer describes the corpus as it will
be after the run publishes.
"""
from __future__ import annotations

from typing import Iterable, Protocol

import pandas as pd

from newsetl.extractors.entities.resolve import (
    acronym_aliases, entity_id, known_acronym_keys, parse_person_key, resolve_keys,
)
from newsetl.schemas.records import Acronym

KEY_MAP_COLUMNS = ["key", "canonical_key", "entity_id"]
ALIAS_COLUMNS = ["alias_key", "canonical_key"]


class CorpusLookups(Protocol):
    """What incremental resolution asks of the corpus (as it will be after the run publishes)."""

    def live(self, keys: set[str]) -> set[str]:
        """The keys among ``keys`` that some mention or acronym definition carries."""

    def persons_named(self, surnames: set[str]) -> set[str]:
        """The live person keys whose surname is one of ``surnames``."""

    def definers_of(self, long_keys: set[str]) -> set[str]:
        """Short-form keys of the definitions, before or after the run, whose long form's key is
        one of ``long_keys``."""

    def definitions_of(self, short_keys: set[str]) -> pd.DataFrame:
        """The live acronym definitions (acronym rows) whose short form's key is one of ``short_keys``."""


def definitions_from(acronyms: pd.DataFrame) -> list[Acronym]:
    """Acronym records from acronym rows (short_form, long_form, long_normal and the offsets)."""
    return [
        Acronym(r.short_form, r.long_form, r.long_normal, r.short_start, r.short_end, r.long_start, r.long_end)
        for r in acronyms.itertuples()
    ]


def key_map_frame(keys: Iterable[str], aliases: dict[str, str]) -> pd.DataFrame:
    """Key map rows (key, canonical_key, entity_id) of ``keys`` under ``aliases``."""
    keys = list(keys)
    canonical = [aliases.get(k, k) for k in keys]
    return pd.DataFrame({"key": keys, "canonical_key": canonical, "entity_id": [entity_id(c) for c in canonical]},
                        columns=KEY_MAP_COLUMNS)


def alias_frame(pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Alias rows (alias_key, canonical_key) of the pairs whose alias differs from its canonical key."""
    return pd.DataFrame([(a, c) for a, c in pairs if a != c], columns=ALIAS_COLUMNS)


def resolve_frames(keys: pd.DataFrame, acronyms: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve mention keys across the whole corpus.

    ``keys`` has columns type, key, normal, n; ``acronyms`` the live acronym rows. Returns the key map
    (key, canonical_key, entity_id) covering every mention and acronym key, and the alias table
    (alias_key, canonical_key) of the keys that resolve to another key.
    """
    all_keys = list(dict.fromkeys([*keys["key"], *acronyms["key"]]))
    aliases = resolve_keys(all_keys, definitions_from(acronyms))
    return key_map_frame(all_keys, aliases), alias_frame(aliases.items())


# --- incremental resolution -----------------------------------------------------------------------


def surnames_of(keys: Iterable[str]) -> set[str]:
    """The surnames of the person keys among ``keys``."""
    return {parse_person_key(k)[0] for k in keys if k.startswith("PER:")} - {""}


def keys_to_reresolve(touched: set[str], touched_short_keys: set[str], look: CorpusLookups) -> set[str]:
    """Every key whose resolution can change when the keys ``touched`` gain or lose mentions and the
    acronyms with keys ``touched_short_keys`` gain or lose definitions (``touched`` included)."""
    scope = set(touched) | look.persons_named(surnames_of(touched))
    changed_links = set(touched_short_keys) | (set(touched) & known_acronym_keys().keys())
    return scope | upstream_of(changed_links, look)


def upstream_of(keys: set[str], look: CorpusLookups) -> set[str]:
    """``keys`` and every key whose alias chain, before or after the run, can pass through one of them."""
    known_by_long: dict[str, set[str]] = {}
    for short, long_key in known_acronym_keys().items():
        known_by_long.setdefault(long_key, set()).add(short)
    found, frontier = set(keys), set(keys)
    while frontier:
        known = set().union(*(known_by_long.get(k, set()) for k in frontier))
        frontier = (look.definers_of(frontier) | look.live(known)) - found
        found |= frontier
    return found


def downstream_of(scope: set[str], look: CorpusLookups) -> tuple[list[Acronym], set[str]]:
    """The live definitions of every acronym on the alias chains of ``scope``'s keys, and the keys
    those chains pass through (``scope`` included)."""
    known = known_acronym_keys()
    definitions: list[Acronym] = []
    nodes, frontier = set(scope), {k for k in scope if k.startswith("ORG:")}
    while frontier:
        found = definitions_from(look.definitions_of(frontier))
        definitions += found
        links = acronym_aliases(found)
        links.update({k: known[k] for k in look.live((frontier - links.keys()) & known.keys())})
        frontier = set(links.values()) - nodes
        nodes |= frontier
    return definitions, nodes


def resolve_scope(scope: set[str], look: CorpusLookups) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve the keys of ``scope`` as the whole corpus would.

    ``scope`` must hold, with each person key, every live key of its surname (as
    :func:`keys_to_reresolve` gives it). Returns the key map rows of its live keys and the alias
    rows whose alias key is in ``scope``.
    """
    definitions, nodes = downstream_of(scope, look)
    live = look.live(nodes)
    aliases = resolve_keys(sorted(live), definitions)
    key_map = key_map_frame(sorted(scope & live), aliases)
    return key_map, alias_frame(sorted((a, c) for a, c in aliases.items() if a in scope))
