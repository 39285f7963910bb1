"""Data Docs retention: Great Expectations keeps the results and pages of the newest audits only.

Every audit (one per published window) stores a validation result per table under
``gx/uncommitted/validations`` and renders a page for each in the Data Docs site. Great Expectations
lists every stored result whenever it rebuilds the site's index, so an audit's cost grew with the
number of audits before it: 1.3 s with 530 stored results, 10 s with 10,000, 37 s with 38,500
(measured; a feed ingested every 15 minutes stores about 1,800 a day, and 1.4 MB of files per audit).

:func:`prune_audits` deletes all but the newest audits' results and pages before the site is built,
so each audit costs the same however long the feed has run. Nothing else is lost: the warehouse's
``dq_results`` table keeps every check's outcome of every audit, with samples of the failing rows.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

KEEP_ENV = "NEWSETL_DOCS_KEEP"
DEFAULT_KEEP = 10


def keep_audits() -> int:
    """How many audits keep their Data Docs: ``NEWSETL_DOCS_KEEP``, else 10. Raises ``ValueError``
    with a one-line message when the variable is not a whole number of at least 1."""
    raw = os.environ.get(KEEP_ENV, "").strip()
    if not raw:
        return DEFAULT_KEEP
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{KEEP_ENV} must be a whole number of audits, at least 1 (got {raw!r})")
    return int(raw)


def audit_of(key: Any) -> tuple[str, str]:
    """The audit a stored validation result belongs to, as (run time, run name): sorts oldest first."""
    run_name, run_time = key.run_id.to_tuple()
    return run_time, run_name


def prune_audits(context: Any, site_dir: Path, keep: int) -> None:
    """Delete the stored validation results of all but the newest ``keep`` audits, with their Data
    Docs pages under ``site_dir`` and the folders that leaves empty."""
    store = context.validation_results_store
    keys = store.list_keys()
    kept = set(sorted({audit_of(key) for key in keys})[-keep:])
    results_root = Path(context.root_directory) / "uncommitted" / "validations"
    pages_root = Path(site_dir) / "validations"
    for key in keys:
        if audit_of(key) in kept:
            continue
        parts = key.to_tuple()
        store.remove_key(key)
        page = pages_root.joinpath(*parts[:-1], f"{parts[-1]}.html")
        page.unlink(missing_ok=True)
        remove_empty_folders(results_root.joinpath(*parts[:-1]), results_root)
        remove_empty_folders(page.parent, pages_root)


def remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents below ``root`` while they are empty."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except FileNotFoundError:
            pass
        except OSError:  # not empty
            return
        folder = folder.parent
