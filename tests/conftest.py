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
