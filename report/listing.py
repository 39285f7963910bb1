"""Listings for the terminal, CSV and JSON: the output side of ``newsetl runs|quarantine|sql|search``.

A :class:`Listing` holds plain Python rows. NULL is ``None``, and pandas' NaN, NaT and NA are turned
into ``None`` too, so every format shows a missing value as empty (CSV, table) or ``null`` (JSON).
Tables fit the terminal: ids never wrap or shrink, long text is cut with "…", each row is one line.
"""
from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, Sequence


class Kind(str, Enum):
    """How a column is shown in a table."""

    ID = "id"        # never wrapped, never cut
    NUMBER = "number"  # right-aligned, never wrapped
    TEXT = "text"    # cut at its width, with "…" at the end
    PATH = "path"    # cut at its width, keeping the end ("…/folder/file.txt")


@dataclass(frozen=True)
class Column:
    """A column of the table view: which field, its header, how to show it, its widest width."""

    field: str
    header: str | None = None
    kind: Kind = Kind.TEXT
    width: int = 40
    min_width: int | None = None  # text columns shrink to this before the row is cut


@dataclass
class Listing:
    """Rows with named columns, as plain Python values."""

    columns: list[str]
    rows: list[tuple] = field(default_factory=list)

    @classmethod
    def from_cursor(cls, cursor: Any) -> "Listing":
        """The rows of an executed DuckDB statement."""
        return cls([d[0] for d in cursor.description], [tuple(r) for r in cursor.fetchall()])

    @classmethod
    def from_frame(cls, frame: Any) -> "Listing":
        """The rows of a DataFrame, with NaN, NaT and NA as None."""
        return cls([str(c) for c in frame.columns],
                   [tuple(plain(v) for v in row) for row in frame.itertuples(index=False, name=None)])

    def map_column(self, name: str, fn: Any) -> None:
        """Replace every value of column ``name`` with ``fn(value)`` (None stays None)."""
        index = self.columns.index(name)
        self.rows = [row[:index] + (None if row[index] is None else fn(row[index]),) + row[index + 1:] for row in self.rows]

    def add_column(self, name: str, fn: Any) -> None:
        """Append a column computed from each row's record."""
        self.rows = [row + (fn(record),) for row, record in zip(self.rows, self.records())]
        self.columns = [*self.columns, name]

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts."""
        return [dict(zip(self.columns, row)) for row in self.rows]


def plain(value: Any) -> Any:
    """A plain Python value: numpy scalars and arrays unwrapped, every kind of missing value None."""
    if value is None:
        return None
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):  # numpy scalars and arrays
        return plain(value.tolist())
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, float) and value != value:
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    return value


def json_value(value: Any) -> Any:
    """A value as JSON data: ISO dates, base64 bytes, numbers kept, NULL as None."""
    value = plain(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def text_value(value: Any) -> str:
    """A value as one cell of text: NULL empty, lists and structs as JSON, bytes as their size."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(json_value(value), ensure_ascii=False)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time, Decimal)):
        return str(value)
    return str(value)


def to_json(listing: Listing) -> str:
    """A JSON array of objects, one per row."""
    return json.dumps([{k: json_value(v) for k, v in record.items()} for record in listing.records()],
                      ensure_ascii=False) + "\n"


def to_csv(listing: Listing) -> str:
    """CSV with a header row; NULL as an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(listing.columns)
    writer.writerows([text_value(v) for v in row] for row in listing.rows)
    return buffer.getvalue()


def cut(text: str, width: int, kind: Kind) -> str:
    """``text`` on one line, at most ``width`` characters (ids are never cut)."""
    text = " ".join(text.split())
    if kind in (Kind.ID, Kind.NUMBER) or len(text) <= width:
        return text
    if kind is Kind.PATH:
        return "…" + text[-(width - 1):]
    return text[: width - 1] + "…"


def guess_columns(listing: Listing) -> list[Column]:
    """Table columns for arbitrary query results: ids and numbers whole, other text cut."""
    columns = []
    for index, name in enumerate(listing.columns):
        values = [row[index] for row in listing.rows if row[index] is not None]
        if values and all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in values):
            kind = Kind.NUMBER
        elif name == "id" or name.endswith("_id") or name.endswith("_hash"):
            kind = Kind.ID
        elif "uri" in name or "path" in name:
            kind = Kind.PATH
        else:
            kind = Kind.TEXT
        columns.append(Column(name, kind=kind))
    return columns


MIN_TEXT_WIDTH = 8


def to_table(listing: Listing, columns: Sequence[Column] | None = None, title: str | None = None,
             width: int = 80) -> tuple[Any, list[str]]:
    """A rich Table that fits ``width``: one line per row, ids whole, text cut with "…".

    Text columns shrink first (to their ``min_width``, else 8); columns that still do not fit are
    left out, and their names are returned so the caller can say so."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    columns = list(columns or guess_columns(listing))
    positions = {name: i for i, name in enumerate(listing.columns)}
    widths = fit_widths(listing, columns, positions, width)
    shown = [c for c in columns if c.field in widths]
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=0, title_justify="left")
    for column in shown:
        table.add_column(Text(cut(column.header or column.field, widths[column.field], Kind.TEXT)), no_wrap=True,
                         width=widths[column.field], justify="right" if column.kind is Kind.NUMBER else "left")
    for row in listing.rows:
        table.add_row(*[Text(cut(text_value(row[positions[c.field]]), widths[c.field], c.kind)) for c in shown])
    return table, [c.field for c in columns if c.field not in widths]


def fit_widths(listing: Listing, columns: Sequence[Column], positions: dict[str, int], width: int) -> dict[str, int]:
    """Field -> width so the row fits ``width`` (one space between columns); fields that cannot fit are absent."""
    natural = {c.field: _widest(listing, positions[c.field], c) for c in columns}
    wanted = {c.field: natural[c.field] if c.kind in (Kind.ID, Kind.NUMBER) else min(natural[c.field], c.width)
              for c in columns}
    floor = {c.field: wanted[c.field] if c.kind in (Kind.ID, Kind.NUMBER)
             else min(wanted[c.field], c.min_width or MIN_TEXT_WIDTH) for c in columns}
    kept = list(columns)
    while kept and sum(floor[c.field] for c in kept) + len(kept) - 1 > width:
        kept.pop()
    excess = sum(wanted[c.field] for c in kept) + len(kept) - 1 - width
    widths = {c.field: wanted[c.field] for c in kept}
    for column in sorted((c for c in kept if c.kind not in (Kind.ID, Kind.NUMBER)), key=lambda c: -wanted[c.field]):
        if excess <= 0:
            break
        take = min(excess, widths[column.field] - floor[column.field])
        widths[column.field] -= take
        excess -= take
    return widths


def _widest(listing: Listing, index: int, column: Column) -> int:
    """The width of a column's widest cell (on one line) or its header."""
    cells = [len(" ".join(text_value(row[index]).split())) for row in listing.rows]
    return max([len(column.header or column.field), *cells])
