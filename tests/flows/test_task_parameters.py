"""What the ingest flow hands Prefect with each task run: nothing that grows with the run.

Prefect walks every element of a task's parameters twice per task run (looking for futures and
states to track), so a parameter that grows with the run — the run's state, a batch's units — made
each batch's tasks slower as the run went on. The flow passes those ``quote``d: Prefect then skips
them, and the task still receives the plain value.
"""
from __future__ import annotations

from conftest import SAMPLES

from newsetl.schemas.records import RawUnit
from newsetl.warehouse.classify import RunState


def test_run_state_and_units_reach_prefect_quoted(prefect_harness, tmp_path, monkeypatch):
    """An ingest of the samples in batches of 2, recording every parameter value Prefect's input
    tracking is given to walk."""
    import prefect.task_engine
    from prefect.utilities.annotations import quote

    from newsetl.flows.ingest import ingest

    original, walked = prefect.task_engine.collect_task_run_inputs_sync, []

    def recording(expr, *args, **kwargs):
        walked.append(expr)
        return original(expr, *args, **kwargs)

    monkeypatch.setattr(prefect.task_engine, "collect_task_run_inputs_sync", recording)
    summary = ingest(paths=[str(SAMPLES)], data_dir=str(tmp_path / "data"), batch_size=2, workers=1)

    assert summary["counts"]["new"] == 6
    quoted = [value.unquote() for value in walked if isinstance(value, quote)]
    assert any(isinstance(value, RunState) for value in quoted)
    assert any(isinstance(value, list) and value and isinstance(value[0], RawUnit) for value in quoted)
    assert not [value for value in walked if isinstance(value, RunState)]
    assert not [value for value in walked if isinstance(value, list) and any(isinstance(v, RawUnit) for v in value)]
