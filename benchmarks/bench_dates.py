"""Date parsing speed: expressions/s of parse_dates on the sample notices' tasks, and
the share of the whole pipeline's time spent in date parsing (same run).

    .venv/bin/python benchmarks/bench_dates.py [--repeat 20]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline import parse_dates
from pipeline.process import process_path

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    results = [process_path(p) for p in sorted(RAW.glob("*.txt"))]  # warm-up, loads lexicons
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for p in sorted(RAW.glob("*.txt")):
            for k, v in process_path(p).timings.items():
                timings[k] = timings.get(k, 0.0) + v
    total = time.perf_counter() - t0
    jobs = []
    for res in results:
        doc = res.rows["documents"][0]
        for t in res.rows["tasks"]:
            jobs.append((t.text, doc.issue_date, (doc.period_start, doc.period_end) if doc.period_start else None))
    t1 = time.perf_counter()
    n = 0
    for _ in range(args.repeat):
        for text, ref, period in jobs:
            n += len(parse_dates(text, reference=ref, period=period))
    dt_ = time.perf_counter() - t1
    chars = sum(len(t) for t, _, _ in jobs) * args.repeat
    print(f"parse_dates: {n / dt_:,.0f} expressions/s, {chars / dt_:,.0f} chars/s "
          f"({len(jobs) * args.repeat} task texts, {n} expressions in {dt_:.2f} s)")
    print(f"pipeline: {total:.2f} s for {5 * args.repeat} documents; stage shares:")
    for k, v in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"  {k:10s} {v:7.2f} s  {100 * v / total:5.1f}%")


if __name__ == "__main__":
    main()
