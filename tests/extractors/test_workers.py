"""The analysis pool survives a worker that dies: the batch is retried on a fresh pool and a unit
that kills its worker every time is quarantined as ``worker_crashed``."""
from __future__ import annotations

import os
import signal

import pytest

from newsetl.extractors import workers
from newsetl.schemas.records import RawUnit

KILLER = "__kill_my_worker__"


def crash_on_marker(units: list[RawUnit]):
    """Like ``analyse_chunk``, but a unit whose text holds the marker kills its worker process."""
    if any(KILLER.encode() in unit.raw for unit in units):
        os.kill(os.getpid(), signal.SIGKILL)
    return workers.analyse_chunk(units)


def unit(name: str, text: str) -> RawUnit:
    return RawUnit(source_uri=f"/in/{name}.txt", source_id=f"{name}.txt", fmt="txt", raw=text.encode("utf-8"))


@pytest.fixture()
def crashing_pool(monkeypatch):
    """A two-process pool whose chunk function is :func:`crash_on_marker` (workers import it by
    reference from this test module, which they can import from the tests folder)."""
    monkeypatch.setattr(workers, "analyse_chunk", crash_on_marker)
    with workers.AnalysisPool(2) as pool:
        yield pool


def test_a_unit_that_kills_its_worker_is_quarantined_and_the_rest_analysed(crashing_pool):
    units = [unit("a", "Президент России Владимир Путин провёл совещание."), unit("bad", f"Текст {KILLER}."),
             unit("b", "В Москве прошёл форум «Россия — спортивная держава».")]
    results = crashing_pool.analyse(units)
    assert [r.source_id for r in results] == ["a.txt", "bad.txt", "b.txt"]
    assert results[1].reject is not None and results[1].reject.reason_code == "worker_crashed"
    assert results[1].raw == units[1].raw  # kept for quarantine, so the unit is not lost
    assert results[0].document is not None and any(m["normal"] == "Владимир Путин" for m in results[0].records["mentions"])
    assert results[2].document is not None


def test_the_pool_works_again_after_a_crash(crashing_pool):
    crashing_pool.analyse([unit("bad", f"Текст {KILLER}.")])
    results = crashing_pool.analyse([unit("c", "Москва — столица России.")])
    assert results[0].document is not None and results[0].reject is None


def test_workers_die_with_their_parent_and_limit_threads():
    with workers.AnalysisPool(2) as pool:
        settings = list(pool.executor.map(_worker_settings, [0, 1]))
    for threads, death_signal in settings:
        assert threads == "1"
        assert death_signal == signal.SIGKILL


def _worker_settings(_):
    import ctypes

    value = ctypes.c_int()
    ctypes.CDLL(None).prctl(2, ctypes.byref(value))  # PR_GET_PDEATHSIG
    return os.environ.get("OMP_NUM_THREADS"), value.value


TEXTS = {"a": "Президент России Владимир Путин провёл совещание.", "b": "В Москве прошёл форум «Россия — спортивная держава».",
         "c": "Москва — столица России.", "d": "Сергей Собянин открыл новую станцию метро в Москве."}


def outcome(result) -> tuple:
    """What a unit's analysis produced: its document's content hash and its mentions' normal forms."""
    return result.source_id, result.document.content_hash, sorted(m["normal"] for m in result.records["mentions"])


@pytest.mark.parametrize("n_workers", [1, 2])
def test_batches_submitted_ahead_are_collected_as_analysed_one_by_one(n_workers):
    first, second = [unit(n, TEXTS[n]) for n in "ab"], [unit(n, TEXTS[n]) for n in "cd"]
    with workers.AnalysisPool(n_workers) as pool:
        one_by_one = [outcome(r) for r in pool.analyse(first) + pool.analyse(second)]
        pending = [pool.submit(first), pool.submit(second), pool.submit([])]
        collected = [outcome(r) for batch in pending for r in pool.collect(batch)]
    assert collected == one_by_one
    assert [name for name, *_ in collected] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert any("Владимир Путин" in normals for *_, normals in collected)


def test_both_batches_in_flight_survive_a_crash_in_the_first(crashing_pool):
    first = [unit("a", TEXTS["a"]), unit("bad", f"Текст {KILLER}.")]
    second = [unit("c", TEXTS["c"]), unit("d", TEXTS["d"])]
    pending = [crashing_pool.submit(first), crashing_pool.submit(second)]
    results = [crashing_pool.collect(batch) for batch in pending]
    assert [r.source_id for r in results[0]] == ["a.txt", "bad.txt"]
    assert results[0][1].reject.reason_code == "worker_crashed" and results[0][0].document is not None
    assert all(r.document is not None and r.reject is None for r in results[1])
    assert crashing_pool.collect(crashing_pool.submit([unit("b", TEXTS["b"])]))[0].document is not None
