"""Test session setup: Prefect and GX run offline with their homes in a temporary folder."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Prefect reads its settings at import time: point it at a throwaway home first.
_HOME = Path(tempfile.mkdtemp(prefix="newsetl-tests-"))
os.environ["PREFECT_HOME"] = str(_HOME / "prefect")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["GX_ANALYTICS_ENABLED"] = "false"
os.environ.pop("NEWSETL_WAREHOUSE", None)
os.environ.pop("NEWSETL_DATA_DIR", None)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BAD_FIXTURES = ROOT / "tests" / "fixtures" / "bad"

import pytest


@pytest.fixture(scope="session")
def prefect_harness():
    """One ephemeral Prefect API for the whole test session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def sample_warehouse(prefect_harness, tmp_path_factory):
    """A warehouse built by the real ingest flow from the bundled samples: (data_dir, warehouse)."""
    from newsetl.flows.ingest import ingest

    data_dir = tmp_path_factory.mktemp("sample-data")
    summary = ingest(paths=[str(SAMPLES)], data_dir=str(data_dir), workers=1)
    assert summary["validation_success"], summary
    return data_dir, Path(summary["warehouse"])
