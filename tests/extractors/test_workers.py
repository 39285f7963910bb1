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


def test_prestarted_workers_are_adopted_by_the_next_pool_of_their_size():
    workers.prestart(2)
    try:
        prestarted = workers._PRESTARTED[2]
        with workers.AnalysisPool(2) as pool:
            assert pool.executor is prestarted and 2 not in workers._PRESTARTED
            results = pool.analyse([unit("a", "Президент России Владимир Путин провёл совещание.")])
            assert any(m["normal"] == "Владимир Путин" for m in results[0].records["mentions"])
            assert len(prestarted._processes) == 2  # both started ahead, none added for the batch
    finally:
        workers.discard_prestarted()


def test_unadopted_prestarted_workers_are_stopped():
    workers.prestart(3)
    processes = list(workers._PRESTARTED[3]._processes.values())
    workers.discard_prestarted()
    assert workers._PRESTARTED == {}
    assert processes and all(not process.is_alive() for process in processes)
