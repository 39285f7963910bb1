"""Entity resolution scaling: resolving a 20-document run into a warehouse of 1k vs 10k documents.

Builds each warehouse by inserting synthetic documents, mentions and acronym definitions directly
(no NLP): every document mentions ~25 keys drawn from a long-tailed vocabulary that grows with the
corpus (persons with full names, bare surnames and initials; organisations, acronyms with their
definitions, some well-known; places), so popular entities sit in many documents, as in news. The
warehouse is resolved once from scratch, as the first run of an upgraded warehouse does. Then,
``--repeats`` times and interleaved between the two sizes, 20 new documents (and 2 updates of
published ones) are staged and timed through:

- ``delta``: ``resolve_entities`` (the keys the run can affect) + ``publish_entities.sql``;
- ``rebuild``: ``rebuild_entities`` (every key of the corpus, what each run did before) + its
  publish, rolled back.

The new documents of a run are the same in both warehouses (drawn from the vocabulary they
share); the updated ones are two of each warehouse's own. The publish of the documents and their
records is done but not timed: only ``publish_entities.sql`` is.

Not a test: it prints numbers (median milliseconds, the 10k/1k ratio, keys re-resolved) and never
fails on speed.

    .venv/bin/python bench/entity_scaling.py [--sizes 1000 10000] [--new 20] [--repeats 5]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from newsetl.extractors.entities.norm import phrase_key
from newsetl.extractors.entities.known_acronyms import KNOWN_ACRONYMS
from newsetl.warehouse.db import execute_script, insert_frame, read_dml, writer
from newsetl.warehouse.entities import clear_resolution, last_resolution, rebuild_entities, resolve_entities
from newsetl.warehouse.runs import clear_staging

MENTIONS_PER_DOC = 25
DEFINITIONS_PER_DOC = 0.5
RIVAL_READING = 0.05  # how often a definition gives an acronym's other long form
DAY0 = datetime(2025, 1, 1)
SYLLABLES = ["ка", "ло", "ми", "ре", "ту", "на", "во", "се", "ди", "ра", "бе", "жу", "фа", "ше", "цо"]
KNOWN = sorted(KNOWN_ACRONYMS)
# What each delta resolution did (``last_resolution``), reported per run.
COUNTS = ("keys_touched", "keys_resolved", "entities_recomputed", "entities_from_mentions")


def word(i: int, length: int = 3) -> str:
    """A pronounceable Cyrillic word numbered ``i`` (distinct for distinct ``i``)."""
    parts = []
    for _ in range(length):
        parts.append(SYLLABLES[i % len(SYLLABLES)])
        i //= len(SYLLABLES)
    return "".join(parts) + (str(i) if i else "")


def vocabulary_entry(rank: int) -> tuple[str, str, str]:
    """(type, key, normal form) of the vocabulary's entry ``rank`` (0 = the most frequent)."""
    kind = rank % 10
    if kind < 3:  # a person with a full name
        surname, given = word(rank // 10), word(rank // 7 + 1, 2)
        return "PER", f"PER:{surname} {given}", f"{given.title()} {surname.title()}"
    if kind == 3:  # a bare surname, resolvable when that surname has one full name
        surname = word((rank // 10) * 3 // 2)
        return "PER", f"PER:{surname}", surname.title()
    if kind == 4:  # initials and surname
        surname = word(rank // 10)
        return "PER", f"PER:{surname} {word(rank // 7 + 1, 2)[0]}.", f"{word(rank // 7 + 1, 2)[0].upper()}. {surname.title()}"
    if kind in (5, 6):  # an organisation by name
        name = f"{word(rank, 2).title()} {word(rank // 3 + 7)}"
        return "ORG", phrase_key("ORG", name), name
    if kind == 7:  # an acronym (a well-known one among the most frequent)
        short = KNOWN[rank // 10] if rank // 10 < len(KNOWN) else word(rank, 2).upper()
        return "ORG", phrase_key("ORG", short), short
    name = word(rank, 2).title()
    return "LOC", phrase_key("LOC", name), name


def draw_ranks(rng: np.random.Generator, vocabulary: int, n: int) -> np.ndarray:
    """``n`` vocabulary ranks from a long-tailed (Zipf-like) distribution over ``vocabulary`` entries."""
    return np.minimum((rng.pareto(1.1, n) * vocabulary / 50).astype(int), vocabulary - 1)


def synthetic_rows(rng: np.random.Generator, doc_ids: list[str], vocabulary: int) -> dict[str, pd.DataFrame]:
    """Documents, mentions and acronym definitions of ``doc_ids``."""
    documents, mentions, acronyms = [], [], []
    for doc_id in doc_ids:
        published = DAY0 + timedelta(hours=int(rng.integers(0, 24 * 365)))
        body = f"Синтетический текст {doc_id}."
        documents.append({"doc_id": doc_id, "source_id": doc_id, "source_uri": doc_id, "format": "jsonl",
                          "raw_hash": f"raw-{doc_id}", "content_hash": f"content-{doc_id}-{rng.integers(1 << 30)}",
                          "published_at": published, "published_at_evidence": "jsonl_field", "text": body,
                          "n_chars": len(body), "n_words": 2, "extractor_version": "bench", "version": 1,
                          "first_seen_run": "bench", "last_seen_run": "bench"})
        for number, rank in enumerate(draw_ranks(rng, vocabulary, MENTIONS_PER_DOC)):
            kind, key, normal = vocabulary_entry(int(rank))
            mentions.append({"doc_id": doc_id, "char_start": 10 * number, "char_end": 10 * number + 5, "type": kind,
                             "surface": normal, "normal": normal, "sentence_no": number // 3, "key": key,
                             "entity_id": "", "extractor_version": "bench"})
        for number in range(rng.poisson(DEFINITIONS_PER_DOC)):
            rank = int(draw_ranks(rng, vocabulary, 1)[0]) // 10 * 10 + 7
            short = vocabulary_entry(rank)[2]
            reading = int(rng.random() < RIVAL_READING)  # one reading dominates, as in news
            long_normal = f"{word(rank, 2).title()} {word(rank // 3 + 11)} {word(reading + rank)}"
            acronyms.append({"doc_id": doc_id, "short_form": short, "long_form": long_normal,
                             "long_normal": long_normal, "key": phrase_key("ORG", long_normal), "entity_id": "",
                             "short_start": 1000 + 100 * number, "short_end": 1000 + 100 * number + len(short),
                             "long_start": 2000 + 100 * number, "long_end": 2000 + 100 * number + len(long_normal),
                             "extractor_version": "bench"})
    return {"documents": pd.DataFrame(documents), "mentions": pd.DataFrame(mentions),
            "acronyms": pd.DataFrame(acronyms)}


def doc_id(name: str) -> str:
    """A document id shaped like the real ones (a hash), so no scan can skip rows by id range."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def build_warehouse(path: Path, n_docs: int, seed: int) -> dict:
    """A warehouse of ``n_docs`` synthetic documents, resolved once from scratch."""
    rng = np.random.default_rng(seed)
    vocabulary = 4 * n_docs + 2000
    with writer(path) as con:
        for first in range(0, n_docs, 2000):
            ids = [doc_id(f"d{k}") for k in range(first, min(first + 2000, n_docs))]
            for table, frame in synthetic_rows(rng, ids, vocabulary).items():
                insert_frame(con, table, frame)
        clear_staging(con)
        started = time.perf_counter()
        rebuild_entities(con)
        execute_script(con, read_dml("publish_entities"))
        clear_staging(con)
        sizes = con.execute("""SELECT (SELECT count(*) FROM mentions), (SELECT count(*) FROM acronyms),
                                      (SELECT count(*) FROM entity_keys), (SELECT count(*) FROM entities)""").fetchone()
    return {"docs": n_docs, "vocabulary": vocabulary, "mentions": sizes[0], "acronyms": sizes[1],
            "live_keys": sizes[2], "entities": sizes[3], "first_resolution_s": round(time.perf_counter() - started, 2)}


def stage_run(con, rng: np.random.Generator, run: str, n_new: int, n_docs: int, vocabulary: int) -> None:
    """Stage ``n_new`` new documents (drawn from the first ``vocabulary`` entries) and new versions
    of two published ones (other mentions, the same date: the same article, edited)."""
    updated = [doc_id(f"d{int(k)}") for k in rng.choice(n_docs, 2, replace=False)]
    ids = [doc_id(f"{run}-{k}") for k in range(n_new)] + updated
    rows = synthetic_rows(rng, ids, vocabulary)
    dates = dict(con.execute("SELECT doc_id, published_at FROM documents WHERE doc_id IN (SELECT unnest(?))",
                             [updated]).fetchall())
    documents = rows["documents"]
    documents["published_at"] = [dates.get(d, p) for d, p in zip(documents["doc_id"], documents["published_at"])]
    insert_frame(con, "stg_documents", documents)
    insert_frame(con, "stg_document_runs", pd.DataFrame(
        {"run_id": run, "doc_id": ids, "outcome": ["new"] * n_new + ["updated"] * len(updated)}))
    insert_frame(con, "stg_mentions", rows["mentions"])
    insert_frame(con, "stg_acronyms", rows["acronyms"])


def publish_records(con) -> None:
    """Publish the staged documents and their mentions and acronyms (in the caller's transaction)."""
    for table in ("documents", "mentions", "acronyms"):
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM stg_document_runs)")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM stg_{table}")


def timed(work) -> float:
    """Seconds that ``work()`` takes."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def time_publish(con, keep: bool) -> float:
    """Publish the records, then time ``publish_entities.sql``; commit if ``keep``, else roll back."""
    con.execute("BEGIN TRANSACTION")
    publish_records(con)
    seconds = timed(lambda: execute_script(con, read_dml("publish_entities")))
    con.execute("COMMIT" if keep else "ROLLBACK")
    return seconds


def measure_run(path: Path, info: dict, rep: int, n_new: int, run_vocabulary: int) -> dict:
    """Stage one run (the same new documents whatever the warehouse); time the rebuild (its publish
    rolled back) and the delta (published)."""
    times = {}
    with writer(path) as con:
        stage_run(con, np.random.default_rng(rep), f"r{rep}", n_new, info["docs"], run_vocabulary)
        times["rebuild_resolve"] = timed(lambda: rebuild_entities(con))
        times["rebuild_publish"] = time_publish(con, keep=False)
        clear_resolution(con)  # untimed: emptying the rebuild's staging is no part of the delta
        con.execute("CHECKPOINT")
        times["delta_resolve"] = timed(lambda: resolve_entities(con))
        stats = last_resolution(con)
        times["delta_publish"] = time_publish(con, keep=True)
        clear_staging(con)
    times["rebuild_total"] = times["rebuild_resolve"] + times["rebuild_publish"]
    times["delta_total"] = times["delta_resolve"] + times["delta_publish"]
    return {"times": times, **{key: stats[key] for key in COUNTS}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1000, 10000])
    parser.add_argument("--new", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    small, big = args.sizes
    with tempfile.TemporaryDirectory(prefix="newsetl-entity-bench-") as folder:
        paths = {small: Path(folder) / f"w{small}.duckdb", big: Path(folder) / f"w{big}.duckdb"}
        infos = {n: build_warehouse(paths[n], n, seed=n) for n in (small, big)}
        runs = {small: [], big: []}
        for rep in range(args.repeats):  # interleaved, so that load from other processes hits both alike
            for n in (small, big):
                runs[n].append(measure_run(paths[n], infos[n], rep, args.new, infos[small]["vocabulary"]))
    results = {"warehouses": list(infos.values()), "new_docs_per_run": args.new, "updated_docs_per_run": 2}
    for key in runs[small][0]["times"]:
        a = [r["times"][key] for r in runs[small]]
        b = [r["times"][key] for r in runs[big]]
        results[key] = {f"{small}_ms": round(1000 * statistics.median(a), 1),
                        f"{big}_ms": round(1000 * statistics.median(b), 1),
                        "ratio": round(statistics.median(b) / statistics.median(a), 2)}
    for key in COUNTS:
        results[key] = {str(n): [r[key] for r in runs[n]] for n in (small, big)}
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
