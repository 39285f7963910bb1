"""What the analysis stage hands to the warehouse stage for one input unit."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsetl.schemas.records import Document, Reject


@dataclass
class UnitResult:
    """What one input unit became: a document with its records (rows by table), or a reject."""

    source_uri: str
    source_id: str
    raw_hash: str
    raw: bytes
    document: Document | None = None
    reject: Reject | None = None
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
