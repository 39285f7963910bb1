"""Which modules a run imports ahead of need: the audit's only when the warehouse is new."""
from __future__ import annotations

import pytest

from newsetl.config import resolve_settings
from newsetl.flows import run


@pytest.mark.parametrize("warehouse_exists, expected", [
    (False, ("great_expectations",)),  # every unit is new: the audit will run
    (True, ()),                        # the run may have nothing new: an unchanged rerun skips the audit
])
def test_audit_is_prefetched_only_for_a_new_warehouse(tmp_path, warehouse_exists, expected):
    settings = resolve_settings(tmp_path / "data")
    if warehouse_exists:
        settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
        settings.warehouse.write_bytes(b"")
    run.note_new_warehouse(settings)
    assert run.modules_to_prefetch(settings) == expected


def test_a_warehouse_created_after_the_check_still_counts_as_new(tmp_path):
    """The CLI chooses the API first, then creates the warehouse while the run server starts."""
    settings = resolve_settings(tmp_path / "data")
    run.note_new_warehouse(settings)
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse.write_bytes(b"")
    run.note_new_warehouse(settings)
    assert run.modules_to_prefetch(settings) == ("great_expectations",)
