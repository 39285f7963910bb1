"""newsetl against a real ``prefect server start``, as a user runs it from prefect.yaml.

A server on a free local port with its own PREFECT_HOME; the work pool named in prefect.yaml;
``prefect deploy --all``; the 15-minute schedule's upcoming runs; one deployment run on a copy of
the samples, executed end to end by a process worker; the listing commands. Every process the
test starts runs in its own process group and is stopped at the end, also when a step fails.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import httpx
import psutil
import pytest
import yaml
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.filters import (ArtifactFilter, ArtifactFilterFlowRunId, DeploymentFilter,
                                            DeploymentFilterId, FlowRunFilter, FlowRunFilterState,
                                            FlowRunFilterStateType)
from prefect.client.schemas.objects import StateType

from conftest import ROOT, SAMPLES

PREFECT = str(Path(sys.executable).with_name("prefect"))
PROJECT = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
DEPLOYMENT_SPEC = next(d for d in PROJECT["deployments"] if d["name"] == "inbox-every-15-minutes")
POOL = DEPLOYMENT_SPEC["work_pool"]["name"]
DEPLOYMENT = f"ingest/{DEPLOYMENT_SPEC['name']}"
SERVER_START_SECONDS = 90
SCHEDULE_WAIT_SECONDS = 60
WORKER_RUN_SECONDS = 150
CLI_SECONDS = 60


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hermetic_env(home: Path, api_url: str) -> dict[str, str]:
    """The environment of every child: no inherited Prefect or newsetl settings, analytics off,
    the temporary PREFECT_HOME and the test server's API, wide tables so listings show whole ids."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSETL_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_UI_ENABLED="false", NEWSETL_PROJECT_DIR=str(ROOT), COLUMNS="250")
    return env


class Processes:
    """Starts children in their own process groups and stops all of them, grandchildren included."""

    def __init__(self, root: Path):
        self.root = self.logs = root
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.env = hermetic_env(root / "prefect-home", self.api_url)
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        """Start ``prefect <args>`` in the background; its output goes to ``<logs>/<name>.log``."""
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen([PREFECT, "--no-prompt", *args], cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        """What the background child ``name`` printed so far."""
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def run(self, *args: str, timeout: float = CLI_SECONDS) -> tuple[int, str]:
        """Run ``prefect <args>`` to its end: (exit code, output). A hung command is stopped and fails."""
        name = "cli-" + "-".join(re.sub(r"\W+", "_", a) for a in args[:3])
        process = self.start(name, *args)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_group(process)
            pytest.fail(f"`prefect {' '.join(args)}` still running after {timeout}s:\n{self.log(name)[-3000:]}")
        return code, self.log(name)

    def stop_all(self) -> list[psutil.Process]:
        """Stop every started child and its descendants; returns the processes still alive."""
        survivors = []
        for process in reversed(self.started):
            survivors += stop_group(process)
        return survivors


def stop_group(process: subprocess.Popen) -> list[psutil.Process]:
    """SIGTERM the child's process group (and descendants that left it), SIGKILL after 10 s."""
    family = descendants(process.pid)
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        signal_family(process.pid, family, sig)
        _, family = psutil.wait_procs(family, timeout=grace)
        family = [p for p in family if alive(p)]
        if not family:
            break
    process.wait(timeout=5)
    return family


def descendants(pid: int) -> list[psutil.Process]:
    """The process and everything it spawned, as far as it still runs."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def signal_family(group: int, family: list[psutil.Process], sig: int) -> None:
    """Send ``sig`` to the process group and to each member that runs in another group."""
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        pass
    for member in family:
        try:
            member.send_signal(sig)
        except psutil.NoSuchProcess:
            pass


def alive(process: psutil.Process) -> bool:
    """True while the process runs (a zombie waiting to be reaped has stopped)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_for_health(api_url: str, server: subprocess.Popen, procs: Processes) -> None:
    """Poll ``/health`` until the server answers; fail with its log if it exits or stays silent."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"prefect server exited with {server.returncode}:\n{procs.log('server')[-3000:]}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"prefect server not healthy after {SERVER_START_SECONDS}s:\n{procs.log('server')[-3000:]}")


@pytest.fixture(scope="module")
def procs(tmp_path_factory):
    """The process registry of this module; at the end every child is stopped, and none may survive."""
    registry = Processes(tmp_path_factory.mktemp("prefect-server"))
    yield registry
    survivors = registry.stop_all()
    assert not survivors, f"processes outlived the test: {[p.pid for p in survivors]}"


@pytest.fixture(scope="module")
def server(procs) -> str:
    """A running ``prefect server start`` with its scheduler; returns the API URL."""
    process = procs.start("server", "server", "start", "--host", "127.0.0.1", "--port", str(procs.port), "--no-ui")
    wait_for_health(procs.api_url, process, procs)
    return procs.api_url


@pytest.fixture(scope="module")
def client(server):
    """A Prefect client of the test server."""
    with SyncPrefectClient(api=server) as prefect_client:
        yield prefect_client


@pytest.fixture(scope="module")
def deployed(procs, server) -> dict[str, tuple[int, str]]:
    """The work pool of prefect.yaml created and ``prefect deploy --all`` run: each step's (code, output)."""
    steps = {"work-pool create": procs.run("work-pool", "create", POOL, "--type", "process"),
             "deploy --all": procs.run("deploy", "--all")}
    for step, (code, output) in steps.items():
        assert code == 0, f"`prefect {step}` exited {code}:\n{output[-3000:]}"
    return steps


@pytest.fixture(scope="module")
def finished_run(procs, deployed, client) -> dict:
    """One deployment run over a copy of the samples, executed by a process worker to its end."""
    inbox, data_dir = procs.root / "inbox", procs.root / "data"
    shutil.copytree(SAMPLES, inbox)
    params = {"paths": [str(inbox)], "data_dir": str(data_dir), "workers": 1}
    code, output = procs.run("deployment", "run", DEPLOYMENT, "--params", json.dumps(params))
    assert code == 0, output
    flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", output).group(1)
    worker = procs.start("worker", "worker", "start", "--pool", POOL, "--run-once")
    try:
        worker.wait(timeout=WORKER_RUN_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"worker still running after {WORKER_RUN_SECONDS}s:\n{procs.log('worker')[-3000:]}")
    return {"id": flow_run_id, "data_dir": data_dir, "inbox": inbox, "worker_code": worker.returncode,
            "flow_run": client.read_flow_run(flow_run_id)}


def upcoming_scheduled_runs(client: SyncPrefectClient, deployment_id) -> list:
    """The runs the scheduler created for the deployment, still waiting for their time."""
    runs = client.read_flow_runs(
        deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
        flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))))
    return sorted((r for r in runs if r.auto_scheduled), key=lambda r: r.expected_start_time)


def test_deploy_all_registers_the_scheduled_deployment(deployed, client):
    assert "successfully created" in deployed["deploy --all"][1]
    deployment = client.read_deployment_by_name(DEPLOYMENT)
    (schedule,) = deployment.schedules
    assert schedule.active and schedule.schedule.interval.total_seconds() == 900
    assert deployment.work_pool_name == POOL
    assert deployment.global_concurrency_limit.limit == 1
    assert deployment.pull_steps == [{"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}]


def test_the_schedule_creates_upcoming_runs_within_a_minute(deployed, client):
    deployment = client.read_deployment_by_name(DEPLOYMENT)
    deadline = time.monotonic() + SCHEDULE_WAIT_SECONDS
    while not (upcoming := upcoming_scheduled_runs(client, deployment.id)) and time.monotonic() < deadline:
        time.sleep(2)
    assert upcoming, f"no scheduled run of {DEPLOYMENT} after {SCHEDULE_WAIT_SECONDS}s"
    starts = [run.expected_start_time for run in upcoming]
    assert starts[0] > datetime.now(timezone.utc)
    assert all((later - earlier).total_seconds() == 900 for earlier, later in zip(starts, starts[1:]))
    assert all(run.parameters["paths"] == ["inbox/"] for run in upcoming)


def test_a_process_worker_runs_a_deployment_run_to_completed(finished_run, client, procs):
    flow_run = finished_run["flow_run"]
    assert finished_run["worker_code"] == 0, procs.log("worker")[-3000:]
    assert flow_run.state.type == StateType.COMPLETED, (flow_run.state, procs.log("worker")[-3000:])
    assert flow_run.parameters["paths"] == [str(finished_run["inbox"])]
    artifacts = client.read_artifacts(
        artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run.id])))
    summary = [a for a in artifacts if a.key == "ingest-run-summary"]
    assert summary and summary[0].type == "table"
    with duckdb.connect(str(finished_run["data_dir"] / "newsetl.duckdb"), read_only=True) as con:
        (n_documents,) = con.execute("select count(*) from documents").fetchone()
    assert n_documents > 0


LISTINGS = [
    (["flow-run", "ls"], "{run_id}"),
    (["artifact", "ls"], "ingest-run-summary"),
    (["deployment", "ls"], DEPLOYMENT),
    (["work-pool", "ls"], POOL),
    (["flow-run", "logs", "{run_id}"], "Finished in state Completed"),
]


@pytest.mark.parametrize(("args", "expected"), LISTINGS, ids=[" ".join(a) for a, _ in LISTINGS])
def test_listing_commands_exit_0_and_show_the_run(procs, finished_run, args, expected):
    code, output = procs.run(*[a.format(run_id=finished_run["id"]) for a in args])
    assert code == 0, output[-3000:]
    assert expected.format(run_id=finished_run["id"]) in output
