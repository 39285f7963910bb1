"""Test session setup: Prefect and GX run offline with their homes in a temporary folder."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import sys

import duckdb
import pytest

# The gate helpers (``eval_ner``, ``eval_facts``) double as loaders of the seed texts and the
# devset for the extractor tests.
sys.path.insert(0, str(Path(__file__).resolve().parent / "gates"))

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
SEED_INTERVIEW = "seeds/000_2c1546299e15fb88.txt"
SEED_NEWS = "seeds/004_84ecff8064585085.txt"
# A third story that names the person seed 000 only gives with initials («В.В.Путин»), and a
# record dated in the future, which must fail validation and land in quarantine.
EXTRA_RECORDS = [
    {"id": "extra-putin", "title": "Совещание в Кремле", "published_at": "2026-01-20T10:00:00",
     "source": "Пример", "text": "Президент России Владимир Путин провёл совещание с членами правительства."},
    {"id": "extra-future", "title": "Из будущего", "published_at": "2099-01-01T00:00:00",
     "text": "Эта заметка датирована будущим годом и не должна попасть в опубликованные таблицы."},
]
EXTRA_JSONL = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in EXTRA_RECORDS)


def pytest_collection_modifyitems(items):
    """Mark tests by folder: ``gate`` (quality gates) and ``flow`` (real flow or server runs), so
    ``pytest -m "not gate and not flow"`` runs the fast unit tests alone."""
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT / "tests").parts
        if parts[0] in ("gates", "flows"):
            item.add_marker(getattr(pytest.mark, parts[0][:-1]))


@pytest.fixture(scope="session")
def prefect_harness():
    """One ephemeral Prefect API for the whole test session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def sample_warehouse(prefect_harness, tmp_path_factory):
    """A warehouse built by the real ingest flow from the bundled samples: (data_dir, warehouse)."""
    from newsetl.flows.ingest import ingest  # after PREFECT_HOME is set

    data_dir = tmp_path_factory.mktemp("sample-data")
    summary = ingest(paths=[str(SAMPLES)], data_dir=str(data_dir), workers=1)
    assert summary["validation_success"], summary
    return data_dir, Path(summary["warehouse"])


@pytest.fixture(scope="session")
def flow_runs(prefect_harness, tmp_path_factory):
    """Two runs over samples + bad fixtures, then a third after one file changed."""
    root = tmp_path_factory.mktemp("ingest")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES, inbox / "samples")
    shutil.copytree(BAD_FIXTURES, inbox / "bad")
    (inbox / "extra.jsonl").write_text(EXTRA_JSONL, encoding="utf-8")
    data_dir = root / "data"
    kwargs = dict(paths=[str(inbox)], data_dir=str(data_dir), batch_size=4, workers=2)
    from newsetl.flows.ingest import ingest  # after PREFECT_HOME is set

    first = ingest(**kwargs)
    second = ingest(**kwargs)
    news = inbox / "samples" / SEED_NEWS
    news.write_text(news.read_text(encoding="utf-8") + "\n\nДополнение редакции: текст обновлён.\n", encoding="utf-8")
    third = ingest(**kwargs)
    con = duckdb.connect(str(data_dir / "newsetl.duckdb"), read_only=True)
    yield {"first": first, "second": second, "third": third, "con": con, "data_dir": data_dir}
    con.close()


@pytest.fixture
def private_cache(tmp_path, monkeypatch, request):
    """An empty user cache (``NEWSETL_CACHE_DIR``) for this test; the process-wide caches a test
    module names in ``CACHED_IN_PROCESS`` are cleared before and after it, so it builds afresh."""
    monkeypatch.setenv("NEWSETL_CACHE_DIR", str(tmp_path))
    kept = getattr(request.module, "CACHED_IN_PROCESS", ())
    for cached in kept:
        cached.cache_clear()
    yield tmp_path
    for cached in kept:
        cached.cache_clear()
