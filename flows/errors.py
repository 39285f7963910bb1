"""Errors a run raises that its callers catch by type; light to import (no Prefect), so the CLI can
import them before it has chosen the Prefect server a run reports to."""
from __future__ import annotations


class StrictRunFailed(RuntimeError):
    """A strict run quarantined input: it is published, but the run fails (exit code 4)."""

    def __init__(self, message: str, summary: dict):
        super().__init__(message)
        self.summary = summary
