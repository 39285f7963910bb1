"""What the ingest flow hands Prefect with each task run: nothing that grows with the run.

Prefect walks every element of a task's parameters twice per task run (looking for futures and
states to track), so a parameter that grows with the run — the run's state, a batch's units — made
each batch's tasks slower as the run went on. The flow passes those ``quote``d: Prefect then skips
them, and the task still receives the plain value.
"""
from __future__ import annotations

import pytest

from conftest import SAMPLES


@pytest.fixture(scope="module")
def walked(prefect_harness, tmp_path_factory):
    """An ingest of the samples in batches of 2, recording every parameter value Prefect's input
    tracking was given to walk: (the ingest's summary, the values)."""
    import prefect.task_engine
    from newsetl.flows.ingest import ingest

    original, seen = prefect.task_engine.collect_task_run_inputs_sync, []

    def recording(expr, *args, **kwargs):
        seen.append(expr)
        return original(expr, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(prefect.task_engine, "collect_task_run_inputs_sync", recording)
        summary = ingest(paths=[str(SAMPLES)], data_dir=str(tmp_path_factory.mktemp("walked")),
                         batch_size=2, workers=1)
    return summary, seen


def test_run_state_and_units_reach_prefect_quoted(walked):
    from prefect.utilities.annotations import quote

    from newsetl.schemas.records import RawUnit
    from newsetl.warehouse.classify import RunState

    summary, seen = walked
    assert summary["counts"]["new"] == 6
    quoted = [value.unquote() for value in seen if isinstance(value, quote)]
    assert any(isinstance(value, RunState) for value in quoted)
    assert any(isinstance(value, list) and value and isinstance(value[0], RawUnit) for value in quoted)
    assert not [value for value in seen if isinstance(value, RunState)]
    assert not [value for value in seen if isinstance(value, list) and any(isinstance(v, RawUnit) for v in value)]
