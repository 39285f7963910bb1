"""HTML building blocks of the report: escaped cells, tables, sections and the page itself.

Everything the page needs is inline (style here, plotly.js in the first chart), so the file can be
mailed, archived or opened with no network.
"""
from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from html import escape
from typing import Any

import pandas as pd

CELL_CHARS = 160
STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#212121;background:#fafafa}
header{background:#263238;color:#fff;padding:14px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#cfd8dc}main{padding:8px 28px 40px;max-width:1280px}
section{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:6px 18px 16px;margin:18px 0}
h2{font-size:18px;border-bottom:1px solid #eee;padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border-bottom:1px solid #eee;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{background:#f1f3f4;padding:1px 4px;border-radius:3px}.muted{color:#757575}
.figures{display:flex;flex-wrap:wrap;gap:12px}.figure{border:1px solid #e0e0e0;border-radius:6px;padding:8px 14px;min-width:120px}
.figure b{display:block;font-size:22px}.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.critical{background:#ffebee;color:#b71c1c}.warning{background:#fff8e1;color:#8d6e00}.passed{background:#e8f5e9;color:#1b5e20}
.failed{background:#ffebee;color:#b71c1c}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:12px}
"""


def present(value: Any) -> bool:
    """False for None and for pandas' missing values (NaN, NaT, NA), whatever pandas turned NULL into."""
    if value is None:
        return False
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, never missing
        return True


def cell_text(value: Any, limit: int = CELL_CHARS) -> str:
    """A value as short plain text: NULL empty, dates in ISO form, floats without noise, long text cut."""
    if not present(value):
        return ""
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.strftime("%Y-%m-%d")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        text = ", ".join(cell_text(v, limit) for v in items) if isinstance(items, list) else str(items)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_number(value: Any) -> bool:
    """Whether a cell holds a number (shown right-aligned)."""
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def table(frame: pd.DataFrame, columns: Sequence[str] | None = None, headers: dict[str, str] | None = None,
          render: dict[str, Callable[[Any, Any], str]] | None = None) -> str:
    """An HTML table of ``frame``'s ``columns``; ``render`` maps a column to ``fn(value, row) -> html``."""
    columns = list(columns or frame.columns)
    headers, render = headers or {}, render or {}
    head = "".join(f"<th>{escape(headers.get(c, c))}</th>" for c in columns)
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for column in columns:
            value = record.get(column)
            if column in render:
                cells.append(f"<td>{render[column](value, record)}</td>")
            else:
                css = ' class="num"' if is_number(value) and present(value) else ""
                cells.append(f"<td{css}>{escape(cell_text(value))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        return '<p class="muted">nothing yet</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def figures(items: Iterable[tuple[str, Any]]) -> str:
    """A row of headline figures, each a label over a large number or word."""
    boxes = "".join(f'<div class="figure"><span class="muted">{escape(label)}</span><b>{escape(cell_text(value))}</b></div>'
                    for label, value in items)
    return f'<div class="figures">{boxes}</div>'


def charts(fragments: Iterable[str | None], empty: str = "no data to chart yet") -> str:
    """A grid of chart fragments; a sentence instead when there is none."""
    drawn = [f"<div>{fragment}</div>" for fragment in fragments if fragment]
    return f'<div class="charts">{"".join(drawn)}</div>' if drawn else f'<p class="muted">{escape(empty)}</p>'


def badge(text: str, kind: str) -> str:
    """A small coloured label (kind: critical, warning, passed, failed)."""
    return f'<span class="badge {escape(kind)}">{escape(text)}</span>'


def section(anchor: str, title: str, body: str) -> str:
    """One titled section of the page."""
    return f'<section id="{escape(anchor)}"><h2>{escape(title)}</h2>{body}</section>'


def page(title: str, subtitle: str, sections: Sequence[str]) -> str:
    """The whole self-contained page."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>"
        f"<main>{''.join(sections)}</main></body></html>\n"
    )
