"""``newsetl server start|status|stop`` keeps one Prefect server per data folder; ingest reports to
it while it runs, to a user's ``PREFECT_API_URL`` when one is set, and otherwise starts a server of
its own for the run on a database copied from the per-user template. Nothing is left running."""
from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from cli_process import NEWSETL, hermetic_env, newsetl, summary_tail
from conftest import ROOT, SAMPLES
from newsetl.config import resolve_settings
from newsetl.flows import prefect_db
from newsetl.flows.server import healthy, stop_server


def flow_runs(api_url: str) -> list[dict]:
    """The flow runs a Prefect server knows, through its REST API."""
    request = urllib.request.Request(f"{api_url}/flow_runs/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def process_family(pid: int) -> list[psutil.Process]:
    """The process and everything it spawned, as far as it runs."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


@pytest.fixture
def folders(tmp_path):
    """Two data folders and a template cache, hermetic; any server left running is stopped."""
    env = hermetic_env(tmp_path / "cache")
    a, b = tmp_path / "a", tmp_path / "b"
    yield env, a, b
    for folder in (a, b):
        stop_server(resolve_settings(folder))


def test_server_cycle_serves_ingest_and_leaves_nothing_behind(folders):
    env, a, b = folders
    assert newsetl(env, "server", "status", "--data-dir", str(a)).code == 3

    started = newsetl(env, "server", "start", "--data-dir", str(a), "--no-ui")
    assert started.code == 0, started.output
    record = json.loads((a / "prefect" / "server.json").read_text(encoding="utf-8"))
    assert f"api: {record['api_url']}" in started.lines and healthy(record["api_url"])
    family = process_family(record["pid"])
    assert family, "the recorded server process does not run"
    again = newsetl(env, "server", "start", "--data-dir", str(a))
    assert again.code == 0 and "already running" in again.output and f"pid: {record['pid']}" in again.output
    status = newsetl(env, "server", "status", "--data-dir", str(a))
    assert status.code == 0 and f"api: {record['api_url']}" in status.lines

    # Ingest on the folder reports to its server and starts no server of its own.
    run = newsetl(env, "ingest", str(SAMPLES), "--data-dir", str(a))
    assert run.code == 0, run.output
    summary_tail(run.lines)
    assert [r["state_type"] for r in flow_runs(record["api_url"])] == ["COMPLETED"]
    assert not (a / "prefect" / "run-server.log").exists()

    # A user's PREFECT_API_URL wins: folder b's run reports to folder a's server.
    elsewhere = newsetl({**env, "PREFECT_API_URL": record["api_url"]}, "ingest", str(SAMPLES), "--data-dir", str(b))
    assert elsewhere.code == 0, elsewhere.output
    assert len(flow_runs(record["api_url"])) == 2
    assert not (b / "prefect" / "run-server.log").exists()

    stopped = newsetl(env, "server", "stop", "--data-dir", str(a))
    assert stopped.code == 0 and f"server stopped (pid {record['pid']})" in stopped.output
    _, alive = psutil.wait_procs(family, timeout=5)
    assert not alive, f"still running after stop: {[p.cmdline() for p in alive]}"
    assert not healthy(record["api_url"])
    assert not (a / "prefect" / "server.json").exists()
    assert newsetl(env, "server", "status", "--data-dir", str(a)).code == 3
    assert "no server runs" in newsetl(env, "server", "stop", "--data-dir", str(a)).output


def test_a_stale_record_is_not_taken_for_a_running_server(folders):
    env, a, _ = folders
    (a / "prefect").mkdir(parents=True)
    dead = psutil.Popen(["true"])
    dead.wait()
    (a / "prefect" / "server.json").write_text(json.dumps(
        {"pid": dead.pid, "port": 9, "api_url": "http://127.0.0.1:9/api", "create_time": 0.0,
         "started_at": "2026-01-01T00:00:00+00:00", "log": "server.log"}), encoding="utf-8")
    status = newsetl(env, "server", "status", "--data-dir", str(a))
    assert status.code == 3 and "no server runs" in status.output


def test_without_a_server_each_run_has_its_own_on_a_seeded_database(folders):
    env, a, b = folders
    template = Path(env["NEWSETL_CACHE_DIR"]) / f"prefect-{prefect_db.version('prefect')}.db"

    first = newsetl(env, "ingest", str(SAMPLES), "--data-dir", str(a))
    assert first.code == 0, first.output
    assert (a / "prefect" / "run-server.log").exists()
    assert template.is_file() and prefect_db.is_clean(template)

    second = newsetl(env, "ingest", str(SAMPLES), "--data-dir", str(b))
    assert second.code == 0, second.output
    con = sqlite3.connect(b / "prefect" / "prefect.db")
    try:
        assert con.execute("select count(*) from flow_run").fetchone() == (1,)
    finally:
        con.close()
    # The run servers (each in its data folder's prefect/) are gone with their runs.
    assert not [p for p in psutil.process_iter(["cwd"]) if str(p.info["cwd"] or "").startswith((str(a), str(b)))]


def test_a_killed_ingest_takes_its_run_server_with_it(folders):
    env, a, _ = folders
    cli = subprocess.Popen([*NEWSETL, "ingest", str(SAMPLES), "--data-dir", str(a)], cwd=ROOT, env=env,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server = wait_for_run_server(cli.pid)
        family = process_family(cli.pid)
        cli.send_signal(signal.SIGKILL)
        cli.wait(timeout=30)
        _, alive = psutil.wait_procs([server], timeout=15)
        assert not alive, "the run server outlived the killed ingest"
    finally:
        for process in process_family(cli.pid) if cli.poll() is None else []:
            process.kill()
    _, alive = psutil.wait_procs(family, timeout=15)
    assert not alive, f"left running: {[p.cmdline() for p in alive]}"


def wait_for_run_server(pid: int, timeout: float = 120) -> psutil.Process:
    """The run server a ``newsetl ingest`` process started, once it runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in process_family(pid)[1:]:
            try:
                if "uvicorn" in child.cmdline():
                    return child
            except psutil.NoSuchProcess:
                pass
        time.sleep(0.2)
    raise AssertionError(f"no run server under pid {pid} after {timeout} s")


def test_template_refuses_a_database_with_runs(tmp_path):
    clean, used = tmp_path / "clean.db", tmp_path / "used.db"
    for path, rows in ((clean, 0), (used, 1)):
        con = sqlite3.connect(path)
        con.execute("create table alembic_version (version_num text)")
        con.execute("insert into alembic_version values ('head')")
        con.execute("create table block_type (id text)")
        con.execute("insert into block_type values ('x')")
        con.execute("create table flow_run (id text)")
        con.executemany("insert into flow_run values (?)", [("run",)] * rows)
        con.commit()
        con.close()
    assert prefect_db.is_clean(clean)
    assert not prefect_db.is_clean(used)


def test_prefects_run_retention_settings_reach_the_server_as_the_readme_writes_them(tmp_path, monkeypatch):
    """README *What grows with every run*: the variables set before `newsetl server start` reach the
    server's environment, and Prefect (a fresh process, as the server is) reads them as meant."""
    from newsetl.flows.server import server_env

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED=events,flow_runs`" in readme
    for name, value in {"PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events,flow_runs",
                        "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD": str(30 * 86400),
                        "PREFECT_SERVER_EVENTS_RETENTION_PERIOD": "P3D"}.items():
        assert f"`{name}" in readme
        monkeypatch.setenv(name, value)
    assert "such as `P3D`" in readme
    code = ("from prefect.settings import get_current_settings as s; v = s().server.services.db_vacuum; "
            "print(sorted(v.enabled_vacuum_types), v.retention_period.days, s().server.events.retention_period.days)")
    done = subprocess.run([sys.executable, "-c", code], env=server_env(tmp_path / "prefect"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "['events', 'flow_runs', 'orphans'] 30 3"
