"""One timed ingest, run by ``bench/run_bench.py`` in its own process (not meant to be run by hand).

Imports newsetl and Prefect first (timed apart), wraps the flow's stage functions in timers
(:mod:`bench.timing`), then runs the ingest flow through the Python API against the Prefect API in
``PREFECT_API_URL`` (the bench's shared server) and writes a JSON report: import and flow seconds,
the run's counts, seconds and CPU seconds per stage, stage events (for memory attribution), the
resource usage of this process and of its reaped children (the analysis workers), and the
warehouse's path (the bench reads the warehouse's sizes afterwards, outside the measured process).

    python bench/ingest_child.py --out R.json --data-dir D --workers 2 --batch-size 200 PATH...
"""
from __future__ import annotations

import argparse
import importlib
import json
import resource
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # `bench` is a folder of scripts (appended:
# a snapshot of the code on PYTHONPATH must win over the working tree's `newsetl/` folder)

from bench.timing import StageClock  # noqa: E402

# Main-process stages: (module, attribute, stage name, top level?). Top-level stages do not nest,
# so the flow time they leave is Prefect's own overhead (task orchestration, state and log calls).
FLOW = "newsetl.flows.ingest"
STAGES = (
    (FLOW, "scan", "discover", True),
    (FLOW, "read_units", "read", True),             # iterator: file reading and JSONL splitting
    (FLOW, "split_unchanged", "skip-check", True),
    ("newsetl.extractors.workers:AnalysisPool", "collect", "analyse-wait", True),
    ("newsetl.extractors.workers:AnalysisPool", "_start", "pool-start", False),
    ("newsetl.extractors.workers:AnalysisPool", "close", "pool-close", True),
    (FLOW, "stage_batch", "staging", True),
    (FLOW, "resolve_entity_keys", "resolve-entities", True),
    (FLOW, "stage_places", "places", True),
    (FLOW, "stage_story_assignments", "stories", True),
    ("newsetl.validation.audit", "audit", "audit", True),
    ("newsetl.warehouse.audit", "audit_frames", "audit-frames", False),
    ("newsetl.validation.audit", "validate_tables", "audit-gx", False),
    ("newsetl.warehouse.audit", "store_dq_results", "audit-dq-results", False),
    (FLOW, "publish_staging", "publish", True),
    ("newsetl.warehouse.publish", "index_documents", "publish-index", False),
    (FLOW, "publish_inputs_only", "publish", True),   # a run with nothing new publishes its inputs only
    ("newsetl.warehouse.search", "refresh_index", "index-refresh", True),
    (FLOW, "refresh_report", "report", True),
    ("newsetl.warehouse.runs", "begin_run", "bookkeeping", True),
    ("newsetl.warehouse.runs", "set_scan_counts", "bookkeeping", True),
    ("newsetl.warehouse.runs", "set_skipped_records", "bookkeeping", True),
    ("newsetl.warehouse.runs", "finish_run", "bookkeeping", True),
    ("newsetl.warehouse.runs", "quarantine_reasons", "bookkeeping", True),
    ("newsetl.report.artifact", "publish_run_artifacts", "artifact", True),
    ("newsetl.report.artifact", "emit_finished_event", "artifact", True),
)
ITERATOR_STAGES = {"read"}
def owner_of(target: str):
    """The module, or ``module:Class``, named by ``target``."""
    module, _, cls = target.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, cls) if cls else loaded


def install(clock: StageClock) -> list[str]:
    """Wrap every stage function of :data:`STAGES` that the code has; returns those it lacks (the
    product moves on: a renamed function must not stop the bench, only go untimed)."""
    missing = []
    for target, attribute, name, top in STAGES:
        try:
            owner = owner_of(target)
            getattr(owner, attribute)
        except (ImportError, AttributeError):
            missing.append(f"{target}.{attribute}")
            continue
        if name in ITERATOR_STAGES:
            clock.wrap_iterator(owner, attribute, name, events=top)
        else:
            clock.wrap(owner, attribute, name, events=top)
    return missing


def top_level_stages() -> list[str]:
    return list(dict.fromkeys(name for _, _, name, top in STAGES if top))


def usage(who: int) -> dict[str, float]:
    """CPU seconds and peak RSS (MB) of this process or of its reaped children."""
    r = resource.getrusage(who)
    return {"user_s": r.ru_utime, "sys_s": r.ru_stime, "cpu_s": r.ru_utime + r.ru_stime, "maxrss_mb": r.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()

    started = time.perf_counter()
    from newsetl.config import configure_prefect, resolve_settings

    settings = resolve_settings(args.data_dir)
    configure_prefect(settings)
    import newsetl.api
    importlib.import_module(FLOW)  # Prefect, the flow and its stages: what the CLI imports too
    clock = StageClock()
    missing = install(clock)
    import_s = time.perf_counter() - started

    flow_start_epoch, t0 = time.time(), time.perf_counter()
    summary = newsetl.api.ingest([str(p) for p in args.paths], data_dir=str(args.data_dir),
                                 workers=args.workers, batch_size=args.batch_size)
    flow_s = time.perf_counter() - t0
    report = {
        "import_s": import_s, "flow_s": flow_s,
        "flow_start_epoch": flow_start_epoch, "flow_end_epoch": flow_start_epoch + flow_s,
        "counts": summary["counts"], "validation_success": summary["validation_success"],
        "stages": clock.totals(), "top_level": top_level_stages(), "events": clock.events, "untimed": missing,
        "main": usage(resource.RUSAGE_SELF), "workers": usage(resource.RUSAGE_CHILDREN),
    }
    report["warehouse_path"] = summary["warehouse"]  # its sizes are read by the bench, after this process
    args.out.write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main()
