"""Corpus-level resolution of entity keys (pure functions, no models, no database).

- an acronym's key and its long form's key map to one canonical key, the long form's: the
  long form a text defines, else the one in the built-in table of well-known acronyms
  (:mod:`known_acronyms`: «ООН» and «Организация Объединённых Наций» are one entity);
- keys are folded (case, ё/е, quotes), so spelling variants share one key;
- a person written with initials («В.В.Путин», «Путин В.В.») or by surname alone
  («Масадыков») maps to the one full name with that surname (and first initial).
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Iterable, Mapping

from newsetl.extractors.entities.known_acronyms import KNOWN_ACRONYMS
from newsetl.extractors.entities.norm import fold


def key_of(item) -> str:
    """The key of a Mention-like object, or the string itself."""
    return item if isinstance(item, str) else item.key


def entity_id(canonical_key: str) -> str:
    """Stable entity id: first 16 hex chars of sha256("entity:" + canonical_key)."""
    return hashlib.sha256(("entity:" + canonical_key).encode("utf-8")).hexdigest()[:16]


def resolve_keys(person_and_org_keys: Iterable, acronyms: Iterable) -> dict[str, str]:
    """Map alias keys to canonical keys (only aliases appear; canonical keys map to nothing)."""
    keys = {key_of(item) for item in person_and_org_keys}
    mapping: dict[str, str] = {}
    mapping.update(known_acronym_aliases(keys))
    mapping.update(acronym_aliases(acronyms))
    mapping.update(person_aliases(keys))
    return {alias: _follow(mapping, alias) for alias in mapping if _follow(mapping, alias) != alias}


def acronym_key(form: str) -> str:
    """The organisation key of an acronym or of its long form: "ОДКБ" → "ORG:одкб"."""
    return "ORG:" + fold(form)


@lru_cache(maxsize=1)
def known_acronym_keys() -> dict[str, str]:
    """Key of each well-known acronym → key of its long form (the built-in table, as keys)."""
    return {acronym_key(short): acronym_key(long_form) for short, long_form in sorted(KNOWN_ACRONYMS.items())}


def known_acronym_aliases(keys: Iterable[str]) -> dict[str, str]:
    """"ORG:оон" → "ORG:организация объединенных наций" for the well-known acronyms among ``keys``."""
    present = set(keys)
    return {short: long_key for short, long_key in known_acronym_keys().items() if short in present}


def acronym_aliases(acronyms: Iterable) -> dict[str, str]:
    """"ORG:одкб" → the key of its most often seen long form."""
    long_forms: dict[str, Counter] = defaultdict(Counter)
    for acronym in acronyms:
        short_key = acronym_key(acronym.short_form)
        long_key = acronym_key(acronym.long_normal)
        if short_key != long_key:
            long_forms[short_key][long_key] += 1
    return {short: min(counts, key=lambda k: (-counts[k], k)) for short, counts in long_forms.items()}


def parse_person_key(key: str) -> tuple[str, list[str], str]:
    """(surname, given names, initials) of a "PER:" key built by ``person_key``."""
    words = key[len("PER:"):].split()
    initials = "".join(w for w in words if w.endswith("."))
    names = [w for w in words if not w.endswith(".")]
    if not names:
        return "", [], initials
    return names[0], names[1:], initials


def person_aliases(keys: Iterable[str]) -> dict[str, str]:
    """Initials+surname and bare surname keys → the unique full-name key with that surname."""
    full_by_surname: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    partial = []
    for key in keys:
        if not key.startswith("PER:"):
            continue
        surname, given, initials = parse_person_key(key)
        if surname and given:
            full_by_surname[surname].append((key, given))
        elif surname:
            partial.append((key, surname, initials))
    aliases = {}
    for key, surname, initials in partial:
        candidates = full_by_surname.get(surname, [])
        if initials:
            candidates = [c for c in candidates if c[1][0][:1] == initials[:1]]
        if len(candidates) == 1:
            aliases[key] = candidates[0][0]
    return aliases


def _follow(mapping: Mapping[str, str], key: str) -> str:
    seen = {key}
    while key in mapping and mapping[key] not in seen:
        key = mapping[key]
        seen.add(key)
    return key
