"""The one-process analysis rate and the per-document stage profile, run by ``bench/run_bench.py`` in
its own process (not meant to be run by hand).

Like an analysis worker: one BLAS thread, models loaded and warmed up first, no Prefect, no
database. Three disjoint samples spread evenly over the corpus's units:

1. **rate**: ``analyse_units`` over the sample, untouched: the one-process analysis rate (docs/s);
   then the cost of pickling its results (what a worker sends the main process) and unpickling them;
2. **stages**: the same with the stage functions wrapped in timers (:mod:`bench.timing`): document
   building, Natasha segmentation, NER, morphology, span rules, syntax, normalisation, facts, the
   stories fingerprint, row building;
3. **hotspots**: a smaller sample under cProfile, the functions with the most own time.

    python bench/analysis_child.py --out R.json --docs 400 --profile-docs 60 CORPUS_FOLDER
"""
from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # as in every analysis worker; before numpy is imported

import argparse  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.append(str(Path(__file__).resolve().parent.parent))  # `bench` is a folder of scripts (appended:
# a snapshot of the code on PYTHONPATH must win over the working tree's `newsetl/` folder)

from bench.timing import StageClock  # noqa: E402

ANALYZE = "newsetl.extractors.entities.analyze"
BATCH = "newsetl.extractors.batch"
# (module or module:Class, attribute, stage)
STAGES = (
    (BATCH, "build_document", "build"),
    (BATCH, "document_records", "records"),
    (ANALYZE, "analyze", "entities"),
    (ANALYZE, "process", "natasha"),
    ("natasha:Doc", "segment", "segment"),
    (ANALYZE, "ner_by_paragraph", "ner"),
    (ANALYZE, "tag_morph_where_needed", "morph"),
    ("newsetl.extractors.entities.syntax:SentenceParses", "ensure", "syntax"),
    (BATCH, "extract_facts", "facts"),
    (BATCH, "story_rows", "stories-fingerprint"),
)


def samples(units: list, n_docs: int, n_profile: int) -> tuple[list, list, list, list]:
    """Warm-up units and three disjoint samples (rate, stages, hotspots) spread over ``units``."""
    step = max(3, len(units) // max(1, n_docs))
    n_docs = min(n_docs, (len(units) - 1) // step)
    rate = [units[1 + i * step] for i in range(n_docs)]
    stages = [units[1 + i * step + step // 3] for i in range(n_docs)]
    hot_step = max(1, n_docs // max(1, n_profile))
    hotspots = [units[1 + i * step + 2 * step // 3] for i in range(0, n_docs, hot_step)][:n_profile]
    return units[:1], rate, stages, hotspots


def derived_stages(totals: dict[str, float]) -> dict[str, float]:
    """Exclusive seconds per stage: the nested totals minus what they contain."""
    g = totals.get
    return {
        "build": g("build", 0.0),
        "segment": g("segment", 0.0),
        "ner": g("ner", 0.0),
        "morph": g("morph", 0.0),
        "span-rules": g("natasha", 0.0) - g("segment", 0.0) - g("ner", 0.0) - g("morph", 0.0),
        "syntax": g("syntax", 0.0),
        "normalise+acronyms": g("entities", 0.0) - g("natasha", 0.0) - g("syntax", 0.0),
        "facts": g("facts", 0.0),
        "stories-fingerprint": g("stories-fingerprint", 0.0),
        "rows": g("records", 0.0) - g("entities", 0.0) - g("facts", 0.0) - g("stories-fingerprint", 0.0),
        "other": g("analyse_units", 0.0) - g("build", 0.0) - g("records", 0.0),
    }


def hotspots(analyse, units: list, top: int = 12) -> list[dict]:
    """The functions with the most own time while analysing ``units`` (cProfile)."""
    profiler = cProfile.Profile()
    profiler.runcall(analyse, units)
    stats = pstats.Stats(profiler).stats
    rows = [{"function": f"{'/'.join(Path(file).parts[-2:])}:{line}({fn})", "calls": calls,
             "own_s": round(own, 4), "cumulative_s": round(cum, 4)}
            for (file, line, fn), (_, calls, own, cum, _) in stats.items()]
    return sorted(rows, key=lambda r: r["own_s"], reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--profile-docs", type=int, default=60)
    args = parser.parse_args()

    import importlib

    from newsetl.extractors import batch
    from newsetl.extractors.sources.discovery import scan
    from newsetl.extractors.sources.files import read_units

    units = list(read_units(scan([str(args.corpus)]).files))
    warm, rate_units, stage_units, hot_units = samples(units, args.docs, args.profile_docs)
    t0 = time.perf_counter()
    batch.warm_up()
    batch.analyse_units(warm)
    warm_up_s = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    results = batch.analyse_units(rate_units)
    rate_s, rate_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    payload = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    dumps_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pickle.loads(payload)
    loads_s = time.perf_counter() - t0

    clock = StageClock()
    for target, attribute, name in STAGES:
        module, _, cls = target.partition(":")
        owner = importlib.import_module(module)
        clock.wrap(getattr(owner, cls) if cls else owner, attribute, name)
    t0 = time.perf_counter()
    batch.analyse_units(stage_units)
    totals = {name: row["wall_s"] for name, row in clock.totals().items()}
    totals["analyse_units"] = time.perf_counter() - t0

    report = {
        "units_in_corpus": len(units), "warm_up_s": warm_up_s,
        "rate": {"docs": len(rate_units), "seconds": rate_s, "docs_per_s": len(rate_units) / rate_s,
                 "cpu_ms_per_doc": 1000 * rate_cpu_s / len(rate_units),
                 "chars_per_doc": sum(len(r.document.text) for r in results if r.document) / max(1, len(results)),
                 "rejected": sum(1 for r in results if r.reject)},
        "pickle": {"bytes_per_doc": len(payload) / len(results), "dumps_ms_per_doc": 1000 * dumps_s / len(results),
                   "loads_ms_per_doc": 1000 * loads_s / len(results)},
        "stages": {"docs": len(stage_units), "seconds": totals["analyse_units"],
                   "docs_per_s": len(stage_units) / totals["analyse_units"],
                   "ms_per_doc": {k: 1000 * v / len(stage_units) for k, v in derived_stages(totals).items()},
                   "calls": {name: row["calls"] for name, row in clock.totals().items()}},
        "hotspots": {"docs": len(hot_units), "top": hotspots(batch.analyse_units, hot_units) if hot_units else []},
    }
    args.out.write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main()
