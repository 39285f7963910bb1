"""Full-text search: BM25 over titles and texts with the Russian Snowball stemmer.

The index is a pair of tables (``search_docs``: what each indexed document was and its length;
``search_postings``: its stemmed term frequencies), kept in step with ``documents`` one document at
a time, so keeping it fresh costs what the changed documents cost. Document frequencies, N and the
average length are aggregated at query time, so scores are exact over the whole corpus: they equal
DuckDB fts's ``match_bm25`` (k1 = 1.2, b = 0.75). The fts extension (loaded from the
``duckdb-extension-fts`` package) only provides ``stem``. Queries and filters reach SQL only as
bound parameters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, TypeVar

import duckdb
import pandas as pd

from newsetl.warehouse.db import execute_script, load_fts, read_dml, transaction

MAX_QUERY_CHARS = 1000
SNIPPET_CHARS = 220
_WORD = re.compile(r"\w+", re.UNICODE)
T = TypeVar("T")


@dataclass(frozen=True)
class SearchFilters:
    """Optional filters: publication date range, source, language, an entity's name or alias."""

    date_from: date | None = None
    date_to: date | None = None
    source: str | None = None
    language: str | None = None
    entity: str | None = None


def refresh_index(con: duckdb.DuckDBPyConnection, own_transaction: bool = True) -> int:
    """Bring the index up to date with ``documents``; returns the number of documents (re)indexed or removed.

    Finds what the index does not cover as published (missing, changed text or title, deleted) and
    reindexes exactly those, in one transaction (the caller's when ``own_transaction`` is false, for
    example publish's, so documents and their index entries become visible together). Safe to call
    at any time, after any crash.
    """
    return _in_transaction(con, _refresh) if own_transaction else _refresh(con)


def index_documents(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str], own_transaction: bool = True,
                    from_staging: bool = False) -> int:
    """(Re)index exactly ``doc_ids``: their old entries go, the published ones come back; returns how many.
    ``from_staging``: read their text from ``stg_documents`` (publish, whose staged rows are the ones it
    publishes: only the window's text is read, not the published text column, which grows with the
    warehouse)."""
    def reindex(c: duckdb.DuckDBPyConnection) -> int:
        return _reindex(c, _batch(c, doc_ids), "stg_documents" if from_staging else "documents")
    return _in_transaction(con, reindex) if own_transaction else reindex(con)


def unindex_documents(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str]) -> int:
    """Remove ``doc_ids`` from the index; returns how many ids were given."""
    def unindex(c: duckdb.DuckDBPyConnection) -> int:
        n = _batch(c, doc_ids)
        execute_script(c, read_dml("search_unindex"))
        return n
    return _in_transaction(con, unindex)


def reindex_all(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild the whole index from ``documents`` (for repair and comparisons); returns the documents indexed."""
    def rebuild(c: duckdb.DuckDBPyConnection) -> int:
        c.execute("DELETE FROM search_postings")
        c.execute("DELETE FROM search_docs")
        return _refresh(c)
    return _in_transaction(con, rebuild)


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index covers exactly the published documents, each at its published text and title."""
    return not con.execute("SELECT EXISTS (SELECT 1 FROM v_search_stale)").fetchone()[0]


def _refresh(con: duckdb.DuckDBPyConnection) -> int:
    """Reindex what ``search_stale`` finds (inside the caller's transaction)."""
    execute_script(con, read_dml("search_stale"))
    n = con.execute("SELECT count(*) FROM search_batch").fetchone()[0]
    return _reindex(con, n) if n else 0


def _batch(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str]) -> int:
    """Put the distinct ``doc_ids`` into the temporary table ``search_batch``; returns how many."""
    ids = sorted({str(d) for d in doc_ids})
    con.execute("CREATE OR REPLACE TEMP TABLE search_batch AS SELECT unnest($ids::VARCHAR[]) AS doc_id", {"ids": ids})
    return len(ids)


def _reindex(con: duckdb.DuckDBPyConnection, n: int, texts: str = "documents") -> int:
    """Unindex the documents of ``search_batch`` and index them again from the table ``texts``
    (``documents``: the published ones); returns ``n``."""
    load_fts(con)
    execute_script(con, read_dml("search_unindex"))
    execute_script(con, read_dml("search_index").format(texts=texts))
    return n


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run ``work`` in one transaction: all of it or none of it is visible."""
    with transaction(con):
        return work(con)


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has the search tables and macro (any warehouse a writer has opened)."""
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'search_bm25'"
    ).fetchone()[0])


def clean_query(query: str) -> str:
    """The words of a user query, bounded in length (quotes and SQL syntax are just characters)."""
    return " ".join(_WORD.findall(query[:MAX_QUERY_CHARS])).strip()


def search(con: duckdb.DuckDBPyConnection, query: str, filters: SearchFilters = SearchFilters(),
           limit: int = 20) -> pd.DataFrame:
    """Ranked documents for ``query`` with title, date, source, score and a highlighted snippet."""
    load_fts(con)
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
