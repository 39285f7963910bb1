"""``newsetl report``: one self-contained HTML page about the runs, quarantine, validation and data."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from newsetl.config import Settings
from newsetl.report import html, sections
from newsetl.report.charts import ChartPage

REPORT_FILE = "report.html"


def report_path(settings: Settings) -> Path:
    """Where the report is written: ``<data dir>/report.html``."""
    return settings.data_dir / REPORT_FILE


def warehouse_size(path: Path) -> int:
    """Bytes on disk of the warehouse file and its write-ahead log."""
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists())


def build_report(settings: Settings, out: Path | None = None) -> Path:
    """Query the warehouse read-only, write the page, and return its path.

    Raises ``WarehouseError`` (or ``WarehouseBusy``) when the warehouse cannot be read. Also makes
    the Data Docs site it links to work offline (see :mod:`newsetl.report.datadocs`).
    """
    from newsetl.report.datadocs import finish_site
    from newsetl.validation.runner import docs_index_path
    from newsetl.warehouse.db import reader
    from newsetl.warehouse.report import report_frames

    with reader(settings.warehouse) as con:
        frames = report_frames(con)
    out = Path(out) if out else report_path(settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    docs_site = docs_index_path(settings.data_dir).parent
    finish_site(docs_site)
    ctx = sections.Context(frames=frames, report_dir=out.parent, docs_site=docs_site, charts=ChartPage())
    body = [sections.latest_run(ctx), sections.history(ctx), sections.validation(ctx), sections.quarantine(ctx),
            sections.warehouse(ctx, warehouse_size(settings.warehouse))]
    subtitle = f"{settings.warehouse} · generated {datetime.now():%Y-%m-%d %H:%M}"
    out.write_text(html.page("newsetl report", subtitle, body), encoding="utf-8")
    return out
