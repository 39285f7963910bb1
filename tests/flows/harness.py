"""Helpers of the hostile-input and crash tests: the real CLI in a subprocess, the memory and
processes of its whole tree, and a table-by-table snapshot of a warehouse."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psutil

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / ".venv" / "bin" / "newsetl"
KILL_HOOK_DIR = Path(__file__).resolve().parent / "killhook"
FACTRU = ROOT / "tests" / "data" / "factru-dev" / "documents.jsonl"

# Columns that say which run or when, not what: a rerun after a crash may differ there and
# nowhere else. ``doc_no`` is the search index's internal row number (compared by doc_id instead).
BOOKKEEPING_COLUMNS = frozenset({
    "run_id", "flow_run_id", "first_run_id", "last_run_id", "first_seen_run", "last_seen_run",
    "updated_run", "created_run", "loaded_run", "superseded_run", "quarantined_at", "validated_at",
    "started_at", "finished_at", "doc_no",
})
# The run history itself differs by design between a crashed-and-rerun build and a clean one.
HISTORY_TABLES = frozenset({"ingest_runs", "run_inputs", "dq_results", "search_postings"})


def factru_records(n: int) -> list[dict]:
    """The first ``n`` factRuEval dev texts as JSONL records."""
    with FACTRU.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(n), handle)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    """Write ``records`` one JSON object a line."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@dataclass
class TreeWatch:
    """Samples a process and all its descendants every ``interval`` seconds: the peak of their
    summed RSS, and every process seen (pid with its start time, so a reused pid is not mistaken)."""

    root: psutil.Process
    interval: float = 0.2
    peak_rss: int = 0
    seen: dict[tuple[int, float], str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        """One sample of the tree's RSS and members."""
        try:
            family = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for process in family:
            try:
                with process.oneshot():
                    total += process.memory_info().rss
                    self.seen.setdefault((process.pid, process.create_time()), " ".join(process.cmdline())[:200])
            except psutil.Error:
                continue
        self.peak_rss = max(self.peak_rss, total)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class CliRun:
    """The outcome of one CLI invocation."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss: int
    seen: dict[tuple[int, float], str]


def cli_env(**extra: str) -> dict[str, str]:
    """The CLI's environment: the test session's, minus Prefect settings that would point it elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSETL_"))}
    env.update(extra)
    return env


def start_cli(args: list[str], kill: dict | None = None, **env: str) -> tuple[subprocess.Popen, TreeWatch]:
    """Start ``newsetl ARGS`` in a subprocess and watch its process tree. ``kill`` (see
    ``killhook/sitecustomize.py``) makes it SIGKILL itself, or pause, at a chosen point."""
    extra = dict(env)
    if kill is not None:
        extra["NEWSETL_TEST_KILL"] = json.dumps(kill)
        extra["PYTHONPATH"] = os.pathsep.join(filter(None, [str(KILL_HOOK_DIR), os.environ.get("PYTHONPATH")]))
    process = subprocess.Popen([str(CLI), *args], cwd=ROOT, env=cli_env(**extra), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return process, TreeWatch(psutil.Process(process.pid))


def finish_cli(process: subprocess.Popen, watch: TreeWatch, timeout: float, started: float) -> CliRun:
    """Wait for a started CLI (killing its tree past ``timeout``) and collect what it did."""
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        watch.sample()
        kill_all(watch.seen)
        stdout, stderr = process.communicate()
        raise AssertionError(f"newsetl {' '.join(process.args[1:])} ran over {timeout} s:\n{stderr[-3000:]}")
    finally:
        watch.stop()
    return CliRun(process.returncode, stdout, stderr, time.monotonic() - started, watch.peak_rss, watch.seen)


def run_cli(args: list[str], timeout: float, kill: dict | None = None, **env: str) -> CliRun:
    """Run ``newsetl ARGS`` to its end (see :func:`start_cli`)."""
    started = time.monotonic()
    process, watch = start_cli(args, kill, **env)
    return finish_cli(process, watch, timeout, started)


def alive(seen: dict[tuple[int, float], str]) -> dict[int, str]:
    """The processes of ``seen`` still running (zombies count as gone)."""
    left = {}
    for (pid, created), cmdline in seen.items():
        try:
            process = psutil.Process(pid)
            if abs(process.create_time() - created) < 0.01 and process.status() != psutil.STATUS_ZOMBIE:
                left[pid] = cmdline
        except psutil.Error:
            continue
    return left


def mentioning(needle: str) -> dict[int, str]:
    """Processes (other than this one) whose command line, working folder or environment mention ``needle``."""
    found = {}
    for process in psutil.process_iter(["pid", "cmdline", "cwd", "environ", "status"]):
        info = process.info
        if info["pid"] == os.getpid() or info["status"] == psutil.STATUS_ZOMBIE:
            continue
        text = " ".join(info["cmdline"] or []) + " " + (info["cwd"] or "") + " " + " ".join((info["environ"] or {}).values())
        if needle in text:
            found[info["pid"]] = " ".join(info["cmdline"] or [])[:200]
    return found


def leftovers(run: CliRun, data_dir: Path, grace: float = 10.0) -> dict[int, str]:
    """Processes of a finished or killed run still alive after ``grace`` seconds: any member of
    its tree, or any process mentioning its data folder."""
    deadline = time.monotonic() + grace
    while True:
        left = {**alive(run.seen), **mentioning(str(data_dir))}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


def kill_all(processes) -> None:
    """SIGKILL processes (by pid) that a failing test would otherwise leave behind."""
    pids = [key[0] if isinstance(key, tuple) else key for key in processes]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def published_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The warehouse's published base tables (no staging, no run history)."""
    rows = con.execute("""SELECT table_name FROM information_schema.tables
                          WHERE table_schema = 'main' AND table_type = 'BASE TABLE'
                          ORDER BY table_name""").fetchall()
    return [name for (name,) in rows if not name.startswith("stg_") and name not in HISTORY_TABLES]


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every published table as sorted rows without bookkeeping columns, plus the search postings by doc_id."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {}
        for table in published_tables(con) + ["v_search_postings"]:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if c not in BOOKKEEPING_COLUMNS]
            rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            tables[table] = sorted(rows, key=repr)
        return tables


def differences(left: dict[str, list[tuple]], right: dict[str, list[tuple]]) -> dict[str, str]:
    """Per table, a short description of how two snapshots differ (empty when identical)."""
    found = {}
    for table in sorted(set(left) | set(right)):
        a, b = left.get(table), right.get(table)
        if a == b:
            continue
        if a is None or b is None:
            found[table] = "missing on one side"
            continue
        only_a = [r for r in a if r not in b][:3]
        only_b = [r for r in b if r not in a][:3]
        found[table] = f"{len(a)} vs {len(b)} rows; only left: {only_a!r:.600}; only right: {only_b!r:.600}"
    return found


def search_hits(warehouse: Path, query: str) -> list[str]:
    """The doc ids a full-text query finds, in rank order (ties by doc id)."""
    from newsetl.warehouse.db import load_fts

    with duckdb.connect(str(warehouse), read_only=True) as con:
        load_fts(con)
        rows = con.execute("SELECT doc_id FROM search_documents(?, NULL, NULL, NULL, NULL, NULL) "
                           "ORDER BY score DESC, doc_id", [query]).fetchall()
    return [doc_id for (doc_id,) in rows]


def ingest_args(inputs: list[Path], data_dir: Path, *options: str) -> list[str]:
    """The arguments of ``newsetl ingest``."""
    return ["ingest", *map(str, inputs), "--data-dir", str(data_dir), *options]


def python() -> str:
    """The test session's interpreter (the project's venv)."""
    return sys.executable
