"""The scale bench of issue 13: one command, every figure measured in one run, reported as ratios.

    .venv/bin/python bench/run_bench.py                  # sizes 1000,5000,20000 (about an hour on 2 busy cores)
    .venv/bin/python bench/run_bench.py --quick          # sizes 100,200,400 (a few minutes): checks the bench
    .venv/bin/python bench/run_bench.py --save-baseline  # also store the result as bench/baseline.json
    .venv/bin/python bench/run_bench.py --sizes 1000 --existing 50000=DATA_DIR --probe-namespace probe-b
        # (a) into a copy of a warehouse built earlier (a cold 50k ingest takes hours), with probe
        # documents that warehouse does not hold yet

One Prefect server is started for the whole bench (newsetl's own ``newsetl server start``, no UI),
so no measured run pays a server start. Every ingest runs in its own process
(``bench/ingest_child.py``: the Python API's flow, stage functions wrapped in timers) while this
process samples the RSS of its process tree. The corpus is recombined from the repository's texts
(``bench/corpus.py``). Measured, in this order:

1. a warm-up ingest (not counted): the server's first flow run;
2. ``probe-r0-0``: the ``--probe-docs`` new documents of the probe into a new data folder;
3. for each size S (ascending): ``cold-S``, the first S documents into a new data folder with
   ``--workers`` workers (right before the size of (b), the one-process analysis rate,
   ``bench/analysis_child.py``; right after the smallest, ``rerun-S``, the same documents again, all
   unchanged), then ``probe-r0-S``, the probe into that warehouse;
4. further repeats of the probe (``--repeats``, other new documents each), over every warehouse in
   the reverse order and back, so a drift of the machine's load cancels out.

Before each measured run the bench waits (up to a minute) until the server is idle, so that no run
pays for the previous run's backlog of events and logs (a scheduled run 15 minutes later never
meets it).

Each step's figures are usable on their own: a bench stopped early (Ctrl-C, SIGTERM, a failed run)
still reports what it measured.

Reported: (a) probe flow time by warehouse size / empty (best of the repeats), (b) end-to-end
docs/s of ``cold`` at the middle size over the one-process rate, (c) ``cold`` / ``rerun`` wall time
at the smallest size, (d) peak RSS of the tree, ``cold`` at the largest size / the smallest; the
per-stage profile of a document, stage times of every run, peak memory by stage, load averages.
Results go to ``bench/results/<timestamp>.json`` and are compared with ``bench/baseline.json``.
The bench never fails on speed; speed stays out of the tests.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # `bench` is a folder of scripts, not an installed package

from bench import report  # noqa: E402
from bench.corpus import CorpusInfo, build_corpus  # noqa: E402
from bench.measure import (  # noqa: E402
    SharedServer, child_env, compile_sources, run_child, start_shared_server, wait_until_idle)
from bench.records import ingest_record  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
BASELINE = BENCH_DIR / "baseline.json"
SOURCE_DIRS = ("newsetl", "flows", "extractors", "schemas", "warehouse", "validation", "report")
DEFAULTS = {"sizes": [1000, 5000, 20000], "repeats": 2, "analysis_docs": 400, "profile_docs": 60}
QUICK = {"sizes": [100, 200, 400], "repeats": 1, "analysis_docs": 60, "profile_docs": 20}
WARM_UP_DOCS = 5


# --- context --------------------------------------------------------------------------------------


def machine_info() -> dict:
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "host": platform.node()}


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def code_version(rev: str | None) -> dict:
    """What is measured: the working tree (its commit and how many tracked files differ from it) or
    a committed revision (``--code``), and a fingerprint of the sources."""
    def git(*args: str) -> str:
        proc = subprocess.run(["git", "-C", str(BENCH_DIR.parent), *args], capture_output=True, text=True)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    if rev:
        return {"measured": f"committed {rev}", "commit": git("rev-parse", "--short", rev) or rev, "changed_files": 0}
    return {"measured": "working tree", "commit": git("rev-parse", "--short", "HEAD") or None,
            "changed_files": len(git("status", "--porcelain", "--untracked-files=no").splitlines()),
            "sources": source_fingerprint()}


def source_fingerprint(root: Path = BENCH_DIR.parent) -> str:
    """A short hash over the package's .py and .sql files, to tell whether they changed mid-bench."""
    digest = hashlib.sha256()
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".sql") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def snapshot_code(rev: str, folder: Path) -> Path:
    """The package as committed at ``rev`` (``git archive``; the working tree and git state are not
    touched), laid out as the ``newsetl`` package pyproject's package-dir maps; returns the folder
    to put first on ``PYTHONPATH`` (it wins over the editable install, which comes last)."""
    source = folder / "src"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(BENCH_DIR.parent), "archive", "--format=tar", rev],
                             capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    package = folder / "root" / "newsetl"
    shutil.copytree(source / "newsetl", package)
    for name in SOURCE_DIRS[1:]:
        (package / name).symlink_to(source / name, target_is_directory=True)
    compile_sources(source)
    compile_sources(package)
    return folder / "root"


# --- the plan -------------------------------------------------------------------------------------


class Bench:
    """One bench run: its work folder, the shared server, and the records of every measured run."""

    def __init__(self, args: argparse.Namespace, work: Path):
        self.args, self.work = args, work
        self.server: SharedServer | None = None
        self.runs: dict[str, dict] = {}
        self.corpora: dict[str, CorpusInfo] = {}
        self.analysis: dict = {}

    def say(self, message: str) -> None:
        print(f"[{datetime.now():%H:%M:%S} load {os.getloadavg()[0]:.1f}] {message}", flush=True)

    def build_corpora(self) -> None:
        for size in self.args.sizes:
            if size not in self.args.existing:
                self.corpora[f"corpus-{size}"] = build_corpus(self.work / f"corpus-{size}", size, "corpus")
        for repeat in range(self.args.repeats):
            self.corpora[f"probe-{repeat}"] = build_corpus(self.work / f"probe-{repeat}", self.args.probe_docs,
                                                           f"{self.args.probe_namespace}{repeat}")
        self.corpora["warm-up"] = build_corpus(self.work / "warm-up", WARM_UP_DOCS, "warmup")

    def ingest(self, name: str, kind: str, size: int, corpus: str, data_dir: Path) -> dict:
        """Run one measured ingest of ``corpus`` into ``data_dir`` and keep its record."""
        info = self.corpora[corpus]
        waited = wait_until_idle(self.server.pid if self.server else None)
        self.say(f"{name}: {info.n_docs} docs into {data_dir.name} ({size} docs there; "
                 f"waited {waited:.0f} s for an idle server)")
        run = run_child("ingest_child.py",
                        ["--data-dir", str(data_dir), "--workers", str(self.args.workers),
                         "--batch-size", str(self.args.batch_size), str(info.folder)],
                        self.work / f"{name}.json", self.env(), self.work / f"{name}.log",
                        self.args.interval, self.server.pid if self.server else None)
        record = ingest_record(name, kind, size, info.n_docs, self.args.workers, run)
        self.say(f"  wall {record['wall_s']:.1f} s, flow {record['flow_s']:.1f} s, "
                 f"peak {record['memory'].get('peak_tree_mb', 0):.0f} MB, {record['counts']}")
        if kind != "warm-up":
            self.runs[name] = record
        return record

    def env(self) -> dict[str, str]:
        env = child_env(self.server.api_url if self.server else None, self.work / "prefect-client")
        if self.args.code_root:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.args.code_root), env.get("PYTHONPATH")]))
        return env

    def measure_analysis(self, size: int) -> None:
        """The one-process analysis rate and the stage profile on the corpus of ``size``."""
        self.say(f"one-process analysis: {self.args.analysis_docs} docs of corpus-{size}")
        run = run_child("analysis_child.py",
                        ["--docs", str(self.args.analysis_docs), "--profile-docs", str(self.args.profile_docs),
                         str(self.corpora[f"corpus-{size}"].folder)],
                        self.work / "analysis.json", self.env(), self.work / "analysis.log", self.args.interval)
        self.analysis = {**run.report, "wall_s": run.wall_s, "load_before": run.load_before, "load_after": run.load_after,
                         "peak_rss_mb": max((s.tree_mb for s in run.samples), default=None)}
        self.say(f"  {self.analysis['rate']['docs_per_s']:.1f} docs/s")

    def run(self) -> None:
        """Everything, in the order of the module's docstring."""
        sizes, throughput = self.args.sizes, self.args.throughput_size
        self.build_corpora()
        self.server = start_shared_server(self.work / "server")
        self.say(f"Prefect server up in {self.server.start_s:.1f} s at {self.server.api_url} (not counted)")
        self.ingest("warm-up", "warm-up", 0, "warm-up", self.work / "data-warm-up")
        self.probe(0, 0)
        for size in sizes:
            if size == throughput:
                self.measure_analysis(size)
            if size in self.args.existing:
                self.adopt(size, self.args.existing[size])
            else:
                self.ingest(f"cold-{size}", "cold", size, f"corpus-{size}", self.work / f"data-{size}")
                if size == sizes[0]:
                    self.ingest(f"rerun-{size}", "rerun", size, f"corpus-{size}", self.work / f"data-{size}")
            self.probe(0, size)
        for repeat in range(1, self.args.repeats):
            for size in [*reversed(sizes), 0] if repeat % 2 else [0, *sizes]:
                self.probe(repeat, size)

    def adopt(self, size: int, folder: Path) -> None:
        """Use a copy of an existing data folder as the warehouse of ``size`` (no cold ingest: the
        probes of (a) only; the original is never written to)."""
        self.say(f"data-{size}: copying the existing data folder {folder} (no cold ingest at this size)")
        shutil.copytree(folder, self.work / f"data-{size}", ignore=shutil.ignore_patterns("*.lock"))

    def probe(self, repeat: int, size: int) -> None:
        """The probe set of ``repeat`` into the warehouse of ``size`` documents (0: a new data folder)."""
        folder = self.work / (f"data-empty-{repeat}" if size == 0 else f"data-{size}")
        self.ingest(f"probe-r{repeat}-{size}", "probe", size, f"probe-{repeat}", folder)

    def stop(self) -> None:
        if self.server:
            self.server.stop()
            self.server = None


# --- the result -----------------------------------------------------------------------------------


def sanity_warnings(bench: Bench) -> list[str]:
    """Reasons not to trust this result: a run whose outcomes or validation were not as planned."""
    warnings = []
    for name, run in bench.runs.items():
        counts, expected = run["counts"], "unchanged" if run["kind"] == "rerun" else "new"
        if counts.get(expected) != run["docs"]:
            warnings.append(f"{name}: expected {run['docs']} {expected}, got {counts}")
        if run["validation_success"] is False:
            warnings.append(f"{name}: validation did not pass")
    return warnings


def notes(bench: Bench, sources_at_start: str) -> list[str]:
    """What to keep in mind reading the figures: load, code edited mid-bench, untimed stages."""
    found = []
    cpus = os.cpu_count() or 1
    loads = [r["load_before"] for r in bench.runs.values()]
    if loads and max(loads) > cpus:
        found.append(f"load average reached {max(loads):.1f} on {cpus} CPUs before some runs: other work shared the "
                     "machine; absolute times are inflated, ratios less so (probes are interleaved against drift)")
    if not bench.args.code and source_fingerprint() != sources_at_start:
        found.append("the package's sources changed while the bench ran (a shared working tree): "
                     "later runs may have measured different code")
    untimed = sorted({m for run in bench.runs.values() for m in run.get("untimed", [])})
    if untimed:
        found.append(f"stage functions not found, so not timed (their time counts as Prefect overhead): {untimed}")
    return found


def assemble(bench: Bench, code: dict, load_start: list[float], sources_at_start: str, error: str | None) -> dict:
    args = bench.args
    result = {
        "created": datetime.now().isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "default" if args.sizes == DEFAULTS["sizes"] else "custom",
        "args": {"sizes": args.sizes, "throughput_size": args.throughput_size, "probe_docs": args.probe_docs,
                 "repeats": args.repeats, "workers": args.workers, "batch_size": args.batch_size,
                 "analysis_docs": args.analysis_docs, "profile_docs": args.profile_docs, "interval_s": args.interval,
                 "existing": {str(size): str(path) for size, path in args.existing.items()},
                 "probe_namespace": args.probe_namespace},
        "machine": machine_info(), "code": code, "load": {"start": load_start, "end": load_average()},
        "server_start_s": bench.server.start_s if bench.server else None,
        "corpora": {name: info.summary() for name, info in bench.corpora.items()},
        "runs": bench.runs, "analysis": bench.analysis,
    }
    result["headline"] = report.headline(bench.runs, bench.analysis, args.sizes, args.throughput_size)
    result["stage_profile"] = report.stage_profile(bench.runs, bench.analysis, args.throughput_size)
    result["warnings"] = sanity_warnings(bench) + ([f"the bench stopped early: {error}"] if error else [])
    result["notes"] = notes(bench, sources_at_start)
    if args.baseline.exists():
        result["vs_baseline"] = report.compare_with_baseline(result, json.loads(args.baseline.read_text(encoding="utf-8")))
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=lambda s: sorted(int(x) for x in s.split(",")), default=None,
                        help="warehouse sizes in documents, comma-separated (default 1000,5000,20000)")
    parser.add_argument("--quick", action="store_true", help="small sizes (100,200,400), one repeat: checks the bench")
    parser.add_argument("--probe-docs", type=int, default=20, help="new documents of the incremental probe (20)")
    parser.add_argument("--repeats", type=int, default=None, help="probe repeats, best kept (2; quick 1)")
    parser.add_argument("--throughput-size", type=int, default=None,
                        help="size whose cold ingest is compared with the one-process rate (default the middle size)")
    parser.add_argument("--workers", type=int, default=2, help="analysis workers of every ingest (2)")
    parser.add_argument("--batch-size", type=int, default=200, help="ingest batch size (200, the CLI's)")
    parser.add_argument("--analysis-docs", type=int, default=None, help="documents of the one-process rate (400; quick 60)")
    parser.add_argument("--profile-docs", type=int, default=None, help="documents under cProfile (60; quick 20)")
    parser.add_argument("--interval", type=float, default=0.2, help="memory sampling interval in seconds (0.2)")
    parser.add_argument("--baseline", type=Path, default=BASELINE, help="baseline to compare with")
    parser.add_argument("--save-baseline", action="store_true", help=f"store the result as {BASELINE.name}")
    parser.add_argument("--code", metavar="REV", default=None,
                        help="measure the package as committed at REV (e.g. HEAD) instead of the working tree: "
                             "a shared tree edited mid-bench then cannot change what is measured")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (corpora, warehouses, logs)")
    parser.add_argument("--existing", action="append", default=[], metavar="SIZE=DATA_DIR",
                        help="probe a copy of an existing data folder as the warehouse of SIZE documents instead of "
                             "building it (e.g. 50000=/data/big: (a) at a size whose cold ingest takes hours); repeatable")
    parser.add_argument("--probe-namespace", default="probe",
                        help="name the probe documents are generated from ('probe'): another name gives other new "
                             "documents, for a warehouse that already holds the default probes")
    parser.add_argument("--show", type=Path, metavar="RESULT", default=None,
                        help="print the tables of a saved result (and its Markdown summary) without measuring")
    args = parser.parse_args(argv)
    preset = QUICK if args.quick else DEFAULTS
    args.sizes = args.sizes or preset["sizes"]
    for key in ("repeats", "analysis_docs", "profile_docs"):
        if getattr(args, key) is None:
            setattr(args, key, preset[key])
    args.existing = parse_existing(parser, args.existing)
    built = [size for size in args.sizes if size not in args.existing]
    if not built:
        parser.error("at least one of --sizes must be built by the bench (not --existing)")
    args.sizes = sorted(set(args.sizes) | set(args.existing))
    args.throughput_size = args.throughput_size or built[len(built) // 2]
    if args.throughput_size not in built:
        parser.error("--throughput-size must be one of --sizes, and not an --existing one")
    return args


def parse_existing(parser: argparse.ArgumentParser, values: list[str]) -> dict[int, Path]:
    """``SIZE=DATA_DIR`` arguments as {size: data folder}; each folder must hold a warehouse."""
    existing = {}
    for value in values:
        size, sep, folder = value.partition("=")
        if not sep or not size.isdigit() or not (Path(folder) / "newsetl.duckdb").is_file():
            parser.error(f"--existing {value}: expected SIZE=DATA_DIR, a data folder with a newsetl.duckdb")
        existing[int(size)] = Path(folder).resolve()
    return existing


def interrupt(signum, frame) -> None:
    """SIGTERM ends the bench like Ctrl-C: what was measured so far is still written."""
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> None:
    signal.signal(signal.SIGTERM, interrupt)
    args = parse_args(argv)
    if args.show:
        result = json.loads(args.show.read_text(encoding="utf-8"))
        saved = result["args"]  # figures derived again from the runs, by this version of the bench
        result["headline"] = report.headline(result["runs"], result["analysis"], saved["sizes"], saved["throughput_size"])
        result["stage_profile"] = report.stage_profile(result["runs"], result["analysis"], saved["throughput_size"])
        report.print_report(result)
        print("\n" + report.markdown_summary(result))
        return
    load_start, code, sources_at_start = load_average(), code_version(args.code), source_fingerprint()
    work = Path(tempfile.mkdtemp(prefix="newsetl-bench-"))
    args.code_root = snapshot_code(args.code, work / "code") if args.code else None
    if not args.code_root:
        for name in SOURCE_DIRS:
            compile_sources(BENCH_DIR.parent / name)
    if args.code_root:
        sys.path.insert(0, str(args.code_root))  # this process starts the server with the same code
    bench = Bench(args, work)
    bench.say(f"work folder {work}; sizes {args.sizes}; load average {load_start}")
    error = None
    try:
        bench.run()
    except (Exception, KeyboardInterrupt) as exc:  # keep what was measured so far
        error = f"{type(exc).__name__}: {str(exc)[-2000:]}"
        bench.say(f"stopped early: {error}")
    finally:
        bench.stop()
        if not args.keep and not error:
            shutil.rmtree(work, ignore_errors=True)
    result = assemble(bench, code, load_start, sources_at_start, error)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    report.print_report(result)
    print(f"\nresults: {out}" + (f"  (kept {work})" if args.keep or error else ""))
    if args.save_baseline and result["warnings"]:
        print("baseline NOT saved: see the warnings above")
    elif args.save_baseline:
        baseline = {k: v for k, v in result.items() if k != "vs_baseline"}
        args.baseline.write_text(json.dumps(baseline, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"baseline saved: {args.baseline}")


if __name__ == "__main__":
    main()
