"""``--publish-every`` / ``publish_every``: reach the flow from the command line and the Python API."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

import newsetl
from conftest import SAMPLES
from newsetl.cli import app
from newsetl.flows import run

runner = CliRunner()


@pytest.fixture
def captured(monkeypatch):
    """The options run_ingest was called with (the flow itself is not run)."""
    calls = []

    def fake_run_ingest(paths, settings, batch_size, workers, progress=None, **options):
        calls.append({"batch_size": batch_size, "workers": workers, **options})
        raise RuntimeError("stop here")

    monkeypatch.setattr(run, "run_ingest", fake_run_ingest)
    return calls


@pytest.mark.parametrize("args, expected", [([], 2000), (["--publish-every", "7"], 7)])
def test_cli_passes_publish_every_to_the_flow(captured, tmp_path, monkeypatch, args, expected):
    monkeypatch.setattr("newsetl.cli.configure_prefect", lambda *a, **k: None)
    result = runner.invoke(app, ["ingest", str(SAMPLES), "--data-dir", str(tmp_path), *args])
    assert "stop here" in result.output and result.exit_code == 1
    assert captured[0]["publish_every"] == expected


def test_cli_rejects_a_window_of_no_units(tmp_path):
    result = runner.invoke(app, ["ingest", str(SAMPLES), "--data-dir", str(tmp_path), "--publish-every", "0"])
    assert result.exit_code == 2 and "publish-every" in result.output


def test_api_forwards_publish_every(captured, tmp_path, monkeypatch):
    monkeypatch.setattr("newsetl.api.configure_prefect", lambda *a, **k: None)
    with pytest.raises(RuntimeError, match="stop here"):
        newsetl.ingest([str(SAMPLES)], data_dir=str(tmp_path), publish_every=9)
    assert captured == [{"batch_size": 200, "workers": 2, "publish_every": 9}]
