"""The command line: one-line errors for bad invocations, and a clean real run on the samples."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from newsetl.cli import app

runner = CliRunner()


def one_line_error(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_missing_path_is_a_one_line_error(tmp_path):
    line = one_line_error(runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--data-dir", str(tmp_path)]))
    assert "nope" in line


def test_unwritable_warehouse_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["ingest", str(SAMPLES), "--warehouse", str(blocker / "sub" / "w.duckdb")])
    assert "cannot" in one_line_error(result)


def test_corrupt_warehouse_file_is_a_one_line_error(tmp_path):
    bogus = tmp_path / "w.duckdb"
    bogus.write_bytes(b"this is not a duckdb file" * 100)
    one_line_error(runner.invoke(app, ["ingest", str(SAMPLES), "--warehouse", str(bogus)]))


@pytest.mark.parametrize("command", [["runs"], ["quarantine"], ["report"], ["search", "x"], ["sql", "select 1"]])
def test_commands_before_any_ingest_say_so(tmp_path, command):
    line = one_line_error(runner.invoke(app, [*command, "--data-dir", str(tmp_path / "empty")]))
    assert "newsetl ingest" in line


def test_user_text_is_never_read_as_console_markup(tmp_path):
    line = one_line_error(runner.invoke(app, ["ingest", str(tmp_path / "[/x]*"), "--data-dir", str(tmp_path)]))
    assert "[/x]" in line


def test_a_folder_without_news_files_is_a_one_line_error(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert "no .txt" in one_line_error(runner.invoke(app, ["ingest", str(tmp_path), "--data-dir", str(tmp_path / "d")]))


def test_a_bad_data_docs_retention_is_a_one_line_error_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_DOCS_KEEP", "a week")
    line = one_line_error(runner.invoke(app, ["ingest", str(SAMPLES), "--data-dir", str(tmp_path)]))
    assert "NEWSETL_DOCS_KEEP" in line and "'a week'" in line
    assert not (tmp_path / "newsetl.duckdb").exists()


def test_a_second_ingest_while_one_runs_is_told_the_warehouse_is_busy(tmp_path):
    from newsetl.flows.locking import ingest_lock

    with ingest_lock(tmp_path / "newsetl.duckdb"):
        result = runner.invoke(app, ["ingest", str(SAMPLES), "--data-dir", str(tmp_path)])
    assert result.exit_code == 3
    assert "another ingest is writing" in result.output and "Traceback" not in result.output


def test_warehouse_location_follows_option_then_environment(tmp_path):
    from newsetl.config import resolve_settings

    os.environ["NEWSETL_WAREHOUSE"] = str(tmp_path / "env.duckdb")
    try:
        assert resolve_settings().warehouse == tmp_path / "env.duckdb"
        assert resolve_settings(warehouse=tmp_path / "opt.duckdb").warehouse == tmp_path / "opt.duckdb"
    finally:
        del os.environ["NEWSETL_WAREHOUSE"]
    assert resolve_settings(data_dir=tmp_path).warehouse == tmp_path / "newsetl.duckdb"


def test_real_cli_run_is_clean_and_reports_where_things_are(tmp_path):
    """The quick-start command: no tracebacks, no warnings, no lost Prefect events."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSETL_"))}
    env["NEWSETL_DATA_DIR"] = str(tmp_path / "data")
    env["COLUMNS"] = "200"
    done = subprocess.run([sys.executable, "-m", "newsetl", "ingest", str(SAMPLES)],
                          capture_output=True, text=True, env=env, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    for noise in ("Traceback", "Warning", "WARNING", "Error flushing", "ERROR"):
        assert noise not in output, output
    assert "6/6 file(s)" in output and "units/s" in output  # plain progress lines when not a terminal
    assert done.stdout.rstrip().splitlines()[-1].startswith("data docs: "), "the summary comes last"
    assert f"warehouse: {tmp_path / 'data' / 'newsetl.duckdb'}" in output
    assert f"report:    {tmp_path / 'data' / 'report.html'}" in output
    assert f"data docs: {tmp_path / 'data' / 'gx'}" in output
    assert (tmp_path / "data" / "prefect").is_dir(), "PREFECT_HOME lives in the data folder"
    runs = subprocess.run([sys.executable, "-m", "newsetl", "runs"], capture_output=True, text=True, env=env)
    assert runs.returncode == 0 and "passed" in runs.stdout
