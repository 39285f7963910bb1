"""Windowed write-audit-publish (issue 13): a run that publishes every few units ends with the same
published tables as one that publishes once, counts and validation outcome included, and a rerun
whose windows are all unchanged publishes its inputs only."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import BAD_FIXTURES, EXTRA_RECORDS, SAMPLES
from harness import differences, factru_records, snapshot, write_jsonl

N_FACTRU = 14
N_UNITS = N_FACTRU + 6 + 7 + 1  # factRuEval, samples, extra records, the empty file: 7 full windows
BATCH_SIZE = 2
WINDOW = 4  # units: every two batches
TWICE = ("Губернатор Новосибирской области провёл приём граждан в областном центре. "
         "Жители спрашивали о ремонте дорог и о новых школах.")
# Which document of a matching pair founds the story depends on the windows (see the test below).
STORY_TABLES = ("stories", "story_documents", "near_duplicates")
# The run's history, compared without its run ids and times.
RUN_INPUTS = "SELECT source_uri, source_id, raw_hash, outcome, doc_id, duplicate_of, reason_code FROM run_inputs"
RUN_ROW = ("SELECT status, n_files, n_seen, n_new, n_unchanged, n_updated, n_duplicate, n_quarantined, "
           "n_not_analysed, validation_success, counts_balance FROM v_runs ORDER BY started_at")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """factRuEval texts, the samples, a record failing validation, a repeated id, a copied text and
    an empty file: in input order, so duplicates and entity variants fall in later windows."""
    root = tmp_path_factory.mktemp("windows") / "inbox"
    root.mkdir()
    records = factru_records(N_FACTRU)
    write_jsonl(root / "a_factru.jsonl", records)
    shutil.copytree(SAMPLES, root / "b_samples")
    copies = [{"id": records[0]["id"], "text": records[1]["text"]},           # the same id again
              {"id": "copy-of-first", "text": records[0]["text"]},             # the same text again
              {"id": "near-copy", "text": records[2]["text"] + " Подробности позже."},  # a near-duplicate
              # the same unit twice, at the end of one batch and the start of the next (rerun: unchanged, duplicate)
              {"id": "twice", "text": TWICE}, {"id": "twice", "text": TWICE}]
    write_jsonl(root / "c_extra.jsonl", EXTRA_RECORDS + copies)
    shutil.copy(BAD_FIXTURES / "empty.txt", root / "d_empty.txt")
    return root


def ingest_into(data_dir, paths, publish_every, **options):
    from newsetl.flows.ingest import ingest

    return ingest(paths=[str(p) for p in paths], data_dir=str(data_dir), batch_size=BATCH_SIZE, workers=2,
                  publish_every=publish_every, **options)


@pytest.fixture(scope="module")
def builds(prefect_harness, inbox, tmp_path_factory):
    """The inbox ingested in one window and in windows of four units, each followed by a rerun with
    one more file (its first five windows unchanged) and a rerun of the factRuEval file (nothing new)."""
    more = tmp_path_factory.mktemp("more") / "e_more.jsonl"
    write_jsonl(more, [{"id": "more-1", "text": "Мэр Москвы Сергей Собянин открыл новую станцию метро."}])
    built = {}
    for name, every in (("single", 10_000), ("windowed", WINDOW)):
        data_dir = tmp_path_factory.mktemp(name)
        summaries = [ingest_into(data_dir, [inbox], every), ingest_into(data_dir, [inbox, more], every),
                     ingest_into(data_dir, [inbox / "a_factru.jsonl"], every)]
        warehouse = data_dir / "newsetl.duckdb"
        with duckdb.connect(str(warehouse), read_only=True) as con:
            history = {"run_inputs": sorted(con.execute(RUN_INPUTS).fetchall(), key=repr),
                       "runs": con.execute(RUN_ROW).fetchall(),
                       "audits": con.execute("SELECT run_id, count(DISTINCT validated_at) FROM dq_results "
                                             "GROUP BY run_id").fetchall(),
                       "staged": con.execute("SELECT count(*) FROM stg_run_inputs").fetchone()[0]}
        built[name] = {"summaries": summaries, "tables": snapshot(warehouse), **history}
    return built


def without_stories(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {table: rows for table, rows in tables.items() if table not in STORY_TABLES}


def story_partition(warehouse_tables: dict[str, list[tuple]]) -> set[frozenset[str]]:
    """The documents of each story, whatever its id (``story_documents``: story_id, doc_id, ...)."""
    members: dict[str, set[str]] = {}
    for story_id, doc_id, *_ in warehouse_tables["story_documents"]:
        members.setdefault(story_id, set()).add(doc_id)
    return {frozenset(docs) for docs in members.values()}


def near_duplicate_pairs(warehouse_tables: dict[str, list[tuple]]) -> set[frozenset[str]]:
    return {frozenset(row[:2]) for row in warehouse_tables["near_duplicates"]}


def test_windowed_build_publishes_the_same_tables(builds):
    single, windowed = builds["single"]["tables"], builds["windowed"]["tables"]
    assert len(single["documents"]) == N_FACTRU + 6 + 3 + 1  # the samples, extra-putin, near-copy, twice, more-1
    assert single["entities"] and single["entity_keys"] and single["mentions"] and single["places"]
    found = differences(without_stories(windowed), without_stories(single))
    assert not found, "\n".join(f"{table}: {how}" for table, how in found.items())


def test_windowed_build_groups_the_same_stories(builds):
    """The same documents end up together and the same pairs are near-duplicates; which of two
    matching documents founds the story (and is the original of the other) follows the windows'
    order (see the README: stories across windows behave as across runs)."""
    single, windowed = builds["single"]["tables"], builds["windowed"]["tables"]
    assert len(single["near_duplicates"]) == 1 and len(single["stories"]) == len(single["documents"]) - 1
    assert story_partition(windowed) == story_partition(single)
    assert near_duplicate_pairs(windowed) == near_duplicate_pairs(single)
    assert len(windowed["stories"]) == len(single["stories"])


def test_windowed_build_records_the_same_inputs_and_counts(builds):
    single, windowed = builds["single"], builds["windowed"]
    assert windowed["run_inputs"] == single["run_inputs"]
    assert windowed["runs"] == single["runs"]
    first = single["summaries"][0]["counts"]
    assert first == {"seen": N_UNITS, "new": N_FACTRU + 9, "unchanged": 0, "updated": 0,
                     "duplicate": 3, "quarantined": 2}
    assert single["summaries"][1]["counts"] == {"seen": N_UNITS + 1, "new": 1, "unchanged": N_FACTRU + 9,
                                                "updated": 0, "duplicate": 3, "quarantined": 2}
    assert [s["counts"] for s in windowed["summaries"]] == [s["counts"] for s in single["summaries"]]
    assert all(row[0] == "completed" and row[-1] for row in windowed["runs"])
    assert windowed["staged"] == 0


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {key: n for key, n in counts.items() if n}


def test_quarantines_of_every_window_add_up_in_the_run_summary(builds):
    single, windowed = builds["single"]["summaries"][0], builds["windowed"]["summaries"][0]
    assert nonzero(single["quarantined_records"]) == {"documents": 1} and single["validation_success"] is False
    assert nonzero(windowed["quarantined_records"]) == {"documents": 1}
    assert windowed["validation_success"] is False
    assert windowed["quarantine_reasons"] == single["quarantine_reasons"]
    assert windowed["docs_index"] and windowed["report"]


def test_each_window_is_audited_once_and_unchanged_windows_are_not(builds):
    audits = dict(builds["windowed"]["audits"])
    runs = [s["run_id"] for s in builds["windowed"]["summaries"]]
    assert audits[runs[0]] == -(-N_UNITS // WINDOW)
    # the rerun: its first five windows are factRuEval and the samples again (unchanged); its last
    # three hold the re-quarantined, duplicate and new units; the third run changed nothing
    assert audits[runs[1]] == 3 and runs[2] not in audits
    assert builds["windowed"]["summaries"][1]["counts"]["new"] == 1
    assert builds["windowed"]["summaries"][2]["validation_success"] is None
    assert builds["windowed"]["summaries"][2]["counts"]["unchanged"] == N_FACTRU


def test_strict_windowed_run_fails_when_any_window_quarantined(prefect_harness, inbox, tmp_path):
    from newsetl.flows.errors import StrictRunFailed

    with pytest.raises(StrictRunFailed) as failed:
        ingest_into(tmp_path, [inbox], WINDOW, strict=True)
    assert failed.value.summary["counts"]["quarantined"] == 2


def test_a_failing_window_keeps_the_earlier_windows_and_their_counts(prefect_harness, inbox, tmp_path, monkeypatch):
    from newsetl.flows import ingest as flow_module
    from newsetl.validation.audit import ValidationBlocked

    real_audit, calls = flow_module.validation.audit, []

    def audit_failing_third_window(*args):
        calls.append(args)
        if len(calls) == 3:
            raise ValidationBlocked("run held back, nothing published: test")
        return real_audit(*args)

    monkeypatch.setattr(flow_module.validation, "audit", audit_failing_third_window)
    with pytest.raises(ValidationBlocked):
        ingest_into(tmp_path, [inbox], WINDOW)
    with duckdb.connect(str(tmp_path / "newsetl.duckdb"), read_only=True) as con:
        status, n_seen, n_new, message, balance = con.execute(
            "SELECT status, n_seen, n_new, message, counts_balance FROM v_runs").fetchone()
        published = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        staged = con.execute("SELECT count(*) FROM stg_run_inputs").fetchone()[0]
    assert (status, n_seen, n_new, published, staged) == ("failed", 2 * WINDOW, 2 * WINDOW, 2 * WINDOW, 0)
    assert "after publishing 8 input unit(s)" in message and balance


def test_publish_every_must_be_positive(prefect_harness, inbox, tmp_path):
    with pytest.raises(ValueError, match="publish_every"):
        ingest_into(tmp_path, [inbox], 0)
