"""Stories in the warehouse: staging a run's near-duplicates and story assignments, and the
``newsetl stories`` query.

The ingest stages ``stg_doc_signatures`` and ``stg_doc_bands`` with the other records of each
document (the worker computes them). After entity resolution, :func:`stage_stories` finds the
candidates with a band-key join (``dml/story_candidates.sql``), assigns every staged document
(``extractors.stories.assign_stories``), and stages the touched stories (``dml/stage_stories.sql``).
``dml/publish_stories.sql`` publishes them in the run's publish transaction.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from newsetl.extractors.stories import STORIES_VERSION, STORY, Assignment, StoryDoc, StoryParams, assign_stories
from newsetl.warehouse.db import execute_script, insert_frame, read_sql



def _timestamp(value: Any) -> Any:
    """A pandas/NumPy timestamp as a naive ``datetime``; missing values as None."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).to_pydatetime()


def signature_array(values: Any) -> np.ndarray:
    """A stored signature as a compact array (1 KB for 256 values; a list of ints takes ~10 KB)."""
    return np.asarray(values, dtype=np.uint32)


def story_docs(frame: pd.DataFrame) -> list[StoryDoc]:
    """StoryDocs from the rows of ``dml/story_new_docs.sql`` or ``dml/story_candidates.sql``."""
    docs = []
    for row in frame.to_dict("records"):
        docs.append(StoryDoc(
            doc_id=row["doc_id"], signature=signature_array(row["signature"]),
            word_signature=signature_array(row["word_signature"]),
            n_shingles=int(row["n_shingles"]), published_at=_timestamp(row["published_at"]),
            seen_at=_timestamp(row["seen_at"]), entity_ids=frozenset(row["entity_ids"]),
            content_hash=row["content_hash"], story_id=row.get("story_id"),
        ))
    return docs


def new_docs(con: duckdb.DuckDBPyConnection, run_id: str) -> list[StoryDoc]:
    """The run's staged documents with their signatures and entity ids."""
    return story_docs(con.execute(read_sql("dml/story_new_docs.sql"), {"run_id": run_id}).df())


def candidates(con: duckdb.DuckDBPyConnection, run_id: str, params: StoryParams = STORY) -> list[StoryDoc]:
    """Published documents that may be near-duplicates of, or in a story with, a staged one."""
    frame = con.execute(read_sql("dml/story_candidates.sql"), {
        "run_id": run_id, "stories_version": STORIES_VERSION, "window_days": params.window_days,
        "min_shared": params.min_shared_entities, "max_entity_candidates": params.max_entity_candidates,
    }).df()
    return story_docs(frame)


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
    assignments = assign_stories(new_docs(con, run_id), candidates(con, run_id, params), params)
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
