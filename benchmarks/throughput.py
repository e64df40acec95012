"""Throughput: the whole pipeline (ingest to Parquet) against jieba's segmentation alone.

For each N (default 200, 2000, 20000) it writes a corpus of N notices built from the
shipped samples (each with a distinct numbered line, so every file is its own document),
runs ``notices run`` on it in a fresh process with one worker, and, in another fresh
process, ``jieba.lcut`` over the same texts. It prints documents/s, characters/s and
peak RSS of both, the ratio pipeline/jieba (the headline figure), and the stage split.

    .venv/bin/python benchmarks/throughput.py [--sizes 200 2000 20000] [--workers 1]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

PIPELINE = r"""
import json, resource, sys, time
from pipeline.runner import run
t = time.perf_counter()
s = run([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]), err=open("/dev/null", "w"))
el = time.perf_counter() - t
print(json.dumps({"docs": s.documents, "chars": s.chars, "seconds": el, "errors": s.errors,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "timings": s.timings}))
"""

JIEBA = r"""
import json, resource, sys, time
from pathlib import Path
import jieba
jieba.setLogLevel(60); jieba.lcut("预热")
files = sorted(Path(sys.argv[1]).glob("*.txt"))
t = time.perf_counter(); chars = 0
for f in files:
    text = f.read_text(encoding="utf-8"); chars += len(text); jieba.lcut(text)
el = time.perf_counter() - t
print(json.dumps({"docs": len(files), "chars": chars, "seconds": el,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_corpus(folder: Path, n: int) -> None:
    samples = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    for i in range(n):
        (folder / f"n{i:06d}.txt").write_text(samples[i % len(samples)] + f"\n（编号{i}）\n", encoding="utf-8")


def _py(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    print(f"{'N':>6} {'docs/s':>8} {'chars/s':>10} {'RSS MB':>7} | {'jieba chars/s':>13} {'RSS MB':>7} | ratio")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            src, out = Path(tmp) / "in", Path(tmp) / "out"
            src.mkdir()
            build_corpus(src, n)
            p = _py(PIPELINE, str(src), str(out), str(args.workers))
            j = _py(JIEBA, str(src))
        p_cps, j_cps = p["chars"] / p["seconds"], j["chars"] / j["seconds"]
        rss = max(p["rss_mb"], p["rss_children_mb"])
        print(f"{n:>6} {p['docs'] / p['seconds']:>8.1f} {p_cps:>10,.0f} {rss:>7.0f} | {j_cps:>13,.0f} "
              f"{j['rss_mb']:>7.0f} | {p_cps / j_cps:.2f}x", flush=True)
        total = sum(p["timings"].values()) or 1
        split = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(p["timings"].items(), key=lambda kv: -kv[1]))
        print(f"       stages: {split}; errors: {p['errors']}", flush=True)


if __name__ == "__main__":
    main()
