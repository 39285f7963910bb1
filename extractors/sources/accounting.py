"""What reading saw: counters filled while :func:`files.read_units` streams, for the run's records."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ReadStats:
    """Counts of one read: files opened, units yielded, and WARC records (units or skipped, by kind).

    ``skipped_warc_records`` keys: the record type for records that are not responses
    ("request", "metadata", "warcinfo", "resource", "revisit", …), ``response_not_html`` and
    ``response_not_ok`` (HTTP status other than 2xx). Every WARC record read is either a unit or
    skipped: ``warc_records == warc_units + n_skipped_warc_records``.
    """

    files: int = 0
    units: int = 0
    warc_records: int = 0
    warc_units: int = 0
    skipped_warc_records: Counter = field(default_factory=Counter)

    @property
    def n_skipped_warc_records(self) -> int:
        """How many WARC records were skipped, of every kind."""
        return sum(self.skipped_warc_records.values())

    def skip_warc_record(self, kind: str) -> None:
        """Count one WARC record that is not news input."""
        self.warc_records += 1
        self.skipped_warc_records[kind] += 1

    def warc_unit(self) -> None:
        """Count one WARC record (or damaged stretch) that became a unit."""
        self.warc_records += 1
        self.warc_units += 1

    def balanced(self) -> bool:
        """Whether every WARC record read is accounted for as a unit or a skip."""
        return self.warc_records == self.warc_units + self.n_skipped_warc_records
