"""The real ingest flow under ``prefect_test_harness`` on the bundled samples and bad inputs."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import BAD_FIXTURES, EXTRA_JSONL, SEED_INTERVIEW, SEED_NEWS



def document(con, source_id: str) -> dict:
    cursor = con.execute("SELECT * FROM documents WHERE source_id = ?", ["samples/" + source_id])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    assert row is not None, f"{source_id} was not loaded"
    return dict(zip(names, row))


def test_seed_interview_fields(flow_runs):
    doc = document(flow_runs["con"], SEED_INTERVIEW)
    assert doc["title"] == "У нашей Организации хороший послужной список. Интервью Генсека ОДКБ Таалатбека Масадыкова"
    assert doc["url"] == "https://centrasia.org/newsA.php?st=1769800020"
    assert doc["source_domain"] == "centrasia.org"
    assert doc["published_at"].isoformat() == "2026-01-29T00:00:00"
    assert doc["published_at_evidence"] == "header"
    assert doc["language"] == "ru"
    assert doc["encoding"] == "utf-8"


def test_seed_interview_text_loses_header_and_footer(flow_runs):
    text = document(flow_runs["con"], SEED_INTERVIEW)["text"]
    assert "Постоянный адрес статьи" not in text
    assert "centrasia.org" not in text
    assert not text.startswith("date ")
    assert "22:07 30.01.2026" not in text
    assert text.rstrip().endswith("Благодарю за внимание.")
    assert "\n\n\n" not in text


def test_seed_news_has_source_but_no_guessed_fields(flow_runs):
    doc = document(flow_runs["con"], SEED_NEWS)
    assert doc["source_name"] == "Lada.kz"
    assert doc["title"] is None and doc["url"] is None and doc["source_domain"] is None
    assert doc["published_at"] is None
    assert doc["published_at_evidence"] == "none"


def test_counts_balance_and_first_run_loads_everything_good(flow_runs):
    counts = flow_runs["first"]["counts"]
    assert counts["seen"] == sum(counts[k] for k in ("new", "unchanged", "updated", "duplicate", "quarantined"))
    # 2 seeds + 4 html pages + 2 good JSONL records + the extra story
    assert counts["new"] == 9
    assert counts["quarantined"] == 7


def test_second_run_adds_nothing(flow_runs):
    counts = flow_runs["second"]["counts"]
    assert counts["new"] == 0 and counts["updated"] == 0
    assert counts["unchanged"] == flow_runs["first"]["counts"]["new"]
    con = flow_runs["con"]
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 9
    n_quarantine = con.execute("SELECT count(*) FROM quarantine WHERE record_table = 'input'").fetchone()[0]
    assert n_quarantine == 7  # the same bad inputs are not quarantined twice


def test_changed_file_is_an_update_and_keeps_the_earlier_version(flow_runs):
    counts = flow_runs["third"]["counts"]
    assert counts["updated"] == 1 and counts["new"] == 0
    con = flow_runs["con"]
    doc = document(con, SEED_NEWS)
    assert doc["version"] == 2 and doc["text"].endswith("текст обновлён.")
    old = con.execute("SELECT version, text FROM document_versions WHERE doc_id = ?", [doc["doc_id"]]).fetchall()
    assert len(old) == 1 and old[0][0] == 1 and "текст обновлён" not in old[0][1]


def test_bad_inputs_end_in_quarantine_with_reasons(flow_runs):
    rows = flow_runs["con"].execute(
        "SELECT regexp_extract(source_uri, '[^/]+$'), reason_code FROM quarantine WHERE record_table = 'input'"
    ).fetchall()
    reasons = {name: code for name, code in rows}
    assert reasons["empty.txt"] == "empty"
    assert reasons["binary.txt"] == "binary"
    assert reasons["truncated.txt.gz"] == "truncated_gzip"
    assert reasons["no_main_text.html"] == "no_main_text"
    jsonl = {code for name, code in rows if name.startswith("mixed.jsonl")}
    assert {"malformed_jsonl", "missing_text"} <= jsonl
    raw, stored_twice = flow_runs["con"].execute(
        "SELECT r.raw, q.raw IS NOT NULL FROM quarantine q JOIN raw_inputs r USING (raw_hash) WHERE reason_code = 'binary'"
    ).fetchone()
    assert raw == (BAD_FIXTURES / "binary.txt").read_bytes()
    assert not stored_twice  # the bytes are kept once, in raw_inputs


def test_a_document_failing_validation_is_quarantined_with_the_expectation_named(flow_runs):
    con = flow_runs["con"]
    row = con.execute(
        "SELECT reason_code, r.raw FROM quarantine q JOIN raw_inputs r USING (raw_hash) WHERE source_uri LIKE '%extra.jsonl#L2'"
    ).fetchone()
    assert row[0] == "validation:documents.published_at_not_in_future"
    assert row[1] == EXTRA_JSONL.splitlines()[1].encode("utf-8")
    assert con.execute("SELECT count(*) FROM documents WHERE source_id = 'extra-future'").fetchone()[0] == 0
    assert flow_runs["first"]["validation_success"] is False  # a critical expectation failed


def test_every_input_unit_ends_in_exactly_one_place(flow_runs):
    con = flow_runs["con"]
    run_id = flow_runs["first"]["run_id"]
    outcomes = con.execute(
        "SELECT source_uri, count(*) FROM run_inputs WHERE run_id = ? GROUP BY 1 HAVING count(*) > 1", [run_id]
    ).fetchall()
    assert outcomes == []
    stored = con.execute(
        "SELECT count(*) FROM run_inputs i LEFT JOIN raw_inputs r USING (raw_hash) WHERE i.run_id = ? AND r.raw IS NULL",
        [run_id],
    ).fetchone()[0]
    assert stored == 0, "every input's raw bytes are kept"


def test_data_docs_and_dq_results(flow_runs):
    index = Path(flow_runs["first"]["docs_index"])
    assert index.name == "index.html" and index.exists()
    assert str(index).startswith(str(flow_runs["data_dir"]))
    con = flow_runs["con"]
    checks = con.execute(
        "SELECT DISTINCT check_name FROM dq_results WHERE run_id = ? AND table_name = 'documents'",
        [flow_runs["first"]["run_id"]],
    ).fetchall()
    names = {name for (name,) in checks}
    assert {"documents.doc_id_unique", "documents.text_not_empty", "documents.published_at_not_in_future"} <= names


def test_runs_table_records_counts_and_validation(flow_runs):
    rows = flow_runs["con"].execute(
        "SELECT run_id, status, n_seen, n_new, n_unchanged, n_quarantined, validation_success FROM ingest_runs ORDER BY started_at"
    ).fetchall()
    assert [r[1] for r in rows] == ["completed"] * 3
    first = rows[0]
    assert first[0] == flow_runs["first"]["run_id"]
    assert first[2] == flow_runs["first"]["counts"]["seen"] and first[3] == 9 and first[6] is False


def test_each_run_publishes_a_prefect_artifact_with_its_counts(flow_runs):
    from prefect.client.orchestration import get_client

    # The typed read_artifacts() of prefect 3.8.8 sends nulls the API rejects; ask the API directly.
    with get_client(sync_client=True) as client:
        response = client._client.post("/artifacts/filter", json={
            "artifacts": {"key": {"any_": ["ingest-run-summary"]}}, "limit": 50, "offset": 0, "sort": "CREATED_DESC"})
    response.raise_for_status()
    rows = {row["run_id"]: row for artifact in response.json() for row in json.loads(artifact["data"])}
    first = rows[flow_runs["first"]["run_id"]]
    assert first["new"] == 9 and first["quarantined"] == 7 and first["validation"] == "failed"
    third = rows[flow_runs["third"]["run_id"]]
    assert third["updated"] == 1 and third["seen"] == flow_runs["third"]["counts"]["seen"]
