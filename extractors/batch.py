"""From a cleaned document to warehouse rows: entity mentions, acronyms and facts.

This module is the single place that turns extractor matches into the row dicts the warehouse
stages, so the per-table column names live next to each other.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from newsetl.schemas.records import Acronym, Document, Mention


def pipeline_version() -> str:
    """The versions of every extractor a document's rows come from, e.g.
    ``documents/1+entities/2+facts/1``; a change makes the next run reprocess the document."""
    from newsetl.extractors.documents.build import EXTRACTOR_VERSION
    from newsetl.extractors.entities.analyze import ENTITY_EXTRACTOR_VERSION
    from newsetl.extractors.facts import FACTS_EXTRACTOR_VERSION

    return "+".join((EXTRACTOR_VERSION, ENTITY_EXTRACTOR_VERSION, FACTS_EXTRACTOR_VERSION))


def load_models() -> None:
    """Load every NLP model this process will need (once per process)."""
    from newsetl.extractors.entities import analyze as entities

    entities.analyze("Загрузка моделей.")


def extract_records(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """All records of one document as rows, keyed by warehouse table."""
    from newsetl.extractors.entities import analyze as entities

    mentions, acronyms = entities.analyze(doc.text)
    rows: dict[str, list[dict[str, Any]]] = {
        "mentions": [mention_row(doc.doc_id, m, entities.ENTITY_EXTRACTOR_VERSION) for m in mentions],
        "acronyms": [acronym_row(doc.doc_id, a, entities.ENTITY_EXTRACTOR_VERSION) for a in acronyms],
    }
    rows.update(fact_rows(doc, mentions))
    return rows


def mention_row(doc_id: str, m: Mention, version: str) -> dict[str, Any]:
    """A ``mentions`` row (its entity id is set by corpus-level resolution)."""
    return {"doc_id": doc_id, "char_start": m.start, "char_end": m.stop, "type": m.type,
            "surface": m.surface, "normal": m.normal, "sentence_no": m.sentence_no, "key": m.key,
            "entity_id": "", "extractor_version": version}


def acronym_row(doc_id: str, a: Acronym, version: str) -> dict[str, Any]:
    """An ``acronyms`` row; ``key`` is the long form's resolution key."""
    return {"doc_id": doc_id, "short_form": a.short_form, "long_form": a.long_form,
            "long_normal": a.long_normal, "key": acronym_key(a), "entity_id": "",
            "short_start": a.short_start, "short_end": a.short_stop,
            "long_start": a.long_start, "long_end": a.long_stop, "extractor_version": version}


def acronym_key(a: Acronym) -> str:
    """The resolution key of an acronym's long form (an organisation)."""
    from newsetl.extractors.entities.norm import phrase_key

    return phrase_key("ORG", a.long_normal)


# Fact table -> attribute of ``Facts`` holding its records.
FACT_TABLES = {"leads": "lead", "genres": "genre", "sections": "sections", "interview_turns": "turns",
               "named_events": "events", "dates": "dates", "occupations": "occupations",
               "attributions": "attributions"}
# Record fields renamed in the warehouse (``end`` is an SQL keyword).
RENAMED_COLUMNS = {"start": "start_date", "end": "end_date"}


def fact_rows(doc: Document, mentions: list[Mention]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the fact tables (structure, turns, events, dates, occupations, attributions)."""
    from newsetl.extractors.facts import FACTS_EXTRACTOR_VERSION, extract_facts

    facts = extract_facts(doc.text, doc.published_at, mentions)
    rows = {}
    for table, attribute in FACT_TABLES.items():
        value = getattr(facts, attribute)
        records = value if isinstance(value, list) else [value] if value is not None else []
        rows[table] = [
            {"doc_id": doc.doc_id, "record_no": number,
             **{RENAMED_COLUMNS.get(k, k): v for k, v in record.row().items()},
             "extractor_version": FACTS_EXTRACTOR_VERSION}
            for number, record in enumerate(records)
        ]
    return rows


def resolve(keys: pd.DataFrame, acronyms: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Corpus-level resolution of mention keys.

    ``keys`` has columns type, key, normal, n; ``acronyms`` the live acronym rows. Returns the key map
    (key, canonical_key, entity_id) covering every mention and acronym key, and the alias table
    (alias_key, canonical_key) of the keys that resolve to another key.
    """
    from newsetl.extractors.entities.resolve import entity_id, resolve_keys

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
