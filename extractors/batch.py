"""Analysing input units: each unit becomes a document with its record rows (mentions, acronyms,
facts, near-duplicate fingerprints) keyed by warehouse table, or a reject.

The row shapes come from the record models; which tables exist comes from the registry
(:mod:`newsetl.schemas.tables`). :mod:`newsetl.extractors.workers` runs this in worker processes,
which load the NLP models once, before their first batch.
"""
from __future__ import annotations

from typing import Any

from newsetl.extractors.documents.build import EXTRACTOR_VERSION as DOCUMENTS_VERSION
from newsetl.extractors.documents.build import build_document, make_reject
from newsetl.extractors.documents.language import detect_language
from newsetl.extractors.entities import analyze as entities
from newsetl.extractors.entities.norm import phrase_key
from newsetl.extractors.facts import FACTS_EXTRACTOR_VERSION, extract_facts
from newsetl.extractors.stories import STORIES_VERSION, story_rows
from newsetl.schemas.analysis import UnitResult
from newsetl.schemas.records import Acronym, Document, Mention, RawUnit, Reject
from newsetl.schemas.tables import FACT_TABLES

# Record fields renamed in the warehouse (``end`` is an SQL keyword).
RENAMED_COLUMNS = {"start": "start_date", "end": "end_date"}
# The entity and fact extractors are built for Russian; other documents are loaded as documents
# (with their near-duplicate fingerprints) and their skipped analysis is recorded, not invented.
ANALYSED_LANGUAGES = frozenset({"ru"})


def extractor_version() -> str:
    """The versions of every extractor a document's rows come from, e.g.
    ``documents/1+entities/2+facts/1``; a change makes the next run reprocess the document."""
    return "+".join((DOCUMENTS_VERSION, entities.ENTITY_EXTRACTOR_VERSION, FACTS_EXTRACTOR_VERSION, STORIES_VERSION))


# --- one document -----------------------------------------------------------------------------


def document_records(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """All records of one document as rows, keyed by warehouse table. A document not in Russian
    gets only its fingerprints, and ``extra["analysis"]`` says why."""
    if doc.language not in ANALYSED_LANGUAGES:
        doc.extra = {**doc.extra, "analysis": f"skipped: language {doc.language or 'unknown'}, "
                                              "the entity and fact extractors are built for Russian"}
        return story_rows(doc.doc_id, doc.text)
    mentions, acronyms = entities.analyze(doc.text)
    version = entities.ENTITY_EXTRACTOR_VERSION
    rows: dict[str, list[dict[str, Any]]] = {
        "mentions": [mention_row(doc.doc_id, m, version) for m in mentions],
        "acronyms": [acronym_row(doc.doc_id, a, version) for a in acronyms],
    }
    rows.update(fact_rows(doc, mentions))
    rows.update(story_rows(doc.doc_id, doc.text))
    return rows


def mention_row(doc_id: str, m: Mention, version: str) -> dict[str, Any]:
    """A ``mentions`` row (its entity id is set by corpus-level resolution)."""
    return {"doc_id": doc_id, "char_start": m.start, "char_end": m.stop, "type": m.type,
            "surface": m.surface, "normal": m.normal, "sentence_no": m.sentence_no, "key": m.key,
            "entity_id": "", "extractor_version": version}


def acronym_row(doc_id: str, a: Acronym, version: str) -> dict[str, Any]:
    """An ``acronyms`` row; ``key`` is the long form's resolution key (an organisation)."""
    return {"doc_id": doc_id, "short_form": a.short_form, "long_form": a.long_form,
            "long_normal": a.long_normal, "key": phrase_key("ORG", a.long_normal), "entity_id": "",
            "short_start": a.short_start, "short_end": a.short_stop,
            "long_start": a.long_start, "long_end": a.long_stop, "extractor_version": version}


def fact_rows(doc: Document, mentions: list[Mention]) -> dict[str, list[dict[str, Any]]]:
    """Rows of the fact tables (structure, turns, events, dates, occupations, attributions)."""
    facts = extract_facts(doc.text, doc.published_at, mentions)
    rows = {}
    for table in FACT_TABLES.values():
        value = getattr(facts, table.facts_attribute)
        records = value if isinstance(value, list) else [value] if value is not None else []
        rows[table.name] = [
            {"doc_id": doc.doc_id, "record_no": number,
             **{RENAMED_COLUMNS.get(k, k): v for k, v in record.row().items()},
             "extractor_version": FACTS_EXTRACTOR_VERSION}
            for number, record in enumerate(records)
        ]
    return rows


# --- a batch ------------------------------------------------------------


def warm_up() -> None:
    """Load the NLP models and the language identifier once in a worker process, before its first batch."""
    entities.analyze("Загрузка моделей.")
    detect_language("Загрузка моделей.")


def analyse_units(units: list[RawUnit]) -> list[UnitResult]:
    """Build each unit's document and extract its records; an extractor failure quarantines the
    unit (``extraction_failed``) instead of sinking the run."""
    version = extractor_version()
    results = []
    for unit in units:
        built = build_document(unit)
        result = UnitResult(unit.source_uri, unit.source_id, built.raw_hash, unit.raw)
        if isinstance(built, Reject):
            result.reject = built
        else:
            built.raw = b""  # the bytes travel once, in ``result.raw``
            built.extractor_version = version
            try:
                result.records = document_records(built)
                result.document = built
            except Exception as exc:
                result.reject = make_reject(unit, "extraction_failed",
                                            f"entity/fact extraction failed: {type(exc).__name__}: {exc}")
        results.append(result)
    return results
