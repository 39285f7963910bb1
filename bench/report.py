"""The bench's figures: the four headline ratios of issue 13 (with their goals), the per-stage
profile of a document, the comparison with ``bench/baseline.json``, and the printed tables."""
from __future__ import annotations

import statistics

from bench.records import main_ms_per_doc

GOALS = {  # metric: (goal, "max" when the ratio must stay at or below it, "min" at or above)
    "incremental_ratio": (1.25, "max"),
    "workers_vs_one_process": (1.8, "min"),
    "rerun_speedup": (10.0, "min"),
    "memory_ratio": (1.2, "max"),
}
PROBE_STAGES = ("skip-check", "analyse-wait", "staging", "resolve-entities", "places", "stories", "audit", "publish",
                "index-refresh", "report", "bookkeeping", "artifact", "prefect-overhead")
MAIN_PROFILE = ("read", "skip-check", "analyse-wait", "staging", "resolve-entities", "places", "stories",
                "audit-frames", "audit-gx", "audit-dq-results", "audit", "publish", "publish-index", "index-refresh", "report",
                "pool-start", "pool-close", "bookkeeping", "artifact", "prefect-overhead")


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _meets(metric: str, value: float | None) -> bool | None:
    if value is None:
        return None
    goal, direction = GOALS[metric]
    return value <= goal if direction == "max" else value >= goal


def incremental(runs: dict, sizes: list[int]) -> dict:
    """(a) The probe's flow time per warehouse size (best of the repeats), and its ratio to empty."""
    by_target: dict[int, list[float]] = {}
    for run in runs.values():
        if run["kind"] == "probe":
            by_target.setdefault(run["size"], []).append(run["flow_s"])
    empty = min(by_target.get(0, []), default=None)
    rows = {}
    for size in [0, *sizes]:
        times = by_target.get(size, [])
        best = min(times, default=None)
        rows[str(size)] = {"flow_s_best": best, "flow_s_all": times,
                           "flow_s_median": statistics.median(times) if times else None,
                           "ratio_vs_empty": _ratio(best, empty)}
    worst = max((r["ratio_vs_empty"] for k, r in rows.items() if k != "0" and r["ratio_vs_empty"]), default=None)
    largest_measured = rows[str(sizes[-1])]["ratio_vs_empty"] is not None
    return {"by_size": rows, "per_repeat": per_repeat_ratios(runs), "worst_ratio": worst,
            "goal": GOALS["incremental_ratio"][0],
            "meets_goal": _meets("incremental_ratio", worst) if largest_measured else None}


def per_repeat_ratios(runs: dict) -> dict[str, dict[str, float | None]]:
    """Within each repeat (one set of new documents): flow time by size / flow time into empty."""
    repeats: dict[str, dict[int, float]] = {}
    for run in runs.values():
        if run["kind"] == "probe":
            repeats.setdefault(run["name"].split("-")[1], {})[run["size"]] = run["flow_s"]
    return {repeat: {str(size): _ratio(flow, times.get(0)) for size, flow in sorted(times.items()) if size}
            for repeat, times in repeats.items()}


def workers_vs_one(runs: dict, analysis: dict, size: int) -> dict:
    """(b) End-to-end docs/s of the cold ingest at ``size`` (two workers) over the one-process rate."""
    cold = runs.get(f"cold-{size}")
    one = analysis["rate"]["docs_per_s"] if analysis else None
    if not cold:
        return {}
    e2e_wall, e2e_flow = cold["docs"] / cold["wall_s"], cold["docs"] / cold["flow_s"]
    ratio = _ratio(e2e_wall, one)
    docs = cold["docs"]
    return {"size": size, "workers": cold["workers"], "e2e_docs_per_s": e2e_wall, "flow_docs_per_s": e2e_flow,
            "one_process_docs_per_s": one, "ratio": ratio, "ratio_flow": _ratio(e2e_flow, one),
            "one_process_cpu_ms_per_doc": analysis["rate"].get("cpu_ms_per_doc") if analysis else None,
            "e2e_worker_cpu_ms_per_doc": 1000 * cold["cpu"]["workers_s"] / docs,
            "e2e_main_cpu_ms_per_doc": 1000 * cold["cpu"]["main_s"] / docs,
            "others_share_of_machine": cold["cpu"].get("others_share_of_machine"),
            "goal": GOALS["workers_vs_one_process"][0], "meets_goal": _meets("workers_vs_one_process", ratio)}


def rerun(runs: dict, size: int) -> dict:
    """(c) The unchanged rerun's cost vs the cold ingest of the same documents (server running)."""
    cold, again = runs.get(f"cold-{size}"), runs.get(f"rerun-{size}")
    if not cold or not again:
        return {}
    speedup = _ratio(cold["wall_s"], again["wall_s"])
    cpu = {name: run["cpu"]["main_s"] + run["cpu"]["workers_s"] for name, run in (("cold", cold), ("rerun", again))}
    return {"size": size, "cold_wall_s": cold["wall_s"], "rerun_wall_s": again["wall_s"],
            "cold_flow_s": cold["flow_s"], "rerun_flow_s": again["flow_s"], "speedup": speedup,
            "speedup_flow": _ratio(cold["flow_s"], again["flow_s"]),
            "cold_cpu_s": cpu["cold"], "rerun_cpu_s": cpu["rerun"], "speedup_cpu": _ratio(cpu["cold"], cpu["rerun"]),
            "goal": GOALS["rerun_speedup"][0], "meets_goal": _meets("rerun_speedup", speedup)}


def memory(runs: dict, small: int, large: int) -> dict:
    """(d) Peak RSS of the process tree, cold ingest at the largest size vs the smallest; when the
    largest was not measured (a bench stopped early), the largest that was."""
    colds = sorted((r["size"], r) for r in runs.values() if r["kind"] == "cold" and r["memory"])
    a, b = runs.get(f"cold-{small}"), runs.get(f"cold-{large}")
    if (not b or not b["memory"]) and colds:
        large, b = colds[-1]
    if not a or not b or not a["memory"] or not b["memory"] or a is b:
        return {"probe_peaks": probe_peaks(runs)} if probe_peaks(runs) else {}
    ratio = _ratio(b["memory"]["peak_tree_mb"], a["memory"]["peak_tree_mb"])
    return {"small": small, "large": large, "small_peak_mb": a["memory"]["peak_tree_mb"],
            "large_peak_mb": b["memory"]["peak_tree_mb"], "ratio": ratio,
            "main_ratio": _ratio(b["memory"]["peak_main_mb"], a["memory"]["peak_main_mb"]),
            "small_peak_stage": a["memory"]["peak_stage"], "large_peak_stage": b["memory"]["peak_stage"],
            "probe_peaks": probe_peaks(runs),
            "goal": GOALS["memory_ratio"][0], "meets_goal": _meets("memory_ratio", ratio)}


def probe_peaks(runs: dict) -> dict[str, dict[str, float]]:
    """Peak RSS of the 20-document probe by warehouse size (max over repeats): what memory the same
    small run needs as the warehouse grows, apart from the run's own size."""
    peaks: dict[str, dict[str, float]] = {}
    for run in runs.values():
        if run["kind"] == "probe" and run["memory"]:
            row = peaks.setdefault(str(run["size"]), {"tree_mb": 0.0, "main_mb": 0.0})
            row["tree_mb"] = max(row["tree_mb"], run["memory"]["peak_tree_mb"])
            row["main_mb"] = max(row["main_mb"], run["memory"]["peak_main_mb"])
    return dict(sorted(peaks.items(), key=lambda kv: int(kv[0])))


def headline(runs: dict, analysis: dict, sizes: list[int], throughput_size: int) -> dict:
    """The four measures of issue 13 with their goals."""
    return {"incremental": incremental(runs, sizes), "workers": workers_vs_one(runs, analysis, throughput_size),
            "rerun": rerun(runs, sizes[0]), "memory": memory(runs, sizes[0], sizes[-1])}


def stage_profile(runs: dict, analysis: dict, throughput_size: int) -> dict:
    """Where a document's time goes: worker-side stages (one process) and main-process stages of
    the cold ingest at ``throughput_size`` (ms per document)."""
    cold = runs.get(f"cold-{throughput_size}")
    return {"worker_ms_per_doc": analysis["stages"]["ms_per_doc"] if analysis else {},
            "main_ms_per_doc": main_ms_per_doc(cold) if cold else {},
            "size": throughput_size}


# "<section>.<key>" of the headline measures compared with the baseline
HEADLINE_METRICS = ("incremental.worst_ratio", "workers.ratio", "workers.e2e_docs_per_s",
                    "workers.one_process_docs_per_s", "rerun.speedup", "memory.ratio", "memory.large_peak_mb")


def compare_with_baseline(result: dict, baseline: dict) -> dict:
    """Current and baseline value of each headline metric (only when the sizes are the same)."""
    if baseline.get("args", {}).get("sizes") != result["args"]["sizes"]:
        return {"comparable": False,
                "why": f"baseline sizes {baseline.get('args', {}).get('sizes')} != {result['args']['sizes']}"}
    rows = {}
    for label in HEADLINE_METRICS:
        section, key = label.split(".")
        now = result["headline"].get(section, {}).get(key)
        then = baseline.get("headline", {}).get(section, {}).get(key)
        rows[label] = {"now": now, "baseline": then, "now_over_baseline": _ratio(now, then)}
    return {"comparable": True, "baseline_created": baseline.get("created"),
            "baseline_commit": baseline.get("code", {}).get("commit"), "metrics": rows}


# --- printing -----------------------------------------------------------------------------------


def _f(value, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _status(ok: bool | None) -> str:
    return "n/a" if ok is None else ("meets" if ok else "MISSES")


def print_headline(result: dict) -> None:
    h = result["headline"]
    inc, wk, rr, mem = h["incremental"], h["workers"], h["rerun"], h["memory"]
    sizes = [k for k in inc["by_size"] if k != "0"]
    print("\n== issue 13, measured in one run ==")
    print(f"{'measure':<62}{'value':>12}{'goal':>9}  status")
    flows = " / ".join(_f(inc["by_size"][k]["flow_s_best"], 1) for k in ["0", *sizes])
    print(f"(a) {result['args']['probe_docs']} new docs, flow s into 0/{'/'.join(sizes)} docs: {flows}")
    for repeat, ratios in inc.get("per_repeat", {}).items():
        print(f"    repeat {repeat}, ratio by size: " + ", ".join(f"{k}: {_f(v)}" for k, v in ratios.items()))
    for k in sizes:
        print(f"    best of repeats, ratio vs empty at {k:>6} docs{'':<13}{_f(inc['by_size'][k]['ratio_vs_empty']):>12}{'<=1.25':>9}"
              f"  {_status(None if inc['by_size'][k]['ratio_vs_empty'] is None else inc['by_size'][k]['ratio_vs_empty'] <= 1.25)}")
    if wk:
        print(f"(b) {wk['workers']} workers e2e {_f(wk['e2e_docs_per_s'], 1)} docs/s at {wk['size']} docs vs one process "
              f"{_f(wk['one_process_docs_per_s'], 1)} docs/s")
        print(f"    ratio (process wall; flow only {_f(wk['ratio_flow'])}){'':<25}{_f(wk['ratio']):>12}{'>=1.8':>9}"
              f"  {_status(wk['meets_goal'])}")
        print(f"    CPU ms/doc: one process {_f(wk['one_process_cpu_ms_per_doc'], 1)}; in the ingest, workers "
              f"{_f(wk['e2e_worker_cpu_ms_per_doc'], 1)} + main {_f(wk['e2e_main_cpu_ms_per_doc'], 1)}; other users' work "
              f"took {100 * (wk['others_share_of_machine'] or 0):.0f} % of the machine meanwhile")
    if rr:
        print(f"(c) rerun of {rr['size']} unchanged docs {_f(rr['rerun_wall_s'], 1)} s vs cold {_f(rr['cold_wall_s'], 1)} s "
              f"(flow {_f(rr['rerun_flow_s'], 1)} vs {_f(rr['cold_flow_s'], 1)} s)")
        print(f"    cold / rerun (process wall; flow only {_f(rr['speedup_flow'])}; CPU {_f(rr['speedup_cpu'])})"
              f"{'':<6}{_f(rr['speedup']):>12}{'>=10':>9}  {_status(rr['meets_goal'])}")
    if mem.get("ratio") is not None:
        print(f"(d) peak RSS of the tree {_f(mem['large_peak_mb'], 0)} MB at {mem['large']} docs "
              f"(in {mem['large_peak_stage']}) vs {_f(mem['small_peak_mb'], 0)} MB at {mem['small']} (in {mem['small_peak_stage']})")
        print(f"    ratio (main process alone {_f(mem['main_ratio'])}){'':<27}{_f(mem['ratio']):>12}{'<=1.2':>9}"
              f"  {_status(mem['meets_goal'])}")
    if mem.get("probe_peaks"):
        print("    probe peak RSS by warehouse size (tree / main MB): "
              + ", ".join(f"{k}: {v['tree_mb']:.0f} / {v['main_mb']:.0f}" for k, v in mem["probe_peaks"].items()))


def print_runs(result: dict) -> None:
    print(f"\n{'run':<18}{'docs':>6}{'wall s':>8}{'import':>7}{'flow s':>8}{'prefect':>8}{'main cpu':>9}"
          f"{'wrk cpu':>8}{'srv cpu':>8}{'others':>7}{'peak MB':>8}{'main MB':>8}{'load':>11}  outcomes")
    for name, run in result["runs"].items():
        counts = ", ".join(f"{k} {v}" for k, v in run["counts"].items() if v and k != "seen")
        mem = run["memory"] or {}
        print(f"{name:<18}{run['docs']:>6}{run['wall_s']:>8.1f}{run['import_s']:>7.1f}{run['flow_s']:>8.1f}"
              f"{run['prefect_overhead_s']:>8.1f}{run['cpu']['main_s']:>9.1f}{run['cpu']['workers_s']:>8.1f}"
              f"{run['cpu']['server_s']:>8.1f}{100 * (run['cpu'].get('others_share_of_machine') or 0):>6.0f}%"
              f"{mem.get('peak_tree_mb', 0):>8.0f}{mem.get('peak_main_mb', 0):>8.0f}"
              f"{run['load_before']:>5.1f}->{run['load_after']:<4.1f}  {counts}")


def print_warehouses(result: dict) -> None:
    colds = [r for r in result["runs"].values() if r["kind"] == "cold" and r.get("warehouse")]
    if not colds:
        return
    keys = list(colds[0]["warehouse"])
    print("\nwarehouses after the cold ingests (near-duplicates and the largest story show the corpus is not copies):")
    print(f"{'run':<18}" + "".join(f"{k[:15]:>16}" for k in keys))
    for run in colds:
        print(f"{run['name']:<18}" + "".join(f"{run['warehouse'].get(k, 0):>16}" for k in keys))


def print_probe_stages(result: dict) -> None:
    probes = [r for r in result["runs"].values() if r["kind"] == "probe"]
    if not probes:
        return
    print("\nprobe runs, seconds by stage (where the per-run cost grows with the warehouse):")
    print(f"{'run':<18}" + "".join(f"{s[:12]:>13}" for s in PROBE_STAGES))
    for run in sorted(probes, key=lambda r: (r["size"], r["name"])):
        cells = [run["prefect_overhead_s"] if s == "prefect-overhead" else run["stages"].get(s, {}).get("wall_s", 0.0)
                 for s in PROBE_STAGES]
        print(f"{run['name']:<18}" + "".join(f"{c:>13.2f}" for c in cells))


def print_profile(result: dict) -> None:
    prof, analysis = result["stage_profile"], result.get("analysis") or {}
    if prof["worker_ms_per_doc"]:
        total = sum(prof["worker_ms_per_doc"].values())
        print(f"\nper document, analysis (one process, {analysis['stages']['docs']} docs, {total:.1f} ms/doc):")
        for name, ms in prof["worker_ms_per_doc"].items():
            print(f"  {name:<22}{ms:>8.2f} ms  {100 * ms / total:>5.1f} %")
        p = analysis["pickle"]
        print(f"  results pickled: {p['bytes_per_doc'] / 1024:.1f} KB/doc, dumps {p['dumps_ms_per_doc']:.2f} ms, "
              f"loads {p['loads_ms_per_doc']:.2f} ms per doc")
    if prof["main_ms_per_doc"]:
        print(f"\nper document, main process of the cold ingest at {prof['size']} docs (wall / CPU ms per doc):")
        for name in MAIN_PROFILE:
            row = prof["main_ms_per_doc"].get(name)
            if row:
                print(f"  {name:<22}{row['wall_ms']:>8.2f}  {_f(row['cpu_ms'])}")
        loop = result["runs"][f"cold-{prof['size']}"]["batch_loop"]
        if loop:
            print(f"  batch loop {loop['span_s']:.1f} s: analysis pending {loop['analyse_wait_s']:.1f} s, main process alone "
                  f"(read, skip check, staging; workers idle) {loop['main_alone_s']:.1f} s = "
                  f"{100 * (loop['workers_idle_share'] or 0):.0f} %; workers busy {_f(loop['worker_busy_while_waiting'])} "
                  f"of their time while analysis was pending")
    if analysis.get("hotspots", {}).get("top"):
        print(f"\ncProfile of analysis ({analysis['hotspots']['docs']} docs), top own time:")
        for row in analysis["hotspots"]["top"][:8]:
            print(f"  {row['own_s']:>7.3f}s own {row['cumulative_s']:>7.3f}s cum {row['calls']:>8}  {row['function']}")


def print_memory(result: dict) -> None:
    sizes = [s for s in result["args"]["sizes"] if f"cold-{s}" in result["runs"]]
    if not sizes:
        return
    print("\npeak RSS by stage, cold ingests (tree MB / main MB):")
    names = list(dict.fromkeys(n for s in sizes for n in result["runs"][f"cold-{s}"]["memory"].get("by_stage", {})))
    print(f"{'stage':<18}" + "".join(f"{s:>16}" for s in sizes))
    for name in names:
        cells = []
        for size in sizes:
            row = result["runs"][f"cold-{size}"]["memory"].get("by_stage", {}).get(name)
            cells.append(f"{row['tree_mb']:.0f} / {row['main_mb']:.0f}" if row else "-")
        print(f"{name:<18}" + "".join(f"{c:>16}" for c in cells))


def print_report(result: dict) -> None:
    """Every table of the result."""
    c = result["corpora"]
    listing = ", ".join(f"{name}: {info['n_docs']} docs {info['n_bytes'] / 1e6:.1f} MB" for name, info in c.items())
    print(f"\ncorpus: {listing}; mean {next(iter(c.values()))['mean_chars']:.0f} chars/doc")
    print(f"machine: {result['machine']['cpus']} CPUs, load average {result['load']['start']} at start, "
          f"{result['load']['end']} at end; code {result['code']['commit']} + {result['code']['changed_files']} changed files")
    print_runs(result)
    print_warehouses(result)
    print_probe_stages(result)
    print_profile(result)
    print_memory(result)
    print_headline(result)
    cmp = result.get("vs_baseline")
    if cmp and cmp.get("comparable"):
        print(f"\nvs baseline ({cmp['baseline_created']}, {cmp['baseline_commit']}):")
        for label, row in cmp["metrics"].items():
            print(f"  {label:<34}{_f(row['now']):>10}{_f(row['baseline']):>10}   now/baseline {_f(row['now_over_baseline'])}")
    elif cmp:
        print(f"\nbaseline not compared: {cmp['why']}")
    for note in result.get("notes", []):
        print(f"note: {note}")
    for warning in result.get("warnings", []):
        print(f"WARNING: {warning}")


def markdown_summary(result: dict) -> str:
    """The headline figures as a Markdown table (for the README)."""
    h, a = result["headline"], result["args"]
    inc, wk, rr, mem = h["incremental"], h.get("workers") or {}, h.get("rerun") or {}, h.get("memory") or {}
    sizes = [k for k in inc["by_size"] if k != "0"]
    load = ", ".join(f"{r['load_before']:.1f}" for r in result["runs"].values())
    lines = [f"Measured {result['created']} on {result['machine']['cpus']} shared CPUs, code {result['code'].get('measured', '')} "
             f"{result['code']['commit']}; sizes {a['sizes']}, {a['workers']} workers, batch {a['batch_size']}; "
             f"1-minute load average before each run: {load}.", "",
             "| | figure | measured | goal | |", "|---|---|---|---|---|"]
    flows = " / ".join(_f(inc["by_size"][k]["flow_s_best"], 1) for k in ["0", *sizes])
    ratios = " / ".join(_f(inc["by_size"][k]["ratio_vs_empty"]) for k in sizes)
    lines.append(f"| (a) | {a['probe_docs']} new docs into 0 / {' / '.join(sizes)} docs: flow s {flows}; "
                 f"ratio vs empty | **{ratios}** | ≤ 1.25 | {_status(inc['meets_goal'])} |")
    if wk:
        lines.append(f"| (b) | {wk['workers']} workers end-to-end {_f(wk['e2e_docs_per_s'], 1)} docs/s at {wk['size']} docs "
                     f"÷ one process {_f(wk['one_process_docs_per_s'], 1)} docs/s (flow only {_f(wk['ratio_flow'])}) | "
                     f"**{_f(wk['ratio'])}** | ≥ 1.8 | {_status(wk['meets_goal'])} |")
    if rr:
        lines.append(f"| (c) | cold {_f(rr['cold_wall_s'], 1)} s ÷ unchanged rerun {_f(rr['rerun_wall_s'], 1)} s of {rr['size']} docs "
                     f"(flow {_f(rr['speedup_flow'], 1)}, CPU {_f(rr['speedup_cpu'], 1)}) | **{_f(rr['speedup'], 1)}** | ≥ 10 | "
                     f"{_status(rr['meets_goal'])} |")
    if mem.get("ratio") is not None:
        lines.append(f"| (d) | peak RSS of the tree {_f(mem['large_peak_mb'], 0)} MB at {mem['large']} ÷ {_f(mem['small_peak_mb'], 0)} MB "
                     f"at {mem['small']} docs (main process alone {_f(mem['main_ratio'])}) | **{_f(mem['ratio'])}** | ≤ 1.2 | "
                     f"{_status(mem['meets_goal'])} |")
    return "\n".join(lines)
