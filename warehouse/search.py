"""Full-text search: a BM25 index over titles and texts with the Russian Snowball stemmer.

The index is DuckDB's ``fts`` extension, loaded from the ``duckdb-extension-fts`` package file. It
does not follow table changes, so the ingest flow rebuilds it after every publish. Queries and
filters reach SQL only as bound parameters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from newsetl.warehouse.db import read_sql

MAX_QUERY_CHARS = 1000
SNIPPET_CHARS = 220
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchFilters:
    """Optional filters: publication date range, source, language, an entity's name or alias."""

    date_from: date | None = None
    date_to: date | None = None
    source: str | None = None
    language: str | None = None
    entity: str | None = None


def rebuild_index(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the BM25 index over ``documents(title, text)`` and the search macro."""
    con.execute(
        "PRAGMA create_fts_index('documents', 'doc_id', 'title', 'text', stemmer='russian', "
        "stopwords='none', strip_accents=0, lower=1, ignore='(\\.|[^a-zа-яё0-9])+', overwrite=1)"
    )
    con.execute(read_sql("dml/search_macro.sql"))


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has a search index yet."""
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'search_documents'"
    ).fetchone()[0])


def clean_query(query: str) -> str:
    """The words of a user query, bounded in length (quotes and SQL syntax are just characters)."""
    return " ".join(_WORD.findall(query[:MAX_QUERY_CHARS])).strip()


def search(con: duckdb.DuckDBPyConnection, query: str, filters: SearchFilters = SearchFilters(),
           limit: int = 20) -> pd.DataFrame:
    """Ranked documents for ``query`` with title, date, source, score and a highlighted snippet."""
    words = clean_query(query)
    if not words or not has_index(con):
        return pd.DataFrame(columns=["doc_id", "title", "published_at", "source", "language", "score", "snippet"])
    frame = con.execute(
        "SELECT * FROM search_documents($q, $date_from, $date_to, $source, $language, $entity) LIMIT $limit",
        {"q": words, "date_from": filters.date_from, "date_to": filters.date_to, "source": filters.source,
         "language": filters.language, "entity": filters.entity, "limit": limit},
    ).df()
    stems = query_stems(con, words)
    frame["snippet"] = [snippet(con, text, stems) for text in frame.pop("text")]
    return frame


def query_stems(con: duckdb.DuckDBPyConnection, words: str) -> set[str]:
    """Russian stems of the query's words, as the index computes them."""
    tokens = [w.lower() for w in _WORD.findall(words)]
    rows = con.execute("SELECT stem(unnest($t), 'russian')", {"t": tokens}).fetchall()
    return {r[0] for r in rows}


def snippet(con: duckdb.DuckDBPyConnection, text: str, stems: set[str], width: int = SNIPPET_CHARS) -> str:
    """A window of ``text`` around the first query match, matches wrapped in «[…]»."""
    words = list(_WORD.finditer(text))
    if not words:
        return ""
    distinct = sorted({m.group().lower() for m in words})
    stem_of = dict(zip(distinct, (r[0] for r in con.execute("SELECT stem(unnest($t), 'russian')", {"t": distinct}).fetchall())))
    hits = [m for m in words if stem_of[m.group().lower()] in stems]
    centre = hits[0].start() if hits else 0
    start = max(0, centre - width // 3)
    end = min(len(text), start + width)
    out, cursor = [], start
    for m in hits:
        if m.start() >= start and m.end() <= end:
            out.append(text[cursor:m.start()] + "[" + m.group() + "]")
            cursor = m.end()
    out.append(text[cursor:end])
    body = "".join(out).replace("\n", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
