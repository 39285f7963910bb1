"""The one registry of record tables: the per-document tables extractors fill and the warehouse
stages, audits, publishes and exports.

Adding a record table touches this registry, its DDL (``warehouse/sql``), its extractor and its
suite (``schemas/suites.py``) — nothing else: staging, the audit frames, quarantine, publishing and
the row builder of :mod:`newsetl.extractors.batch` all iterate over :data:`RECORD_TABLES`.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordTable:
    """A table of records keyed by document.

    ``key_columns`` identify one row (and name it in quarantine); ``surface_column`` must equal
    the document text at ``[char_start, char_end)``; ``facts_attribute`` is the attribute of
    :class:`newsetl.schemas.facts.Facts` that holds the table's records (None for entity tables);
    ``audit_query`` is the ``warehouse/sql/dml`` file that computes the audit frame.
    """

    name: str
    key_columns: tuple[str, ...]
    surface_column: str | None = None
    facts_attribute: str | None = None
    audit_query: str = "audit_records"
    # Other (start, end, surface) column triples that must match the text (acronyms: both forms).
    extra_spans: tuple[tuple[str, str, str], ...] = ()

    @property
    def staging(self) -> str:
        """The staging twin of the table."""
        return f"stg_{self.name}"


def _fact(name: str, attribute: str, surface_column: str | None) -> RecordTable:
    """A fact table: one row per record of a document, numbered by ``record_no``."""
    return RecordTable(name, ("doc_id", "record_no"), surface_column, attribute)


RECORD_TABLES: dict[str, RecordTable] = {table.name: table for table in (
    RecordTable("mentions", ("doc_id", "char_start", "char_end", "type"), "surface",
                audit_query="audit_mentions"),
    RecordTable("acronyms", ("doc_id", "short_start"), audit_query="audit_acronyms",
                extra_spans=(("short_start", "short_end", "short_form"), ("long_start", "long_end", "long_form"))),
    _fact("leads", "lead", "text"),
    _fact("genres", "genre", "evidence"),
    _fact("sections", "sections", "heading"),
    _fact("interview_turns", "turns", "text"),
    _fact("named_events", "events", "name"),
    _fact("dates", "dates", "surface"),
    _fact("occupations", "occupations", "evidence"),
    _fact("attributions", "attributions", "evidence"),
    # near-duplicate fingerprints: the MinHash signature and its LSH band keys
    RecordTable("doc_signatures", ("doc_id",), audit_query="audit_doc_signatures"),
    RecordTable("doc_bands", ("band_key", "doc_id"), audit_query="audit_doc_bands"),
)}

# Tables the warehouse derives from the records at the end of a run (corpus-wide), staged too.
DERIVED_STAGING = ("stg_entities", "stg_key_map", "stg_entity_aliases", "stg_near_duplicates", "stg_stories",
                   "stg_story_documents", "stg_places", "stg_resolved_keys", "stg_entity_scope",
                   "stg_key_normals")

FACT_TABLES: dict[str, RecordTable] = {name: t for name, t in RECORD_TABLES.items() if t.facts_attribute}

# Outcomes of an input unit; every unit of a run has exactly one.
OUTCOMES = ("new", "unchanged", "updated", "duplicate", "quarantined")
