"""Deterministic keys: every id in the warehouse is a hash of what identifies the thing."""
from __future__ import annotations

import hashlib


def sha256_hex(data: bytes | str) -> str:
    """Hex SHA-256 of bytes or of a string's UTF-8 encoding."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()
