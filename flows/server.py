"""The Prefect API a run reports to: the data folder's own server, or a server for this run only.

:func:`api_for_run` chooses, in this order:

1. ``PREFECT_API_URL`` set in the environment: that server; newsetl starts nothing.
2. ``PREFECT_HOME`` set to another folder than the data folder's ``prefect/``: Prefect's own
   settings decide (its profile's API, else its ephemeral mode).
3. The data folder's server, started by ``newsetl server start`` (:func:`start_server`), when it
   runs and answers: the run reports there, so it starts nothing and its runs stay in the UI.
4. Otherwise a server for this run only (:class:`RunServer`), started at once in the background so
   its start-up overlaps the run's imports, on a database copied from the template
   (:mod:`newsetl.flows.prefect_db`), quiet, and stopped when the process exits.
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, ContextManager, Iterable

from newsetl.config import Settings
from newsetl.flows import prefect_db

REGISTRY_FILE = "server.json"
SERVER_LOG = "server.log"
RUN_SERVER_LOG = "run-server.log"
START_TIMEOUT_SECONDS = 120.0
STOP_GRACE_SECONDS = 10.0


class ServerError(RuntimeError):
    """A Prefect server could not be started or reached."""


@dataclass(frozen=True)
class ServerRecord:
    """The data folder's running server, as stored in ``<data>/prefect/server.json``."""

    pid: int
    port: int
    api_url: str
    create_time: float  # the process's start time, so a reused pid is not mistaken for it
    started_at: str
    log: str

    @property
    def ui_url(self) -> str:
        """The address of Prefect's UI on this server."""
        return self.api_url.removesuffix("/api")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Whether the Prefect API at ``api_url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def server_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a server child: Prefect's home, analytics and telemetry off, no API URL."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", **extra)
    return env


def spawn(args: list[str], home: Path, log_name: str, env: dict[str, str], append: bool) -> subprocess.Popen:
    """Start a detached child in its own session (so stopping it reaches its whole group, and a
    Ctrl-C in the terminal reaches only newsetl), its output to ``<home>/<log_name>``."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / log_name).open("ab" if append else "wb") as log:
        return subprocess.Popen(args, cwd=home, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


# Run ``python <args>`` so that Linux sends it SIGTERM when newsetl dies, even by SIGKILL: set the
# parent-death signal, give up if the parent is already gone, then become the real command.
TIED_LAUNCHER = """import ctypes, os, signal, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
except (OSError, AttributeError):
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(0)
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""


def tied_to_me(python_args: list[str]) -> list[str]:
    """The command line that runs ``python <python_args>`` tied to this process's life."""
    return [sys.executable, "-c", TIED_LAUNCHER, str(os.getpid()), *python_args]


def wait_until_healthy(process: subprocess.Popen, api_url: str, log: Path, timeout: float,
                       meanwhile: Iterable[Callable[[], object]] = ()) -> None:
    """Poll the health check until it answers, running the ``meanwhile`` steps between polls while
    it does not; stop the child and raise :class:`ServerError` (with the end of its log) when it
    exits or ``timeout`` passes first."""
    deadline, steps = time.monotonic() + timeout, list(meanwhile)
    while not healthy(api_url, timeout=1.0):
        if process.poll() is not None or time.monotonic() > deadline:
            why = f"exited with code {process.returncode}" if process.returncode is not None else f"no answer in {timeout:.0f} s"
            stop_group(process.pid)
            raise ServerError(f"the Prefect server {why}; its log {log}:\n{tail(log)}")
        if steps:
            steps.pop(0)()
        else:
            time.sleep(0.1)


def tail(path: Path, lines: int = 15) -> str:
    """The last ``lines`` lines of a log file ('' when it is missing)."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def stop_group(pid: int, grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM the process group led by ``pid`` and everything it spawned; SIGKILL what is still
    alive after ``grace`` seconds."""
    import psutil

    try:
        root = psutil.Process(pid)
        family = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        _signal_all(pid, family, sig)
        _, family = psutil.wait_procs(family, timeout=wait)
        if not family:
            return


def _signal_all(pgid: int, family: list, sig: int) -> None:
    """Send ``sig`` to a process group and to each listed process (some may have left the group)."""
    import psutil

    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass
    for process in family:
        try:
            process.send_signal(sig)
        except psutil.Error:
            pass


# ---- the data folder's long-running server (`newsetl server start|stop|status`) ----

def registry(settings: Settings) -> Path:
    """The file recording the data folder's server: pid, port, API URL."""
    return settings.prefect_home / REGISTRY_FILE


def read_record(settings: Settings) -> ServerRecord | None:
    """The recorded server, whether or not it still runs (None when there is no readable record)."""
    try:
        return ServerRecord(**json.loads(registry(settings).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def is_alive(record: ServerRecord) -> bool:
    """Whether the recorded process still runs (the same process, not a reuse of its pid)."""
    import psutil

    try:
        return abs(psutil.Process(record.pid).create_time() - record.create_time) < 1.0
    except psutil.Error:
        return False


def running_server(settings: Settings) -> ServerRecord | None:
    """The data folder's server when it runs and answers, else None."""
    record = read_record(settings)
    if record and is_alive(record) and healthy(record.api_url):
        return record
    return None


def start_server(settings: Settings, port: int | None = None, ui: bool = True,
                 timeout: float = START_TIMEOUT_SECONDS) -> tuple[ServerRecord, bool]:
    """Start the data folder's server in the background, or find it running: (record, started now)."""
    import psutil

    if record := running_server(settings):
        return record, False
    stale = read_record(settings)
    if stale and is_alive(stale):
        raise ServerError(f"the server recorded in {registry(settings)} (pid {stale.pid}) runs but does not answer"
                          f" at {stale.api_url}; `newsetl server stop` stops it")
    home, port = settings.prefect_home, port or free_port()
    fresh = not prefect_db.seed_home(home) and not (home / prefect_db.DB_FILE).exists()
    api_url = f"http://127.0.0.1:{port}/api"
    args = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    env = server_env(home, PREFECT_SERVER_UI_ENABLED=str(ui).lower())
    process = spawn(args, home, SERVER_LOG, env, append=True)
    wait_until_healthy(process, api_url, home / SERVER_LOG, timeout)
    if fresh:
        prefect_db.save_template(home)
    record = ServerRecord(pid=process.pid, port=port, api_url=api_url,
                          create_time=psutil.Process(process.pid).create_time(),
                          started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                          log=str(home / SERVER_LOG))
    _write_record(settings, record)
    return record, True


def stop_server(settings: Settings) -> ServerRecord | None:
    """Stop the data folder's server and forget it; the record of what was stopped, None if none ran."""
    record = read_record(settings)
    if record is None:
        return None
    alive = is_alive(record)
    if alive:
        stop_group(record.pid)
    registry(settings).unlink(missing_ok=True)
    return record if alive else None


def _write_record(settings: Settings, record: ServerRecord) -> None:
    """Store the record atomically (a reader never sees half of it)."""
    path = registry(settings)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(record), indent=2), encoding="utf-8")
    os.replace(tmp, path)


# ---- a server for one run ----

class RunServer:
    """Prefect's API for this process only, like Prefect's ephemeral mode but started before the
    run's imports, quiet (its output goes to ``<home>/run-server.log``), on a seeded database."""

    def __init__(self, home: Path, port: int | None = None):
        self.home = home
        self.port = port or free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.fresh = not prefect_db.seed_home(home) and not (home / prefect_db.DB_FILE).exists()
        self.ready = False
        args = tied_to_me(["-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                           "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"])
        # No block catalogue: newsetl uses no blocks and nobody browses a one-run server (0.5 s);
        # a `prefect server start` on this home registers it. Without the memo of that registration
        # the server also skips importing every installed Prefect collection (prefect-dask pulls in
        # dask.distributed: 0.5 s of CPU while the run's own imports compete for the cores).
        env = server_env(home, PREFECT_SERVER_UI_ENABLED="false", PREFECT_UI_ENABLED="0",
                         PREFECT_API_BLOCKS_REGISTER_ON_START="false",
                         PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION="false",
                         PREFECT__SERVER_EPHEMERAL="1", PREFECT__SERVER_FINAL="1")
        self.process = spawn(args, home, RUN_SERVER_LOG, env, append=False)
        atexit.register(self.stop)

    def wait_ready(self, meanwhile: Iterable[Callable[[], object]] = (), timeout: float = START_TIMEOUT_SECONDS) -> None:
        """Block until the server answers, running the ``meanwhile`` steps while it does not (then,
        on a new database, save it as the template)."""
        if self.ready:
            return
        wait_until_healthy(self.process, self.api_url, self.home / RUN_SERVER_LOG, timeout, meanwhile)
        self.ready = True
        if self.fresh:
            prefect_db.save_template(self.home)

    def alive(self) -> bool:
        """Whether the server process still runs."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the server (SIGTERM, SIGKILL after a grace period); safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                stop_group(self.process.pid, grace=0)
                self.process.wait()


@dataclass
class ApiChoice:
    """Where a run reports: ``mode`` is user, prefect, folder-server or run-server."""

    mode: str
    api_url: str | None
    run_server: RunServer | None = None

    def wait_ready(self, meanwhile: Iterable[Callable[[], object]] = ()) -> None:
        """Wait for a run server to answer, running the ``meanwhile`` steps while it does not
        (nothing to wait for, and nothing run, in the other modes)."""
        if self.run_server:
            self.run_server.wait_ready(meanwhile)

    def settings(self) -> ContextManager[object]:
        """Prefect's settings pointed at the chosen server, for the run (no change for the user's
        or Prefect's own choice)."""
        if self.mode not in ("folder-server", "run-server"):
            return nullcontext()
        from prefect.settings import PREFECT_API_URL, temporary_settings

        return temporary_settings(updates={PREFECT_API_URL: self.api_url})


_RUN_SERVER: RunServer | None = None


def api_for_run(settings: Settings) -> ApiChoice:
    """Choose (and for a run server, start) the API this process's runs report to. For the folder
    and run servers it sets ``PREFECT_API_URL``, which Prefect reads when it is imported; when
    Prefect was imported before, :meth:`ApiChoice.settings` applies the choice around the run."""
    global _RUN_SERVER
    if _RUN_SERVER and os.environ.get("PREFECT_API_URL") == _RUN_SERVER.api_url:
        if not _RUN_SERVER.alive():  # Prefect keeps the URL it read at import: restart on the same port
            _RUN_SERVER = RunServer(_RUN_SERVER.home, _RUN_SERVER.port)
        return ApiChoice("run-server", _RUN_SERVER.api_url, _RUN_SERVER)
    if os.environ.get("PREFECT_API_URL"):
        return ApiChoice("user", os.environ["PREFECT_API_URL"])
    if os.environ.get("PREFECT_HOME") != str(settings.prefect_home):
        return ApiChoice("prefect", None)
    if record := running_server(settings):
        os.environ["PREFECT_API_URL"] = record.api_url
        return ApiChoice("folder-server", record.api_url)
    _RUN_SERVER = RunServer(settings.prefect_home)
    os.environ["PREFECT_API_URL"] = _RUN_SERVER.api_url
    return ApiChoice("run-server", _RUN_SERVER.api_url, _RUN_SERVER)
