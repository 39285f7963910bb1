"""Search index scaling: the cost of indexing 20 new documents into a 50k-document warehouse vs an empty one.

Builds a warehouse of ``--docs`` documents from the factRuEval texts (each copy with its own title
and an edition sentence, so every copy is a distinct document with a few terms of its own), indexes
it in bulk, then, ``--repeats`` times, publishes 20 new documents and times ``index_documents`` of
their ids, and publishes 20 more and times ``refresh_index`` (the stale check and the indexing),
alone and with the writer connection open/close the flow pays. The same is measured on an empty
warehouse, interleaved. Also reports the bulk index time, the query time of
``search_documents`` and, for comparison, the time of the fts extension's full rebuild.
Not a test: it prints numbers and never fails on speed.

    .venv/bin/python bench/search_scaling.py [--docs 50000] [--new 20] [--repeats 5] [--skip-fts]
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from newsetl.warehouse import search
from newsetl.warehouse.db import writer

REPO = Path(__file__).resolve().parent.parent
FACTRU = REPO / "tests" / "data" / "factru-dev" / "documents.jsonl"
QUERIES = ["президент россии", "послужного списка", "министерство обороны", "москва"]
FTS_PRAGMA = ("PRAGMA create_fts_index('documents', 'doc_id', 'title', 'text', stemmer='russian', "
              "stopwords='none', strip_accents=0, lower=1, ignore='(\\.|[^a-zа-яё0-9])+', overwrite=1)")


def base_texts() -> list[str]:
    """The factRuEval texts, in file order."""
    return [json.loads(line)["text"] for line in FACTRU.read_text(encoding="utf-8").splitlines() if line.strip()]


def publish_copies(con, texts: list[str], first: int, n: int, tag: str) -> None:
    """Insert ``n`` documents (copies ``first``..``first + n - 1`` of the texts, cycled) into ``documents``."""
    con.execute("CREATE OR REPLACE TEMP TABLE bench_base AS SELECT unnest($t) AS text, generate_subscripts($t, 1) - 1 AS i",
                {"t": texts})
    con.execute(
        """INSERT INTO documents (doc_id, source_id, source_uri, format, raw_hash, content_hash, title,
                                  published_at_evidence, text, n_chars, n_words, extractor_version,
                                  first_seen_run, last_seen_run)
           SELECT doc_id, doc_id, doc_id, 'jsonl', md5(body), sha256(body), title, 'none', body,
                  length(body), 0, 'bench', 'bench', 'bench'
           FROM (SELECT $tag || '-' || k AS doc_id, 'Заметка ' || $tag || ' ' || k AS title,
                        b.text || chr(10) || 'Выпуск ' || k || '.' AS body
                 FROM range($first, $first + $n) AS r(k)
                 JOIN bench_base AS b ON b.i = k % (SELECT count(*) FROM bench_base))""",
        {"tag": tag, "first": first, "n": n},
    )


def timed(work) -> float:
    """Seconds that ``work()`` takes."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure_new(path: Path, texts: list[str], n_new: int, rep: int) -> dict[str, float]:
    """Publish ``n_new`` documents twice: time ``index_documents`` of their ids, then ``refresh_index``
    alone and with the writer's open/close (the checkpoint on close included)."""
    times = {}
    with writer(path) as con:
        publish_copies(con, texts, 0, n_new, f"ids{rep}")
        ids = [f"ids{rep}-{k}" for k in range(n_new)]
        times["index_documents"] = timed(lambda: search.index_documents(con, ids))
        publish_copies(con, texts, 0, n_new, f"new{rep}")
    start = time.perf_counter()
    with writer(path) as con:
        times["refresh_index"] = timed(lambda: search.refresh_index(con))
        assert search.index_is_current(con)
    times["refresh_index_with_open_close"] = time.perf_counter() - start
    return times


def query_times(path: Path) -> dict[str, float]:
    """Milliseconds of ``search_documents`` per query (median of 3)."""
    with writer(path) as con:
        return {q: 1000 * statistics.median(timed(lambda: con.execute(
            "SELECT doc_id, score FROM search_documents(?, NULL, NULL, NULL, NULL, NULL) LIMIT 20", [q]).fetchall())
            for _ in range(3)) for q in QUERIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--new", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-fts", action="store_true", help="skip the fts extension's full rebuild")
    args = parser.parse_args()
    texts = base_texts()
    folder = Path(tempfile.mkdtemp(prefix="newsetl-search-bench-"))
    empty, big = folder / "empty.duckdb", folder / "big.duckdb"
    with writer(big) as con:
        publish_copies(con, texts, 0, args.docs, "base")
        bulk = timed(lambda: search.refresh_index(con))
        sizes = con.execute("SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM search_postings)").fetchone()
    results = {"docs": args.docs, "bulk_index_s": round(bulk, 2), "indexed_docs": sizes[0], "postings": sizes[1]}
    runs = {"empty": [], "big": []}
    for rep in range(args.repeats):  # interleaved, so that load from other processes hits both alike
        runs["empty"].append(measure_new(empty, texts, args.new, rep))
        runs["big"].append(measure_new(big, texts, args.new, rep))
    for key in runs["empty"][0]:
        e = [r[key] for r in runs["empty"]]
        b = [r[key] for r in runs["big"]]
        results[key] = {"empty_ms": round(1000 * statistics.median(e), 1),
                        f"{args.docs}_ms": round(1000 * statistics.median(b), 1),
                        "ratio": round(statistics.median(b) / statistics.median(e), 2),
                        "runs_empty_ms": [round(1000 * x, 1) for x in e],
                        f"runs_{args.docs}_ms": [round(1000 * x, 1) for x in b]}
    results["query_ms"] = {q: round(ms, 1) for q, ms in query_times(big).items()}
    if not args.skip_fts:
        with writer(big) as con:
            results["fts_full_rebuild_s"] = round(timed(lambda: con.execute(FTS_PRAGMA)), 2)
            con.execute("DROP SCHEMA fts_main_documents CASCADE")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
