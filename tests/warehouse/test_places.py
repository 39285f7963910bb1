"""The places DDL, ``v_places``, staging and publishing on an in-memory warehouse.

Runs are simulated: each stages documents and their mentions, resolves entities with the real
``warehouse.entities.resolve_entities``, links places with ``stage_places`` and publishes
documents, mentions, entities and places the way the publish step does.
"""
from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from newsetl.extractors.entities.norm import phrase_key
from newsetl.extractors.places import LINKER_VERSION
from newsetl.warehouse.db import ensure_schema, execute_script, insert_frame, load_fts, read_dml
from newsetl.warehouse.entities import resolve_entities
from newsetl.warehouse.places import audit_places_frame, publish_places, stage_places

STAGED = ("stg_documents", "stg_document_runs", "stg_mentions", "stg_key_map", "stg_entity_aliases",
          "stg_entities", "stg_places")
DAY = datetime(2026, 1, 20, 9, 0)


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with every DDL and view file applied."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    load_fts(con)
    ensure_schema(con)
    return con


def document_row(doc_id: str, text: str, run_id: str) -> dict:
    """A staged ``documents`` row."""
    return {"doc_id": doc_id, "source_id": doc_id, "source_uri": f"{doc_id}.txt", "format": "txt",
            "raw_hash": f"raw-{doc_id}", "content_hash": f"content-{doc_id}", "title": doc_id,
            "published_at": DAY, "published_at_evidence": "header", "text": text, "n_chars": len(text),
            "n_words": len(text.split()), "extractor_version": "test", "version": 1,
            "first_seen_run": run_id, "last_seen_run": run_id}


def mention_rows(doc_id: str, places: list[str], others: list[tuple[str, str]]) -> list[dict]:
    """Mentions of ``places`` (LOC) and ``others`` ((type, name)) in one document, in the nominative."""
    typed = [("LOC", name) for name in places] + others
    return [{"doc_id": doc_id, "char_start": 10 * i, "char_end": 10 * i + len(name), "type": kind,
             "surface": name, "normal": name, "sentence_no": 0, "key": phrase_key(kind, name), "entity_id": "",
             "extractor_version": "test"} for i, (kind, name) in enumerate(typed)]


def run(con, run_id: str, docs: dict[str, list[str]], others: dict[str, list[tuple[str, str]]] | None = None) -> int:
    """Stage ``{doc_id: place names}`` as one run, resolve entities, stage places and publish;
    returns how many places were linked again."""
    others = others or {}
    texts = {doc_id: " ".join(names) for doc_id, names in docs.items()}
    insert_frame(con, "stg_documents", pd.DataFrame([document_row(d, t, run_id) for d, t in texts.items()]))
    insert_frame(con, "stg_document_runs", pd.DataFrame([{"run_id": run_id, "doc_id": d, "outcome": "new"} for d in docs]))
    insert_frame(con, "stg_mentions", pd.DataFrame(
        [m for d, names in docs.items() for m in mention_rows(d, names, others.get(d, []))]))
    resolve_entities(con)
    staged = stage_places(con)
    publish(con)
    return staged


def publish(con) -> None:
    """The part of the publish transaction places rely on: documents, mentions, entities, places."""
    con.execute("BEGIN TRANSACTION")
    con.execute("""DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM stg_documents);
                   INSERT INTO documents BY NAME SELECT * FROM stg_documents;
                   DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM stg_document_runs);
                   INSERT INTO mentions BY NAME SELECT * FROM stg_mentions;""")
    execute_script(con, read_dml("publish_entities"))
    publish_places(con)
    con.execute("COMMIT")
    for table in STAGED:
        con.execute(f"DELETE FROM {table}")


def places(con) -> dict[str, tuple]:
    """``v_places`` by canonical name: (n_docs, geonameid, country_code, latitude, longitude, confidence)."""
    rows = con.execute("SELECT canonical_name, n_docs, geonameid, country_code, latitude, longitude, confidence "
                       "FROM v_places").fetchall()
    return {row[0]: row[1:] for row in rows}


@pytest.fixture()
def warehouse():
    """One run: a Central Asian story, a Lebanese one, and a document with no place in it."""
    con = connect()
    run(con, "run-1", {
        "asia": ["Казахстан", "Нур-Султан", "Бишкек", "Центральная Азия", "Москва"],
        "asia-2": ["Москва", "Астана"],
        "levant": ["Ливан", "Триполи"],
        "people": [],
    }, others={"people": [("PER", "Касым-Жомарт Токаев"), ("ORG", "ОДКБ")]})
    yield con
    con.close()


def test_the_schema_applies_twice_and_places_has_a_staging_twin():
    con = connect()
    ensure_schema(con)
    columns = [c[0] for c in con.execute("SELECT * FROM places LIMIT 0").description]
    assert columns == [c[0] for c in con.execute("SELECT * FROM stg_places LIMIT 0").description]
    assert columns[:10] == ["entity_id", "geonameid", "name", "country_code", "latitude", "longitude", "feature",
                            "population", "confidence", "linker_version"]


def test_v_places_has_one_row_per_loc_entity_with_its_link(warehouse):
    found = places(warehouse)
    assert set(found) == {"Казахстан", "Нур-Султан", "Бишкек", "Центральная Азия", "Москва", "Астана", "Ливан", "Триполи"}
    n_docs, geonameid, country, lat, lon, confidence = found["Москва"]
    assert (n_docs, geonameid, country) == (2, 524901, "RU")
    assert lat == pytest.approx(55.75, abs=0.01) and lon == pytest.approx(37.62, abs=0.01)
    assert 0.5 < confidence <= 1
    assert found["Казахстан"][1:3] == (1522867, "KZ")
    assert found["Бишкек"][1:3] == (1528675, "KG")


def test_both_names_of_the_capital_link_to_astana(warehouse):
    found = places(warehouse)
    assert found["Нур-Султан"][1:3] == found["Астана"][1:3] == (1526273, "KZ")


def test_a_namesake_is_resolved_by_the_country_in_the_same_document(warehouse):
    assert places(warehouse)["Триполи"][1:3] == (266826, "LB")


def test_an_unlinked_place_has_a_row_with_nulls(warehouse):
    assert places(warehouse)["Центральная Азия"] == (1, None, None, None, None, None)
    stored = warehouse.execute("SELECT geonameid, feature, linker_version FROM places p JOIN entities e "
                               "USING (entity_id) WHERE e.canonical_name = 'Центральная Азия'").fetchone()
    assert stored == (None, None, LINKER_VERSION)


def test_persons_and_organisations_are_not_places(warehouse):
    assert warehouse.execute("SELECT count(*) FROM places p JOIN entities e USING (entity_id) "
                             "WHERE e.type <> 'LOC'").fetchone()[0] == 0


def test_a_rerun_relinks_only_the_places_whose_context_changed(warehouse):
    before = places(warehouse)
    # A new document puts Libya beside Tripoli (now both countries are mentioned: population decides)
    # and adds a new place; nothing else changes.
    staged = run(warehouse, "run-2", {"libya": ["Ливия", "Триполи", "Бенгази"]})
    after = places(warehouse)
    assert staged == 3  # Триполи (its context countries changed), Ливия and Бенгази (new)
    assert after["Триполи"][1:3] == (2210247, "LY")
    assert after["Москва"] == before["Москва"]
    assert after["Ливия"][1:3] == (2215636, "LY") and after["Бенгази"][2] == "LY"


def test_a_rerun_with_nothing_new_links_nothing(warehouse):
    before = warehouse.execute("SELECT * FROM places ORDER BY ALL").fetchall()
    assert run(warehouse, "run-2", {}) == 0
    assert warehouse.execute("SELECT * FROM places ORDER BY ALL").fetchall() == before


def test_places_of_entities_that_are_gone_are_dropped(warehouse):
    run(warehouse, "run-2", {"levant": ["Ливан"]})  # the document is reprocessed without Tripoli
    assert "Триполи" not in places(warehouse)
    assert warehouse.execute("SELECT count(*) FROM places WHERE entity_id NOT IN "
                             "(SELECT entity_id FROM entities)").fetchone()[0] == 0


def test_the_audit_frame_flags_complete_links_of_staged_places():
    con = connect()
    insert_frame(con, "stg_documents", pd.DataFrame([document_row("d", "Москва Запад", "run-1")]))
    insert_frame(con, "stg_document_runs", pd.DataFrame([{"run_id": "run-1", "doc_id": "d", "outcome": "new"}]))
    insert_frame(con, "stg_mentions", pd.DataFrame(mention_rows("d", ["Москва", "Запад"], [])))
    resolve_entities(con)
    assert stage_places(con) == 2
    frame = audit_places_frame(con).set_index("geonameid", drop=False)
    assert frame["link_complete"].all() and frame["entity_is_place"].all()
    assert sorted(frame["geonameid"].dropna().astype(int)) == [524901]
    linked = frame.dropna(subset=["geonameid"]).iloc[0]
    assert linked["feature"] == "city" and 0 <= linked["confidence"] <= 1 and linked["country_code"] == "RU"


def test_a_relinked_place_keeps_the_context_of_its_published_documents(warehouse):
    # Only Tripoli is touched (one more document); Lebanon, beside it in a published document, is
    # still in its context, so the basis is unchanged and the link is not redone.
    assert run(warehouse, "run-2", {"tripoli-2": ["Триполи"]}) == 0
    assert places(warehouse)["Триполи"][:3] == (2, 266826, "LB")


def test_links_of_another_linker_version_are_redone(warehouse):
    warehouse.execute("UPDATE places SET linker_version = 'places/0' FROM entities e "
                      "WHERE places.entity_id = e.entity_id AND e.canonical_name = 'Москва'")
    assert run(warehouse, "run-2", {}) == 1
    assert warehouse.execute("SELECT count(*) FROM places WHERE linker_version <> ?", [LINKER_VERSION]).fetchone()[0] == 0
