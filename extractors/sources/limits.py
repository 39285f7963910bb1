"""Documented resource limits of reading, and a byte buffer that respects them.

- ``max_unit_bytes`` (default :data:`DEFAULT_MAX_UNIT_BYTES`, 10 MiB): the largest unit, counted
  after decompression: a whole .txt/.html file, one JSONL line, one WARC record. A bigger unit is a
  ``too_large`` reject that keeps only its first :data:`KEPT_PREFIX_BYTES`.
- A gzip stream is a ``decompression_bomb`` when a whole-file unit's expansion passes
  ``max_unit_bytes``, or when any stream expands more than :data:`MAX_EXPANSION_RATIO` times once
  it has produced :data:`RATIO_CHECK_FROM_BYTES`. Both are detected while streaming.
"""
from __future__ import annotations

DEFAULT_MAX_UNIT_BYTES = 10 * 1024 * 1024
KEPT_PREFIX_BYTES = 64 * 1024
MAX_EXPANSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 4 * 1024 * 1024


def check_max_unit_bytes(max_unit_bytes: int) -> int:
    """``max_unit_bytes`` when it is a usable limit; ValueError otherwise."""
    if not isinstance(max_unit_bytes, int) or isinstance(max_unit_bytes, bool) or max_unit_bytes < 1:
        raise ValueError(f"max_unit_bytes must be a positive number of bytes, got {max_unit_bytes!r}")
    return max_unit_bytes


def kept_prefix_bytes(limit: int) -> int:
    """How many first bytes a unit over ``limit`` keeps: KEPT_PREFIX_BYTES, or the limit when smaller."""
    return min(KEPT_PREFIX_BYTES, limit)


class BoundedBuffer:
    """Collects bytes up to ``limit``; past it, keeps only the first ``kept_prefix_bytes(limit)`` and counts the rest."""

    def __init__(self, limit: int):
        self.limit = limit
        self.keep = kept_prefix_bytes(limit)
        self.size = 0
        self.overflowed = False
        self._data = bytearray()

    def add(self, data: bytes) -> None:
        """Append ``data`` (or only count it, once the limit has been passed)."""
        self.size += len(data)
        if self.overflowed:
            return
        if self.size <= self.limit:
            self._data += data
            return
        self.overflowed = True
        missing = self.keep - len(self._data)
        if missing > 0:
            self._data += data[:missing]
        del self._data[self.keep:]

    def value(self) -> bytes:
        """The bytes kept: all of them, or the first ``keep`` bytes after an overflow."""
        return bytes(self._data)


def too_large_message(what: str, size: int, limit: int, exact: bool = True) -> str:
    """The message of a ``too_large`` reject."""
    measured = f"{size} bytes" if exact else f"more than {limit} bytes"
    return (f"{what} is larger than the limit of {limit} bytes ({measured}); "
            f"only its first {kept_prefix_bytes(limit)} bytes are kept")
