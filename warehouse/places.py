"""Places in the warehouse: linking the run's LOC entities to GeoNames and publishing the links.

After entity resolution has staged the new and changed entities, :func:`stage_places` reads those
of type LOC (and any LOC entity without a link of this linker version) with the other place names
of their documents (``dml/place_candidates.sql``), links those whose basis (name, aliases, context
countries) or linker version changed since their stored link
(``extractors.places.link_places``), and stages the links in ``stg_places``. :func:`publish_places`
(``dml/publish_places.sql``) makes them visible in the run's publish transaction, after the entities.
"""
from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from newsetl.extractors.places import LINKER_VERSION, PlaceLink, PlaceQuery, link_basis, link_places
from newsetl.warehouse.db import execute_script, insert_frame, read_dml

PLACE_COLUMNS = ["entity_id", "geonameid", "name", "country_code", "latitude", "longitude", "feature",
                 "population", "confidence", "linker_version", "link_basis"]


def _names(value: Any) -> tuple[str, ...]:
    """A DuckDB list column value (list, array or None) as a tuple of names."""
    return tuple(value) if value is not None else ()


def stale_queries(frame: pd.DataFrame) -> list[tuple[str, PlaceQuery, str]]:
    """``(entity_id, query, basis)`` of the candidates whose stored link is missing or out of date."""
    stale = []
    for row in frame.to_dict("records"):
        query = PlaceQuery(row["canonical_name"], _names(row["aliases"]), _names(row["context"]))
        basis = link_basis(query)
        if row["link_basis"] != basis or row["linker_version"] != LINKER_VERSION:
            stale.append((row["entity_id"], query, basis))
    return stale


def place_row(entity_id: str, link: PlaceLink, basis: str) -> dict[str, Any]:
    """The ``places`` row of one link (NULL fields when the place is not linked)."""
    return {"entity_id": entity_id, "geonameid": link.geonameid, "name": link.name,
            "country_code": link.country_code, "latitude": link.latitude, "longitude": link.longitude,
            "feature": link.feature, "population": link.population, "confidence": link.confidence,
            "linker_version": LINKER_VERSION, "link_basis": basis}


def stage_places(con: duckdb.DuckDBPyConnection) -> int:
    """Link the LOC entities that are new or changed (or lack a link of this linker version) and
    stage their rows in ``stg_places``.

    Call after entity resolution, on the writer connection: it reads ``stg_entities`` and
    ``stg_key_map`` (a full rebuild or a delta, over the published ``entities`` and
    ``entity_keys``) and the run's ``stg_mentions`` and ``stg_document_runs``. Returns how many
    entities were linked again.
    """
    candidates = con.execute(read_dml("place_candidates"), {"linker_version": LINKER_VERSION}).df()
    stale = stale_queries(candidates)
    links = link_places([query for _, query, _ in stale])
    rows = [place_row(entity_id, link, basis) for (entity_id, _, basis), link in zip(stale, links)]
    con.execute("DELETE FROM stg_places")
    insert_frame(con, "stg_places", pd.DataFrame(rows, columns=PLACE_COLUMNS))
    return len(rows)


def publish_places(con: duckdb.DuckDBPyConnection) -> None:
    """Publish the staged links; run inside the publish transaction, after the entities."""
    execute_script(con, read_dml("publish_places"))


def audit_places_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The staged links with the computed flags the ``places`` suite checks."""
    return con.execute(read_dml("audit_places")).df()
