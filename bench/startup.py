"""Start-up benchmark: wall time of ``newsetl ingest samples/`` on a new data folder, then again.

    .venv/bin/python bench/startup.py                   # every mode, 2 rounds (about 3-4 minutes)
    .venv/bin/python bench/startup.py --rounds 1 --later 1 --modes run-server folder-server

Each round makes a new data folder and times, as a user's shell would (a child process, output to a
pipe), the first ingest of the bundled samples and ``--later`` ingests after it (every unit
unchanged). The modes (issue 9, item 6):

- ``run-server``: nothing running, the per-user template database cached: what a user meets on a
  new data folder from the second folder on. newsetl starts a server for the run on a copy of the
  template, in the background while it imports.
- ``cold-cache``: the same with an empty cache: the very first run on a machine, which migrates
  Prefect's database (and saves the template).
- ``folder-server``: ``newsetl server start`` first (its time is reported apart), then the runs
  report to it.
- ``prefect-ephemeral``: the behaviour before: ``PREFECT_HOME`` set by the user, so Prefect starts
  its own temporary server and migrates a new database for every new folder.

Targets: first run ≤ 15 s, later runs ≤ 8 s, and a later run's flow time (nothing new: ``started_at`` to
``finished_at`` in ``ingest_runs``) under 3 s; ratios are measured ÷ target (≤ 1 meets it). Times on
a shared machine move with its load: the 1-minute load average is recorded around every run, and so
is the CPU time of the command and of the children it waited for (its run server, its analysis
workers; not a folder server), which moves much less.
Results go to ``bench/results/startup-<timestamp>.json``. Any ``PREFECT_*``/``NEWSETL_*`` setting in
your environment is removed for the runs; your own cache is never touched.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
RESULTS = ROOT / "bench" / "results"
NEWSETL = [sys.executable, "-m", "newsetl"]
SERVER = [sys.executable, "-m", "newsetl.cli_server"]  # `newsetl server`, also before cli.py registers it
TARGETS = {"first": 15.0, "later": 8.0, "empty_flow": 3.0}
MODES = ("run-server", "cold-cache", "folder-server", "prefect-ephemeral")
RUN_TIMEOUT = 600


def load() -> float:
    """The machine's 1-minute load average."""
    return round(os.getloadavg()[0], 2)


def base_env(cache: Path) -> dict[str, str]:
    """The caller's environment without Prefect's or newsetl's settings, with a private cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSETL_"))}
    env.update(NEWSETL_CACHE_DIR=str(cache), PYTHONUNBUFFERED="1")
    return env


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, grandchildren included
    when their parent waited for them (the run server and the analysis workers are)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(env: dict[str, str], *args: str, command: list[str] = NEWSETL) -> dict:
    """Run ``newsetl <args>``: wall and CPU seconds, exit code, load before/after, last output line.
    CPU time moves much less than wall time with the machine's load."""
    before, started, cpu = load(), time.monotonic(), children_cpu()
    done = subprocess.run([*command, *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=RUN_TIMEOUT, check=False)
    wall = round(time.monotonic() - started, 2)
    lines = (done.stdout + done.stderr).strip().splitlines()
    return {"wall_s": wall, "cpu_s": round(children_cpu() - cpu, 2), "code": done.returncode,
            "load_before": before, "load_after": load(),
            "last_line": lines[-1] if lines else ""}


class RunFailed(RuntimeError):
    """An ingest under measurement did not exit 0."""


def ingest(env: dict[str, str], data: Path) -> dict:
    """One timed ingest of the samples into ``data``; raises :class:`RunFailed` when it fails."""
    result = timed(env, "ingest", str(SAMPLES), "--data-dir", str(data))
    if result["code"] != 0:
        raise RunFailed(f"ingest into {data} exited {result['code']}: {result['last_line'][:300]}")
    result["flow_s"] = flow_seconds(data / "newsetl.duckdb")
    return result


def flow_seconds(warehouse: Path) -> float:
    """The newest run's time inside the flow, from its start to its final counts (``ingest_runs``):
    what is left when the Prefect server's start and the process's imports are taken away."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        started, finished = con.execute(
            "SELECT started_at, finished_at FROM ingest_runs ORDER BY started_at DESC LIMIT 1").fetchone()
    return round((finished - started).total_seconds(), 2)


def warm_template(env: dict[str, str], work: Path) -> None:
    """Make the template database in the bench's cache with one throwaway run."""
    ingest(env, work / "warm-up")


def run_round(mode: str, work: Path, number: int, later: int, warm_cache: Path) -> dict:
    """One new data folder in ``mode``: its first run and ``later`` runs after it."""
    data = work / f"{mode}-{number}" / "data"
    cache = work / f"cache-cold-{number}" if mode == "cold-cache" else warm_cache
    env = base_env(cache)
    if mode == "prefect-ephemeral":
        env["PREFECT_HOME"] = str(data.parent / "prefect-home")
    record: dict = {"mode": mode, "round": number}
    if mode == "folder-server":
        record["server_start"] = timed(env, "start", "--data-dir", str(data), "--no-ui", command=SERVER)
    try:
        record["first"] = ingest(env, data)
        record["later"] = [ingest(env, data) for _ in range(later)]
    except RunFailed as exc:
        record["error"] = str(exc)
        print(f"  {mode:18} round {number}: FAILED {exc}", flush=True)
        return record
    finally:
        if mode == "folder-server":
            record["server_stop"] = timed(env, "stop", "--data-dir", str(data), command=SERVER)
    print(f"  {mode:18} round {number}: first {record['first']['wall_s']:6.2f} s, later "
          + ", ".join(f"{r['wall_s']:.2f}" for r in record["later"]) + " s", flush=True)
    return record


def summarise(rounds: list[dict]) -> dict:
    """Medians per mode of first and later runs, and their ratios to the targets."""
    summary = {}
    for mode in dict.fromkeys(r["mode"] for r in rounds):
        mine = [r for r in rounds if r["mode"] == mode and "error" not in r]
        if not mine:
            continue
        first = statistics.median(r["first"]["wall_s"] for r in mine)
        later_runs = [x["wall_s"] for r in mine for x in r["later"]]
        later = statistics.median(later_runs) if later_runs else None
        later_cpu = [x["cpu_s"] for r in mine for x in r["later"]]
        later_flow = [x["flow_s"] for r in mine for x in r["later"]]
        summary[mode] = {"first_s": first, "later_s": later,
                         "first_cpu_s": statistics.median(r["first"]["cpu_s"] for r in mine),
                         "later_cpu_s": statistics.median(later_cpu) if later_cpu else None,
                         "first_flow_s": statistics.median(r["first"]["flow_s"] for r in mine),
                         "later_flow_s": statistics.median(later_flow) if later_flow else None,
                         "first_vs_target": round(first / TARGETS["first"], 2),
                         "later_vs_target": round(later / TARGETS["later"], 2) if later else None,
                         "loads": [r["first"]["load_before"] for r in mine]}
        starts = [r["server_start"]["wall_s"] for r in mine if "server_start" in r]
        if starts:
            summary[mode]["server_start_s"] = statistics.median(starts)
    return summary


def print_table(summary: dict) -> None:
    """The medians and ratios as a table."""
    print(f"\n{'mode':18} {'first s':>8} {'÷15 s':>6} {'cpu s':>6} {'later s':>8} {'÷8 s':>6} {'cpu s':>6}"
          f" {'flow s':>7} {'÷3 s':>5}  load (1 min) at each first run")
    for mode, row in summary.items():
        later = (f"{row['later_s']:8.2f} {row['later_vs_target']:6.2f} {row['later_cpu_s']:6.1f}"
                 f" {row['later_flow_s']:7.2f} {row['later_flow_s'] / TARGETS['empty_flow']:5.2f}" if row["later_s"]
                 else f"{'-':>8} {'-':>6} {'-':>6} {'-':>7} {'-':>5}")
        extra = f"  (server start {row['server_start_s']:.1f} s)" if "server_start_s" in row else ""
        print(f"{mode:18} {row['first_s']:8.2f} {row['first_vs_target']:6.2f} {row['first_cpu_s']:6.1f} {later}"
              f"  {row['loads']}{extra}")


def compile_package() -> None:
    """Write newsetl's bytecode before measuring: a user's Python caches it after the first import,
    but with ``PYTHONDONTWRITEBYTECODE`` set every measured process would compile newsetl again."""
    import compileall

    for name in ("newsetl", "flows", "extractors", "schemas", "warehouse", "validation", "report"):
        compileall.compile_dir(str(Path(__file__).resolve().parent.parent / name), quiet=1)


def main() -> None:
    """Measure, print and store."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--rounds", type=int, default=2, help="new data folders per mode (default 2)")
    parser.add_argument("--later", type=int, default=2, help="runs after the first, per folder (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--cli", nargs="+", default=None, metavar="ARG",
                        help="the command that runs newsetl (default: python -m newsetl)")
    args = parser.parse_args()
    if args.cli:
        NEWSETL[:] = args.cli
    compile_package()
    work = Path(tempfile.mkdtemp(prefix="newsetl-startup-"))
    warm_cache = work / "cache-warm"
    print(f"newsetl start-up bench in {work}; load {load()}", flush=True)
    try:
        if {"run-server", "folder-server"} & set(args.modes):
            try:
                warm_template(base_env(warm_cache), work)
            except RunFailed as exc:
                raise SystemExit(f"the warm-up run failed, nothing measured: {exc}")
        # Modes alternate within each round, so a change in the machine's load hits all of them.
        rounds = [run_round(mode, work, number, args.later, warm_cache)
                  for number in range(1, args.rounds + 1) for mode in args.modes]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    summary = summarise(rounds)
    print_table(summary)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"startup-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"targets": TARGETS, "cpus": os.cpu_count(), "summary": summary, "rounds": rounds},
                              indent=2), encoding="utf-8")
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
