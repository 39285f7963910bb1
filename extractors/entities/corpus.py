"""Corpus-level resolution over tables: every live mention key and acronym definition in, the key
map (key → canonical key → entity id) and the alias table out."""
from __future__ import annotations

import pandas as pd

from newsetl.extractors.entities.resolve import entity_id, resolve_keys
from newsetl.schemas.records import Acronym


def resolve_frames(keys: pd.DataFrame, acronyms: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve mention keys across the corpus.

    ``keys`` has columns type, key, normal, n; ``acronyms`` the live acronym rows. Returns the key map
    (key, canonical_key, entity_id) covering every mention and acronym key, and the alias table
    (alias_key, canonical_key) of the keys that resolve to another key.
    """
    definitions = [
        Acronym(r.short_form, r.long_form, r.long_normal, r.short_start, r.short_end, r.long_start, r.long_end)
        for r in acronyms.itertuples()
    ]
    all_keys = list(dict.fromkeys([*keys["key"], *acronyms["key"]]))
    aliases = resolve_keys(all_keys, definitions)
    canonical = [aliases.get(k, k) for k in all_keys]
    key_map = pd.DataFrame({"key": all_keys, "canonical_key": canonical,
                            "entity_id": [entity_id(c) for c in canonical]})
    alias_rows = pd.DataFrame(
        [(a, c) for a, c in aliases.items() if a != c], columns=["alias_key", "canonical_key"]
    )
    return key_map, alias_rows
