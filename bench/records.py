"""Turning a measured child run into the bench's record of it: times, counts, stages, CPU and memory.

Memory is the RSS of the ingest's process tree (its main process plus the analysis workers), as
sampled from outside; its peak is taken up to the end of the flow and is also attributed to the stage
running when it was sampled. The warehouse's sizes are read here, after the child has exited, so
that the measured process does only what ``newsetl ingest`` does.
"""
from __future__ import annotations

import bisect
import os
from pathlib import Path

import duckdb

from bench.measure import ChildRun, Sample

BATCH_LOOP_STAGES = ("read", "skip-check", "analyse-wait", "staging")
MAIN_PER_DOC_STAGES = ("read", "skip-check", "staging")
STATS_QUERIES = {
    "documents": "SELECT count(*) FROM documents",
    "mentions": "SELECT count(*) FROM mentions",
    "entities": "SELECT count(*) FROM entities",
    "near_duplicates": "SELECT count(*) FROM near_duplicates",
    "stories": "SELECT count(*) FROM stories",
    "largest_story": "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM story_documents GROUP BY story_id)",
    "search_docs": "SELECT count(*) FROM search_docs",
}


def ingest_record(name: str, kind: str, size: int, docs: int, workers: int, run: ChildRun) -> dict:
    """The record of one measured ingest (``kind``: cold, rerun, probe or warm-up)."""
    report = run.report
    stages = report["stages"]
    top = sum(stages.get(stage, {}).get("wall_s", 0.0) for stage in report["top_level"])
    samples = [s for s in run.samples if s.at <= report["flow_end_epoch"]]
    record = {
        "name": name, "kind": kind, "size": size, "docs": docs, "workers": workers,
        "wall_s": run.wall_s, "import_s": report["import_s"], "flow_s": report["flow_s"],
        "prefect_overhead_s": max(0.0, report["flow_s"] - top),
        "counts": report["counts"], "validation_success": report["validation_success"],
        "stages": stages,
        "cpu": cpu_summary(run),
        "memory": memory_summary(samples, report),
        "batch_loop": batch_loop(report, workers),
        "warehouse": warehouse_stats(Path(report["warehouse_path"])) if "warehouse_path" in report else {},
        "untimed": report.get("untimed", []),
        "load_before": run.load_before, "load_after": run.load_after,
    }
    return record


def cpu_summary(run: ChildRun) -> dict[str, float]:
    """CPU seconds of the ingest's main process, its workers, the Prefect server, and of everything
    else on the machine during the run (other users' work competing for the cores)."""
    main, workers = run.report["main"]["cpu_s"], run.report["workers"]["cpu_s"]
    others = max(0.0, run.machine_busy_s - main - workers - run.server_cpu_s)
    cpus = os.cpu_count() or 1
    return {"main_s": main, "workers_s": workers, "server_s": run.server_cpu_s, "others_s": others,
            "others_share_of_machine": others / (cpus * run.wall_s) if run.wall_s else None}


def memory_summary(samples: list[Sample], report: dict) -> dict:
    """Peaks of the tree, the main process and the workers (MB), and the peak by stage."""
    if not samples:
        return {}
    peak = max(samples, key=lambda s: s.tree_mb)
    return {
        "peak_tree_mb": peak.tree_mb, "peak_tree_main_mb": peak.main_mb, "peak_tree_workers_mb": peak.workers_mb,
        "peak_main_mb": max(s.main_mb for s in samples), "peak_workers_mb": max(s.workers_mb for s in samples),
        "peak_stage": stage_at(peak.at, report["events"]),
        "maxrss_main_mb": report["main"]["maxrss_mb"], "maxrss_largest_worker_mb": report["workers"]["maxrss_mb"],
        "by_stage": peaks_by_stage(samples, report["events"]), "n_samples": len(samples),
    }


def stage_at(at: float, events: list) -> str:
    """The top-level stage running at epoch ``at`` ("imports" before the flow, "prefect" between stages)."""
    for name, start, end in events:
        if start <= at <= end:
            return name
    return "prefect" if events and at >= min(start for _, start, _ in events) else "imports"


def peaks_by_stage(samples: list[Sample], events: list) -> dict[str, dict[str, float]]:
    """For each stage, the peak tree and main-process RSS sampled while it ran."""
    ordered = sorted(events, key=lambda e: e[1])
    starts = [e[1] for e in ordered]
    peaks: dict[str, dict[str, float]] = {}
    for sample in samples:
        i = bisect.bisect_right(starts, sample.at) - 1
        name = ordered[i][0] if i >= 0 and sample.at <= ordered[i][2] else ("prefect" if i >= 0 else "imports")
        row = peaks.setdefault(name, {"tree_mb": 0.0, "main_mb": 0.0})
        row["tree_mb"] = max(row["tree_mb"], sample.tree_mb)
        row["main_mb"] = max(row["main_mb"], sample.main_mb)
    return peaks


def batch_loop(report: dict, workers: int) -> dict:
    """How the batch loop spent its time: analysis pending (workers may work) vs the main process
    reading, skip-checking and staging on its own (workers idle), and how busy the workers were
    while analysis was pending."""
    events = [e for e in report["events"] if e[0] in BATCH_LOOP_STAGES]
    if not events:
        return {}
    span = max(e[2] for e in events) - min(e[1] for e in events)
    stages = report["stages"]
    wait = stages.get("analyse-wait", {}).get("wall_s", 0.0)
    main_alone = sum(stages.get(s, {}).get("wall_s", 0.0) for s in MAIN_PER_DOC_STAGES)
    worker_cpu = report["workers"]["cpu_s"]
    return {
        "span_s": span, "analyse_wait_s": wait, "main_alone_s": main_alone,
        "workers_idle_share": main_alone / span if span else None,
        "worker_busy_while_waiting": worker_cpu / (workers * wait) if wait and workers > 1 else None,
        "worker_cpu_s": worker_cpu,
    }


def main_ms_per_doc(record: dict) -> dict[str, dict[str, float]]:
    """Main-process milliseconds (wall and CPU) per document of every stage of one ingest."""
    docs = max(1, record["docs"])
    rows = {name: {"wall_ms": 1000 * row["wall_s"] / docs, "cpu_ms": 1000 * row["cpu_s"] / docs}
            for name, row in record["stages"].items()}
    rows["prefect-overhead"] = {"wall_ms": 1000 * record["prefect_overhead_s"] / docs, "cpu_ms": None}
    return rows


def warehouse_stats(warehouse: Path) -> dict[str, int]:
    """Row counts of the main tables and the file size, after the run (read-only)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        stats = {name: con.execute(sql).fetchone()[0] for name, sql in STATS_QUERIES.items()}
    finally:
        con.close()
    stats["file_mb"] = round(warehouse.stat().st_size / 1e6, 1)
    return stats
