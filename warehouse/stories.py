"""Stories in the warehouse: staging a run's near-duplicates and story assignments, and the
``newsetl stories`` query.

The ingest stages ``stg_doc_signatures`` and ``stg_doc_bands`` with the other records of each
document (the worker computes them). After entity resolution, :func:`stage_stories` finds each
staged document's published candidates (a band-key join, or shared entities inside the window:
``dml/story_candidate_pairs.sql``), assigns the staged documents chunk by chunk with only that
chunk's candidates loaded (``dml/story_candidates.sql``, ``extractors.stories.StoryAssigner``; what
they need besides their signatures is gathered once per window, ``dml/story_window.sql``), and
stages the touched stories (``dml/stage_stories.sql``).
``dml/publish_stories.sql`` publishes them in the run's publish transaction.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from newsetl.extractors.stories import (
    STORIES_VERSION, STORY, Assignment, StoryAssigner, StoryDoc, StoryParams, processing_order)
from newsetl.warehouse.db import execute_script, insert_frame, read_sql, registered


# Published candidates loaded per chunk of staged documents: a chunk's candidates as StoryDocs
# (their signatures and entity sets) are all that is held in Python at a time, so that the step's
# Python memory depends neither on the warehouse nor on the window. Small warehouses give few
# candidates per document and so large chunks; at 20k documents a window's document meets ~35, and
# chunks of ~100 documents (3,500 candidates) peaked 100 MB below chunks of 250 (8,700), the
# stories step's share of the main process's peak. The window's candidates without their
# signatures (dates, entity ids, story: at most 100 rows per staged document) sit in DuckDB for
# the step: 11 MB for the 19,515 candidates of a 2,000-document window at 20k documents, where the
# chunks' own scans of every published mention and document took half of the step.
CHUNK_CANDIDATES = 3500


def _list_rows(column: pa.ChunkedArray) -> list[np.ndarray]:
    """The rows of an Arrow ``list<uint32>`` column as uint32 arrays, views of one buffer (no
    Python integers are made)."""
    lists = column.combine_chunks()
    offsets = lists.offsets.to_numpy()
    values = lists.values.to_numpy(zero_copy_only=False).astype(np.uint32, copy=False)
    return [values[offsets[i]:offsets[i + 1]] for i in range(len(lists))]


def story_docs(table: pa.Table) -> list[StoryDoc]:
    """StoryDocs from the rows of ``dml/story_new_docs.sql`` or ``dml/story_candidates.sql``."""
    columns = {name: table.column(name).to_pylist() for name in table.column_names
               if name not in ("signature", "word_signature")}
    signatures, word_signatures = _list_rows(table.column("signature")), _list_rows(table.column("word_signature"))
    story_ids = columns.get("story_id", [None] * table.num_rows)
    return [StoryDoc(doc_id=columns["doc_id"][i], signature=signatures[i], word_signature=word_signatures[i],
                     n_shingles=int(columns["n_shingles"][i]), published_at=columns["published_at"][i],
                     seen_at=columns["seen_at"][i], entity_ids=frozenset(columns["entity_ids"][i]),
                     content_hash=columns["content_hash"][i], story_id=story_ids[i])
            for i in range(table.num_rows)]


def new_docs(con: duckdb.DuckDBPyConnection, run_id: str) -> list[StoryDoc]:
    """The run's staged documents with their signatures and entity ids."""
    return story_docs(con.execute(read_sql("dml/story_new_docs.sql"), {"run_id": run_id}).to_arrow_table())


def candidate_pairs(con: duckdb.DuckDBPyConnection, run_id: str, params: StoryParams = STORY) -> dict[str, list[str]]:
    """For each staged document, the published documents it is compared with (doc ids, sorted)."""
    rows = con.execute(read_sql("dml/story_candidate_pairs.sql"), {
        "run_id": run_id, "stories_version": STORIES_VERSION, "window_days": params.window_days,
        "min_shared": params.min_shared_entities, "max_entity_candidates": params.max_entity_candidates,
        "max_band_candidates": params.max_band_candidates,
    }).fetchall()
    pairs: dict[str, list[str]] = {}
    for new_doc, doc_id in rows:
        pairs.setdefault(new_doc, []).append(doc_id)
    return pairs


def paired_candidates(pairs: dict[str, list[str]]) -> set[str]:
    """Every published document some staged one is paired with in ``pairs``."""
    return {doc_id for candidates_of_doc in pairs.values() for doc_id in candidates_of_doc}


def _wanted(doc_ids: Iterable[str]) -> pa.Table:
    """The distinct ``doc_ids`` as the one-column Arrow table ``story_wanted``."""
    return pa.table({"doc_id": pa.array(sorted(set(doc_ids)), pa.string())})


@contextmanager
def window_candidates(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str]) -> Iterator[None]:
    """The published documents ``doc_ids`` without their signatures (entity ids through the run's
    ``stg_key_map``) in the temporary table ``story_window`` for the block, which
    :func:`published_candidates` reads. If the block fails, the connection's end drops the table
    (a failed transaction accepts no statement before its rollback)."""
    with registered(con, "story_wanted", _wanted(doc_ids)):
        con.execute(read_sql("dml/story_window.sql"))
    yield
    con.execute("DROP TABLE story_window")


def published_candidates(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str]) -> list[StoryDoc]:
    """The published documents ``doc_ids`` as story clustering sees them; each must be in the
    current :func:`window_candidates`."""
    with registered(con, "story_wanted", _wanted(doc_ids)):
        return story_docs(con.execute(read_sql("dml/story_candidates.sql")).to_arrow_table())


def candidates(con: duckdb.DuckDBPyConnection, run_id: str, params: StoryParams = STORY) -> list[StoryDoc]:
    """Every published document that one of the staged ones is compared with."""
    ids = paired_candidates(candidate_pairs(con, run_id, params))
    with window_candidates(con, ids):
        return published_candidates(con, ids)


def chunks(ordered: list[StoryDoc], pairs: dict[str, list[str]], max_candidates: int) -> Iterator[list[StoryDoc]]:
    """``ordered`` cut into consecutive chunks whose distinct candidates (``pairs``) number at most
    ``max_candidates``; a document with more candidates than that makes a chunk alone."""
    chunk: list[StoryDoc] = []
    seen: set[str] = set()
    for doc in ordered:
        found = set(pairs.get(doc.doc_id, ()))
        new = found - seen
        if chunk and len(seen) + len(new) > max_candidates:
            yield chunk
            chunk, seen, new = [], set(), found
        chunk.append(doc)
        seen |= new
    if chunk:
        yield chunk


def assign_staged(con: duckdb.DuckDBPyConnection, run_id: str, params: StoryParams = STORY,
                  max_candidates: int = CHUNK_CANDIDATES) -> list[Assignment]:
    """Assign the run's staged documents in processing order, a chunk at a time (:func:`chunks`,
    at most ``max_candidates`` published candidates loaded), each against its own published
    candidates (:func:`candidate_pairs`) and the earlier staged ones."""
    pairs, assigner, assignments = candidate_pairs(con, run_id, params), StoryAssigner(params), []
    with window_candidates(con, paired_candidates(pairs)):
        for chunk in chunks(processing_order(new_docs(con, run_id)), pairs, max_candidates):
            found = {c.doc_id: c for c in published_candidates(con, (c for d in chunk for c in pairs.get(d.doc_id, ())))}
            assignments += [assigner.assign(doc, [found[c] for c in pairs.get(doc.doc_id, ())])
                            for doc in chunk]
    return assignments


def assignment_frames(assignments: list[Assignment], run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``stg_story_documents`` and ``stg_near_duplicates`` rows of the assignments."""
    members = pd.DataFrame(
        [(a.story_id, a.doc_id, a.story_similarity, False, run_id) for a in assignments],
        columns=["story_id", "doc_id", "similarity", "is_first", "run_id"],
    )
    copies = pd.DataFrame(
        [(a.doc_id, a.near_duplicate_of, a.near_duplicate_similarity, run_id, STORIES_VERSION)
         for a in assignments if a.near_duplicate_of],
        columns=["doc_id", "near_duplicate_of", "similarity", "run_id", "stories_version"],
    )
    return members, copies


def stage_stories(con: duckdb.DuckDBPyConnection, run_id: str, params: StoryParams = STORY) -> list[Assignment]:
    """Assign the run's staged documents to stories and stage the stories they touch.

    Needs ``stg_documents``, ``stg_doc_signatures``, ``stg_doc_bands``, ``stg_mentions`` and
    ``stg_key_map`` of the run; fills ``stg_story_documents``, ``stg_near_duplicates`` and
    ``stg_stories``. Returns the assignments (for logging and tests).
    """
    assignments = assign_staged(con, run_id, params)
    members, copies = assignment_frames(assignments, run_id)
    con.execute("DELETE FROM stg_story_documents")
    con.execute("DELETE FROM stg_near_duplicates")
    insert_frame(con, "stg_story_documents", members)
    insert_frame(con, "stg_near_duplicates", copies)
    execute_script(con, read_sql("dml/stage_stories.sql"), {"run_id": run_id})
    return assignments


def publish_stories(con: duckdb.DuckDBPyConnection) -> None:
    """Publish the staged signatures, bands, near-duplicates and stories (inside the publish
    transaction, after documents and entities)."""
    execute_script(con, read_sql("dml/publish_stories.sql"))


def latest_stories(con: duckdb.DuckDBPyConnection, date_from: date | None = None, date_to: date | None = None,
                   entity: str | None = None, limit: int = 20) -> pd.DataFrame:
    """The latest stories with their sizes and sources; NULL filters are ignored."""
    return con.execute(read_sql("dml/latest_stories.sql"),
                       {"date_from": date_from, "date_to": date_to, "entity": entity, "limit": limit}).df()
