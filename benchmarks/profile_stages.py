"""Where one worker's CPU goes: the stage split and the hot functions, per module group.

It runs what a pipeline worker runs (``runner._work``: read, process, rows made ready to
send, and pickles the result as the pool does) over every notice of the given folders
(or, without folders, a corpus built as ``throughput.py`` builds it), in this process,
under ``cProfile`` with a CPU-time clock (``time.process_time``: other processes on the
machine do not count, but every call pays the clock's cost, so small functions look
dearer than they are; shares, not seconds, are the figure). It prints the CPU time
without the profiler, the stage split of ``process.py``'s timings, and the top functions
by cumulative CPU of the extractors (``pipeline/extract``, ``pipeline/structure``,
``pipeline/scan.py``) and of the rest.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/profile_stages.py [FOLDER ...] [--n 600] [--top 15]
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pickle
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _files(folders: list[str], n: int, tmp: str) -> list[str]:
    if folders:
        from pipeline.runner import expand_inputs
        return expand_inputs(folders)
    from throughput import build_corpus  # type: ignore[import-not-found]
    build_corpus(Path(tmp), n)
    return sorted(str(p) for p in Path(tmp).glob("*.txt"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--n", type=int, default=600, help="notices of the built corpus (no folders given)")
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()
    from pipeline import runner
    from pipeline.config import Limits

    runner._init_worker()
    gc.set_threshold(50_000, 20, 100)  # as during a run
    limits = Limits()
    with tempfile.TemporaryDirectory() as tmp:
        paths = _files(args.folders, args.n, tmp)
        timings: dict[str, float] = {}

        def work(keep: bool) -> None:
            for p in paths:
                res, digest = runner._work(p, limits)
                pickle.dumps((res, digest), protocol=pickle.HIGHEST_PROTOCOL)
                if keep:
                    for k, v in res.timings.items():
                        timings[k] = timings.get(k, 0.0) + v

        c = time.process_time()
        work(True)
        cpu = time.process_time() - c
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        work(False)
        prof.disable()
    total = sum(timings.values()) or 1
    print(f"{len(paths)} notices, {cpu:.2f} s CPU without the profiler ({1000 * cpu / len(paths):.1f} ms each)")
    print("stages (wall clock of process.py's laps): " + ", ".join(
        f"{k} {100 * v / total:.0f}%" for k, v in sorted(timings.items(), key=lambda kv: -kv[1])))
    stats = pstats.Stats(prof).stats
    whole = max(v[3] for v in stats.values())

    def show(title: str, keep) -> None:
        rows = sorted(((v[3], v[2], v[1], k) for k, v in stats.items() if keep(k[0])), reverse=True)[:args.top]
        print(f"\n{title}: cumulative % / own % of profiled CPU, calls, function")
        for cum, own, calls, (file, line, name) in rows:
            where = file.split("pipeline/", 1)[-1] if "pipeline/" in file else Path(file).name
            print(f"  {100 * cum / whole:5.1f}% {100 * own / whole:5.1f}% {calls:>9} {where}:{line} {name}")

    extractor = ("/pipeline/extract/", "/pipeline/structure/", "/pipeline/scan.py")
    show("extractors and structure", lambda f: any(s in f for s in extractor))
    show("the rest of the pipeline", lambda f: "/pipeline/" in f and not any(s in f for s in extractor))
    show("outside the pipeline (C functions included)",
         lambda f: "/pipeline/" not in f and not f.endswith("profile_stages.py"))


if __name__ == "__main__":
    main()
