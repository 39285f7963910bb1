"""The bench's side of a measurement: run a child process while sampling the memory and CPU of its
whole process tree (main + analysis workers) and of the shared Prefect server, and start/stop that
server once for the whole bench.
"""
from __future__ import annotations

import compileall
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

BENCH_DIR = Path(__file__).resolve().parent
CHILD_TIMEOUT_S = 4 * 3600
# Environment that must not leak into a measured run: another warehouse or data folder, another
# Prefect home, profile or API.
SCRUBBED_ENV = ("NEWSETL_WAREHOUSE", "NEWSETL_DATA_DIR", "PREFECT_HOME", "PREFECT_API_URL", "PREFECT_PROFILE",
                "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
MB = 1024 * 1024


@dataclass
class Sample:
    """One memory sample: when, RSS of the main process and of all its descendants, how many."""

    at: float
    main_mb: float
    workers_mb: float
    n_children: int

    @property
    def tree_mb(self) -> float:
        return self.main_mb + self.workers_mb


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and all its descendants every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[Sample] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.is_set():
            try:
                main = root.memory_info().rss
                children = root.children(recursive=True)
            except psutil.Error:
                return
            workers = 0
            for child in children:
                try:
                    workers += child.memory_info().rss
                except psutil.Error:
                    pass
            self.samples.append(Sample(time.time(), main / MB, workers / MB, len(children)))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


def compile_sources(root: Path) -> None:
    """Write the bytecode of every module under ``root`` ahead of the measured runs: a user's Python
    caches it after the first import, but with ``PYTHONDONTWRITEBYTECODE`` set (as on some CI
    machines) or in a fresh snapshot every measured process would compile newsetl again."""
    compileall.compile_dir(str(root), quiet=1)


def wait_until_idle(pid: int | None, busy_share: float = 0.1, timeout: float = 60.0) -> float:
    """Wait until the process tree of ``pid`` (the bench's Prefect server) uses less than
    ``busy_share`` of one core over a second — after a large run it goes on digesting that run's
    events and logs for a while — and return the seconds waited (``timeout`` at most)."""
    started = time.perf_counter()
    while pid is not None and time.perf_counter() - started < timeout:
        before = tree_cpu_s(pid)
        time.sleep(1.0)
        if tree_cpu_s(pid) - before < busy_share:
            break
    return time.perf_counter() - started


def tree_cpu_s(pid: int | None) -> float:
    """CPU seconds so far of a process and its live descendants (0 when it is gone)."""
    if pid is None:
        return 0.0
    total = 0.0
    try:
        root = psutil.Process(pid)
        for process in (root, *root.children(recursive=True)):
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
    except psutil.Error:
        return 0.0
    return total


@dataclass
class ChildRun:
    """What a child process produced and what was seen of it from outside."""

    report: dict
    wall_s: float
    samples: list[Sample] = field(default_factory=list)
    server_cpu_s: float = 0.0
    machine_busy_s: float = 0.0   # CPU seconds all processes of the machine used during the run
    load_before: float = 0.0
    load_after: float = 0.0


def machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy (not idle, not waiting for I/O) since boot."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def child_env(api_url: str | None, client_home: Path) -> dict[str, str]:
    """The environment of a measured child: the bench's Prefect API, quiet, no analytics."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(PREFECT_HOME=str(client_home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               GX_ANALYTICS_ENABLED="false", PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="ERROR")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def run_child(script: str, args: list[str], out: Path, env: dict[str, str], log: Path,
              interval: float, server_pid: int | None = None) -> ChildRun:
    """Run ``bench/<script> --out OUT ARGS`` with memory sampling; raise with its log on failure."""
    command = [sys.executable, str(BENCH_DIR / script), "--out", str(out), *args]
    load_before, server_cpu0, busy0 = os.getloadavg()[0], tree_cpu_s(server_pid), machine_busy_s()
    t0 = time.perf_counter()
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid, interval)
        sampler.start()
        try:
            code = process.wait(timeout=CHILD_TIMEOUT_S)
        except BaseException:  # timeout, interrupt: the child (its workers die with it) goes too
            process.kill()
            process.wait()
            raise
        finally:
            sampler.stop()
    wall = time.perf_counter() - t0
    if code != 0 or not out.exists():
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise RuntimeError(f"{script} {' '.join(args)} failed with exit code {code}:\n{tail}")
    return ChildRun(json.loads(out.read_text(encoding="utf-8")), wall, sampler.samples,
                    tree_cpu_s(server_pid) - server_cpu0, machine_busy_s() - busy0, load_before, os.getloadavg()[0])


# --- the shared Prefect server ------------------------------------------------------------------


@dataclass
class SharedServer:
    """The bench's Prefect server (newsetl's own ``newsetl server start``, without the UI)."""

    api_url: str
    pid: int
    start_s: float
    settings: object

    def stop(self) -> None:
        from newsetl.flows.server import stop_server

        stop_server(self.settings)


def start_shared_server(folder: Path) -> SharedServer:
    """Start a Prefect server with its home in ``folder/prefect`` and wait until it answers."""
    from newsetl.config import resolve_settings
    from newsetl.flows.server import start_server

    settings = resolve_settings(folder)
    t0 = time.perf_counter()
    record, _ = start_server(settings, ui=False)
    return SharedServer(record.api_url, record.pid, time.perf_counter() - t0, settings)
