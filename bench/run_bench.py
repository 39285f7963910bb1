"""Ingest speed benchmark: wall times of real ``newsetl ingest`` runs, reported as ratios.

Each run is the CLI in a fresh subprocess (so Prefect's startup is included and measured), over a
deterministic corpus built by :mod:`bench.corpus`:

1. ``fixed``   one-document ingest into an empty data folder, ``--workers 1``: the fixed cost of a run
               (imports, Prefect's temporary server, model load, audit/publish on an empty-ish load).
2. ``cold-w1`` the corpus into an empty data folder, ``--workers 1`` (extraction inline, one process).
3. ``cold-w2`` the corpus into another empty data folder, ``--workers 2`` (spawned worker pool).
4. ``rerun``   the corpus again into the ``cold-w2`` folder: every unit is unchanged and skipped.

Then, in this process and without Prefect, the plain stage functions (extractors/batch.py, warehouse/stage.py) are
timed over a sample of the corpus (per-document cost of each stage).

Prefect's log timestamps split every run into startup, its tasks and shutdown. Throughput is given
net of the fixed run (``docs / (wall - fixed wall)``) and per ``process-batch`` task time. Ratios:
two workers vs one, rerun vs cold run, and every rate vs ``bench/baseline.json`` (``--save-baseline``
writes it). Results go to ``bench/results/<timestamp>.json``.

    .venv/bin/python bench/run_bench.py --docs 300
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # `bench` is a folder of scripts, not an installed package

from bench.corpus import CorpusInfo, build_corpus  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
BASELINE = BENCH_DIR / "baseline.json"
RUN_TIMEOUT_S = 1800
# Environment that must not leak into a benchmark run: it would pick another warehouse, Prefect
# home or (worse) a real Prefect API instead of the ephemeral one each run starts.
SCRUBBED_ENV = ("NEWSETL_WAREHOUSE", "NEWSETL_DATA_DIR", "PREFECT_HOME", "PREFECT_API_URL", "PREFECT_PROFILE")
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# Prefect console lines: "05:14:55.148 | INFO    | Task run 'discover-101' - Finished in state ..."
LOG_LINE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \| \w+\s*\| (.*)$")
TASK_FINISHED = re.compile(r"^Task run '(.+)-[0-9a-f]{3}' - Finished in state")
FLOW_BEGIN = re.compile(r"^Flow run '.+' - Beginning flow run")
FLOW_FINISHED = re.compile(r"^Flow run '.+' - Finished in state")
SERVER_START = re.compile(r"^prefect - Starting temporary server")


# --- one CLI run --------------------------------------------------------------------------------


@dataclass
class RunResult:
    """One ``newsetl ingest`` subprocess: its wall time, Prefect timeline and the run's counts."""

    name: str
    docs: int
    workers: int
    wall_s: float
    phases_s: dict[str, float] = field(default_factory=dict)  # startup, tasks (summed by name), shutdown
    counts: dict[str, int] = field(default_factory=dict)
    load_before: float = 0.0
    load_after: float = 0.0

    @property
    def batch_s(self) -> float:
        """Time in ``process-batch`` tasks: skip check, document building, extraction, staging."""
        return self.phases_s.get("process-batch", 0.0)


def child_env(blas_threads: int | None) -> dict[str, str]:
    """The environment of a benchmark run: ephemeral Prefect at INFO, wide lines, optional BLAS limit."""
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(PREFECT_LOGGING_LEVEL="INFO", COLUMNS="400", PREFECT_SERVER_ANALYTICS_ENABLED="false",
               GX_ANALYTICS_ENABLED="false")
    if blas_threads:
        env.update({var: str(blas_threads) for var in BLAS_THREAD_VARS})
    return env


def run_ingest_cli(name: str, corpus: CorpusInfo, data_dir: Path, workers: int, batch_size: int,
                   env: dict[str, str]) -> RunResult:
    """Run ``newsetl ingest`` on the corpus in a subprocess and time it."""
    command = [sys.executable, "-m", "newsetl", "ingest", str(corpus.folder), "--data-dir", str(data_dir),
               "--workers", str(workers), "--batch-size", str(batch_size)]
    load_before = os.getloadavg()[0]
    started = datetime.now()
    t0 = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark run {name!r} failed with exit code {proc.returncode}")
    result = RunResult(name, corpus.n_docs, workers, wall, load_before=load_before, load_after=os.getloadavg()[0])
    result.phases_s = prefect_phases(proc.stderr + proc.stdout, started, wall)
    result.counts = last_run_counts(data_dir / "newsetl.duckdb")
    return result


def prefect_phases(log: str, started: datetime, wall_s: float) -> dict[str, float]:
    """Split a run into phases from Prefect's log timestamps (tasks run one after another).

    ``imports`` runs from process start to Prefect's server start, ``server`` to the flow's start;
    each task's time is from the previous event to its ``Finished`` line, summed over its runs;
    ``shutdown`` is from the flow's end to process exit.
    """
    phases: dict[str, float] = {}
    previous = started
    for at, message in _log_events(log, started):
        if SERVER_START.match(message):
            phases["imports"] = _seconds(previous, at)
            previous = at
        elif FLOW_BEGIN.match(message):
            phases["server" if "imports" in phases else "startup"] = _seconds(previous, at)
            previous = at
        elif task := TASK_FINISHED.match(message):
            phases[task.group(1)] = phases.get(task.group(1), 0.0) + _seconds(previous, at)
            previous = at
        elif FLOW_FINISHED.match(message):
            phases["flow-tail"] = _seconds(previous, at)  # after the last task: artifact, summary log
            previous = at
    phases["shutdown"] = max(0.0, wall_s - _seconds(started, previous))
    return phases


def _log_events(log: str, started: datetime):
    """``(datetime, message)`` of each Prefect console line, dated from the run's start."""
    for line in log.splitlines():
        match = LOG_LINE.match(line)
        if not match:
            continue
        h, m, s, ms, message = match.groups()
        at = started.replace(hour=int(h), minute=int(m), second=int(s), microsecond=int(ms) * 1000)
        if at < started - timedelta(hours=1):  # the run crossed midnight
            at += timedelta(days=1)
        yield at, message


def _seconds(a: datetime, b: datetime) -> float:
    return max(0.0, (b - a).total_seconds())


def last_run_counts(warehouse: Path) -> dict[str, int]:
    """Outcome counts of the newest run in the warehouse's ``ingest_runs``."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("""SELECT n_seen, n_new, n_unchanged, n_updated, n_duplicate, n_quarantined
                             FROM ingest_runs ORDER BY started_at DESC LIMIT 1""").fetchone()
    finally:
        con.close()
    return dict(zip(("seen", "new", "unchanged", "updated", "duplicate", "quarantined"), row))


# --- stage functions in-process -----------------------------------------------------------------


def sample_units(corpus: CorpusInfo, n_docs: int) -> tuple[list, list]:
    """``n_docs`` input units spread evenly over the corpus (every format represented), and a
    warm-up unit outside the sample (warming up on a sampled text would hit the NLP text cache)."""
    from newsetl.extractors.sources.files import read_units, scan

    units = list(read_units(scan([str(corpus.folder)]).files))
    rest = units[1:]
    if n_docs >= len(rest):
        return rest, units[:1]
    spacing = (len(rest) - 1) / max(1, n_docs - 1)
    return [rest[round(i * spacing)] for i in range(n_docs)], units[:1]


def profile_stages(corpus: CorpusInfo, n_docs: int, work_dir: Path) -> dict[str, float]:
    """Seconds per document of each plain stage function over the first ``n_docs`` units.

    Runs inline in this process, without Prefect: model load, skip check, document building,
    entity extraction (analysis minus building), staging one batch, corpus-wide entity resolution,
    and the cost of opening a warehouse write connection (paid twice per batch). Lazy imports and
    caches are warmed on one document first.
    """
    from newsetl.extractors import batch as analysis
    from newsetl.extractors.documents.build import build_document
    from newsetl.warehouse import runs, stage
    from newsetl.warehouse.classify import RunState
    from newsetl.warehouse.db import writer
    from newsetl.warehouse.entities import resolve_entities

    warehouse = work_dir / "profile.duckdb"
    units, warm_up = sample_units(corpus, n_docs)
    timings = {"model_load_s": _timed(analysis.warm_up)}
    analysis.analyse_units(warm_up)
    with writer(warehouse) as con:
        runs.begin_run(con, "bench-profile", None, [str(corpus.folder)])
    timings["writer_open_s"] = statistics.median(_timed(_open_writer, warehouse) for _ in range(5))
    timings["skip_check_per_doc_s"] = _timed(stage.split_unchanged, warehouse, units, RunState(), analysis.extractor_version()) / len(units)
    build_s = _timed(lambda: [build_document(u) for u in units])
    results: list = []
    analyse_s = _timed(lambda: results.extend(analysis.analyse_units(units)))
    timings["build_document_per_doc_s"] = build_s / len(units)
    timings["entities_per_doc_s"] = max(0.0, analyse_s - build_s) / len(units)
    stage_s = _timed(stage.stage_batch, warehouse, "bench-profile", RunState(), results, [])
    timings["stage_per_doc_s"] = stage_s / len(units)
    timings["resolve_entities_s"] = _timed(_resolve, warehouse, resolve_entities)
    timings["pool_startup_2w_s"] = pool_startup_s(2)
    timings["docs"] = len(units)
    return timings


def pool_startup_s(workers: int, pause_s: float = 1.0) -> float:
    """Seconds until a fresh pool of ``workers`` warmed-up processes has run one task per worker.

    Each task sleeps ``pause_s`` (subtracted) so that one worker cannot take them all.
    """
    from newsetl.extractors.workers import AnalysisPool

    t0 = time.perf_counter()
    with AnalysisPool(workers) as pool:
        list(pool.executor.map(time.sleep, [pause_s] * workers))
        elapsed = time.perf_counter() - t0
    return max(0.0, elapsed - pause_s)


def _resolve(warehouse: Path, resolve_entities) -> None:
    from newsetl.warehouse.db import writer

    with writer(warehouse) as con:
        resolve_entities(con)


def _open_writer(warehouse: Path) -> None:
    from newsetl.warehouse.db import writer

    with writer(warehouse):
        pass


def _timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def cprofile_analysis(corpus: CorpusInfo, n_docs: int, top: int = 15) -> list[dict]:
    """The functions with the most own time while analysing ``n_docs`` units inline (cProfile)."""
    import cProfile
    import pstats

    from newsetl.extractors import batch as analysis

    analysis.warm_up()
    units, warm_up = sample_units(corpus, n_docs)
    analysis.analyse_units(warm_up)
    profiler = cProfile.Profile()
    profiler.runcall(analysis.analyse_units, units)
    stats = pstats.Stats(profiler).stats
    rows = [{"function": f"{'/'.join(Path(file).parts[-2:])}:{line}({fn})", "calls": calls, "own_s": own, "cumulative_s": cum}
            for (file, line, fn), (_, calls, own, cum, _) in stats.items()]
    return sorted(rows, key=lambda r: r["own_s"], reverse=True)[:top]


# --- ratios, baseline, report ------------------------------------------------------------------


def summarize(runs: dict[str, RunResult]) -> dict[str, dict[str, float]]:
    """Per run: wall, net of the fixed run, and docs/s both net and per batch-task time."""
    fixed = runs["fixed"].wall_s
    rows = {}
    for name, run in runs.items():
        net = run.wall_s - fixed if name != "fixed" else run.wall_s
        rows[name] = {"docs": run.docs, "workers": run.workers, "wall_s": run.wall_s, "net_s": net,
                      "docs_per_s": run.docs / net if net > 0 else None,
                      "batch_s": run.batch_s,
                      "batch_docs_per_s": run.docs / run.batch_s if run.batch_s > 0 else None}
    return rows


def ratios(summary: dict[str, dict[str, float]]) -> dict[str, float | None]:
    """Speed-up of two workers over one, and the rerun's cost relative to the cold run."""
    w1, w2, rerun = summary["cold-w1"], summary["cold-w2"], summary["rerun"]
    return {
        "speedup_2w_vs_1w_net": _ratio(w1["net_s"], w2["net_s"]),
        "speedup_2w_vs_1w_batch": _ratio(w1["batch_s"], w2["batch_s"]),
        "speedup_2w_vs_1w_wall": _ratio(w1["wall_s"], w2["wall_s"]),
        "rerun_vs_cold_wall": _ratio(rerun["wall_s"], w2["wall_s"]),
        "rerun_vs_cold_batch": _ratio(rerun["batch_s"], w2["batch_s"]),
        "rerun_vs_fixed_wall": _ratio(rerun["wall_s"], summary["fixed"]["wall_s"]),
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b not in (None, 0) and a > 0 and b > 0 else None


BASELINE_METRICS = ("wall_s", "docs_per_s", "batch_docs_per_s")


def compare_with_baseline(summary: dict, baseline: dict) -> dict[str, dict[str, float | None]]:
    """For each run and metric, current ÷ baseline (for docs/s above 1 is faster; for wall_s below 1)."""
    compared = {}
    for name, row in summary.items():
        base = baseline.get("summary", {}).get(name)
        if base:
            compared[name] = {m: _ratio(row.get(m), base.get(m)) for m in BASELINE_METRICS}
    return compared


def machine_info() -> dict:
    """What the numbers were measured on."""
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "host": platform.node()}


SOURCE_DIRS = ("newsetl", "flows", "extractors", "schemas", "warehouse")


def code_version() -> dict:
    """The commit measured, how many tracked files differ from it (the tree is often mid-edit), and a
    fingerprint of the package's sources to tell whether they changed while the benchmark ran."""
    def git(*args: str) -> str:
        proc = subprocess.run(["git", "-C", str(BENCH_DIR.parent), *args], capture_output=True, text=True)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    return {"commit": git("rev-parse", "--short", "HEAD") or None,
            "changed_files": len(git("status", "--porcelain", "--untracked-files=no").splitlines()),
            "sources": source_fingerprint()}


def source_fingerprint() -> str:
    """A short hash over the package's .py and .sql files (paths and contents)."""
    digest = hashlib.sha256()
    root = BENCH_DIR.parent
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".sql") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def sanity_warnings(result: dict, sources_at_start: str) -> list[str]:
    """Reasons not to trust this result: code edited mid-run, a rerun that did not skip, duplicates."""
    warnings = []
    if result["code"]["sources"] != sources_at_start:
        warnings.append("the package's sources changed while the benchmark ran: runs measured different code")
    rerun = result["runs"]["rerun"]["counts"]
    if rerun["unchanged"] != rerun["seen"]:
        warnings.append(f"the rerun did not skip every unit: {rerun}")
    for name in ("cold-w1", "cold-w2"):
        counts = result["runs"][name]["counts"]
        if counts["new"] != counts["seen"]:
            warnings.append(f"{name} did not load every unit as new: {counts}")
    return warnings


def print_report(result: dict) -> None:
    """The results as plain-text tables."""
    summary, phases = result["summary"], result["phases_s"]
    print(f"\ncorpus: {result['corpus']['n_docs']} docs {result['corpus']['by_format']}, "
          f"{result['corpus']['n_bytes'] / 1e6:.1f} MB; batch size {result['batch_size']}; "
          f"BLAS threads {result['blas_threads'] or 'default'}; machine {result['machine']['cpus']} CPUs; "
          f"code {result['code']['commit']} + {result['code']['changed_files']} changed files")
    print(f"\n{'run':<9}{'docs':>6}{'workers':>8}{'wall s':>9}{'net s':>8}{'docs/s':>8}"
          f"{'batch s':>9}{'batch docs/s':>13}{'load avg':>13}  outcomes")
    for name, row in summary.items():
        run = result["runs"][name]
        counts = ", ".join(f"{k} {v}" for k, v in run["counts"].items() if v and k != "seen")
        print(f"{name:<9}{row['docs']:>6}{row['workers']:>8}{row['wall_s']:>9.1f}{row['net_s']:>8.1f}"
              f"{_fmt(row['docs_per_s']):>8}{row['batch_s']:>9.1f}{_fmt(row['batch_docs_per_s']):>13}"
              f"{run['load_before']:>6.1f}->{run['load_after']:<5.1f}  {counts}")
    print("\nphases (s) from Prefect's log:")
    names = list(dict.fromkeys(p for run in phases.values() for p in run))
    print(f"{'run':<9}" + "".join(f"{n[:14]:>15}" for n in names))
    for run, row in phases.items():
        print(f"{run:<9}" + "".join(f"{row.get(n, 0.0):>15.1f}" for n in names))
    print("\nratios:")
    for name, value in result["ratios"].items():
        print(f"  {name:<28}{_fmt(value, 2)}")
    if result.get("stages"):
        print("\nstage functions in-process (inline, no Prefect):")
        for name, value in result["stages"].items():
            print(f"  {name:<28}{value:.4f}" if isinstance(value, float) else f"  {name:<28}{value}")
    if result.get("hotspots"):
        print("\ncProfile of inline analysis, top own time:")
        for row in result["hotspots"]:
            print(f"  {row['own_s']:>7.2f}s own {row['cumulative_s']:>7.2f}s cum {row['calls']:>8}  {row['function']}")
    if result.get("vs_baseline"):
        print(f"\nvs baseline ({result['baseline_created']}; current / baseline; docs/s >1 faster, wall_s <1 faster):")
        for name, row in result["vs_baseline"].items():
            print(f"  {name:<9}" + "  ".join(f"{m} {_fmt(v, 2)}" for m, v in row.items()))
    print("\nthe machine is shared: expect +-20% noise between runs (see the load averages); compare ratios.")
    for warning in result.get("warnings", []):
        print(f"WARNING: {warning}")


def _fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300, help="corpus size in documents (default 300)")
    parser.add_argument("--batch-size", type=int, default=200, help="ingest --batch-size (default 200, the CLI's)")
    parser.add_argument("--profile-docs", type=int, default=48,
                        help="documents for the in-process stage timing and cProfile (0 skips both)")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="set OPENBLAS/OMP/MKL_NUM_THREADS for every run (default: leave unset)")
    parser.add_argument("--save-baseline", action="store_true", help=f"write the results to {BASELINE.name}")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="baseline to compare with")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and data folders")
    return parser.parse_args(argv)


def run_benchmark(args: argparse.Namespace, work: Path) -> dict:
    """Build the corpora, run the four ingests and the in-process stage timings."""
    corpus = build_corpus(work / "corpus", args.docs)
    tiny = build_corpus(work / "tiny", 1)
    env = child_env(args.blas_threads)
    plan = [("fixed", tiny, work / "data-fixed", 1), ("cold-w1", corpus, work / "data-w1", 1),
            ("cold-w2", corpus, work / "data-w2", 2), ("rerun", corpus, work / "data-w2", 2)]
    runs = {}
    for name, docs, data_dir, workers in plan:
        print(f"{name}: {docs.n_docs} docs, --workers {workers} ...", flush=True)
        runs[name] = run_ingest_cli(name, docs, data_dir, workers, args.batch_size, env)
        print(f"  {runs[name].wall_s:.1f} s  {runs[name].counts}", flush=True)
    summary = summarize(runs)
    result = {
        "created": datetime.now().isoformat(timespec="seconds"), "machine": machine_info(),
        "code": code_version(),
        "corpus": {"n_docs": corpus.n_docs, "by_format": corpus.by_format, "n_bytes": corpus.n_bytes},
        "batch_size": args.batch_size, "blas_threads": args.blas_threads,
        "runs": {name: asdict(run) for name, run in runs.items()},
        "phases_s": {name: run.phases_s for name, run in runs.items()},
        "summary": summary, "ratios": ratios(summary),
    }
    if args.profile_docs:
        print(f"stage functions in-process over {args.profile_docs} docs ...", flush=True)
        result["stages"] = profile_stages(corpus, args.profile_docs, work)
        result["hotspots"] = cprofile_analysis(corpus, args.profile_docs)
    return result


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.blas_threads:  # before numpy is imported by the in-process stage timing
        os.environ.update({var: str(args.blas_threads) for var in BLAS_THREAD_VARS})
    sources_at_start = source_fingerprint()
    work = Path(tempfile.mkdtemp(prefix="newsetl-bench-"))
    try:
        result = run_benchmark(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["warnings"] = sanity_warnings(result, sources_at_start)
    if args.baseline.exists():
        baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
        result["baseline_created"] = baseline.get("created")
        result["vs_baseline"] = compare_with_baseline(result["summary"], baseline)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print_report(result)
    print(f"\nresults: {out}" + (f"  (kept {work})" if args.keep else ""))
    if args.save_baseline and result["warnings"]:
        print("baseline NOT saved: fix the warnings above and run again")
    elif args.save_baseline:
        baseline = {k: v for k, v in result.items() if k not in ("vs_baseline", "baseline_created", "warnings")}
        args.baseline.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"baseline saved: {args.baseline}")


if __name__ == "__main__":
    main()
