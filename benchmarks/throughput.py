"""Throughput: the whole pipeline (ingest to Parquet) against jieba's segmentation alone.

For each N (default 200, 2000, 20000) it writes a corpus of N notices built from the
shipped samples (each with a distinct numbered line, so every file is its own document),
runs ``notices run`` on it in a fresh process with one worker, and, in another fresh
process, ``jieba.lcut`` over the same texts. Each side loads its segmenter's dictionary
before the clock starts (``jieba.lcut`` once; ``segment.load()``, what every pipeline
worker does first); everything else, the pipeline's lexicons, Arrow and Parquet, is timed.
Characters/s of both are the characters of the input files (the same texts). It prints
documents/s, characters/s and peak RSS of both, the ratio pipeline/jieba (the headline
figure, wall clock), the same ratio on CPU time (steadier on a shared machine), the
stage split (ingest, clean, structure, segment, units, dates, targets, write) and the
load average around each size.

``--repeat R`` runs pipeline and jieba alternately R times per size and keeps the best
run of each (for sizes below 20,000; the largest runs once).

``--distinct FOLDER ...`` measures instead the command a user runs on real, distinct
notices (every ``.txt`` under the folders, given to it as files): ``python -m pipeline run``
with ``--workers`` in a fresh process, process start included (imports, the segmenter's
dictionary, the workers' start), against ``jieba.lcut`` alone on the same texts (its
dictionary loaded before the clock). It prints both sides' wall and CPU time (the
command's children included) and the ratios jieba/pipeline. With ``--n N`` it runs on N
notices made from those (each real notice in turn, every copy with its own numbered line):
the issue's "1,000 distinct notices" from the 147 real ones we have.

Every measured process runs as on a user's machine, with the package's bytecode cached
(see ``_installed_env``), and the pipeline's side skips pandas as the ``run`` command does.

    .venv/bin/python benchmarks/throughput.py [--sizes 200 2000 20000] [--workers 1] [--repeat 1]
    .venv/bin/python benchmarks/throughput.py --distinct FOLDER [FOLDER ...] [--n 1000] [--workers 1]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

PIPELINE = r"""
import json, resource, sys, time
from pipeline import segment
from pipeline.runner import run
from pipeline.store import skip_pandas
segment.load()
skip_pandas()  # as the run command does
t, c = time.perf_counter(), time.process_time()
s = run([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]), err=open("/dev/null", "w"))
el, cpu = time.perf_counter() - t, time.process_time() - c
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"docs": s.documents, "chars": s.chars, "seconds": el, "errors": s.errors,
                  "cpu": cpu + children.ru_utime + children.ru_stime,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_children_mb": children.ru_maxrss / 1024,
                  "timings": s.timings}))
"""

JIEBA = r"""
import json, resource, sys, time
from pathlib import Path
import jieba
jieba.setLogLevel(60); jieba.lcut("预热")
files = sorted(p for a in sys.argv[1:] for p in Path(a).rglob("*.txt"))
t, c = time.perf_counter(), time.process_time(); chars = 0
for f in files:
    text = f.read_text(encoding="utf-8"); chars += len(text); jieba.lcut(text)
el, cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({"docs": len(files), "chars": chars, "seconds": el, "cpu": cpu,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build_corpus(folder: Path, n: int) -> int:
    """Write the corpus; returns its number of characters."""
    samples = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    chars = 0
    for i in range(n):
        text = samples[i % len(samples)] + f"\n（编号{i}）\n"
        (folder / f"n{i:06d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def _installed_env(cache: str) -> dict[str, str]:
    """The environment of a process started as on a user's machine: Python's compiled
    bytecode of the package is cached (``pip install`` compiles it; a clone writes
    ``__pycache__`` on its first run). Under ``PYTHONDONTWRITEBYTECODE`` (set on some CI
    and sandbox machines) every process would compile the whole package from source again,
    ~0.3 s of its start; here the cache goes to ``cache``, outside the tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    # the package compiled as pip compiles it, and what a run imports from other packages and
    # the standard library (in the command's own process, its worker, to print its summary)
    # as a first run leaves it
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "pipeline", "run", str(sorted(RAW.glob("*.txt"))[0]), "--out", out,
                        "--workers", "1"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-c", "import pipeline.runner, jieba; from pipeline.store import skip_pandas; "
                    "skip_pandas()"], env=env, check=True, cwd=ROOT)
    return env


_ENV: dict[str, str] | None = None   # set by main: the environment of every measured process


def _py(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT,
                         env=_ENV)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def distinct(folders: list[str], workers: int, n: int | None = None) -> None:
    """``notices run`` on the notices of ``folders``, process start included, against jieba.
    With ``n``, on ``n`` notices made from them as ``build_corpus`` makes its corpus: the
    real notices in turn, each copy with its own numbered line (so every file is a document
    of its own; nothing in the pipeline is cached across documents)."""
    import resource
    import time

    files = sorted(p for a in folders for p in Path(a).rglob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        if n:
            texts = [p.read_text(encoding="utf-8") for p in files]
            (Path(tmp) / "in").mkdir()
            files = []
            for i in range(n):
                files.append(Path(tmp) / "in" / f"d{i:06d}.txt")
                files[-1].write_text(texts[i % len(texts)] + f"\n（编号{i}）\n", encoding="utf-8")
            folders = [str(Path(tmp) / "in")]
        chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "run", *map(str, files), "--out", str(Path(tmp) / "out"),
                        "--workers", str(workers), "--quiet"], check=True, cwd=ROOT, env=_ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        j = _py(JIEBA, *folders)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert j["docs"] == len(files) and j["chars"] == chars, (j, len(files), chars)
    print(f"# {len(files)} distinct notices, {chars:,} characters; workers={workers}; process start included")
    print(f"pipeline  wall {wall:7.2f} s  cpu {cpu:7.2f} s  ({chars / wall:,.0f} chars/s)")
    print(f"jieba     wall {j['seconds']:7.2f} s  cpu {j['cpu']:7.2f} s  ({chars / j['seconds']:,.0f} chars/s)")
    print(f"ratio jieba/pipeline: {j['seconds'] / wall:.2f}x wall ({j['cpu'] / cpu:.2f}x cpu)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--distinct", nargs="+", metavar="FOLDER", help="real notices: the command, start included")
    ap.add_argument("--n", type=int, help="with --distinct: this many notices made from them (each distinct)")
    args = ap.parse_args()
    global _ENV
    cache = tempfile.TemporaryDirectory()
    _ENV = _installed_env(cache.name)
    if args.distinct:
        distinct(args.distinct, args.workers, args.n)
        return
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"{platform.machine()}; workers={args.workers}")
    print(f"{'N':>6} {'docs/s':>8} {'chars/s':>10} {'RSS MB':>7} | {'jieba chars/s':>13} {'RSS MB':>7} | ratio  (cpu)")
    for n in args.sizes:
        load_before = _load()
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in"
            src.mkdir()
            chars = build_corpus(src, n)
            p = j = None
            for r in range(args.repeat if n < 20000 else 1):
                pr = _py(PIPELINE, str(src), str(Path(tmp) / f"out{r}"), str(args.workers))
                jr = _py(JIEBA, str(src))
                p = pr if p is None or pr["seconds"] < p["seconds"] else p
                j = jr if j is None or jr["seconds"] < j["seconds"] else j
        assert j["chars"] == chars and p["docs"] == j["docs"] == n, (p, j)
        p_cps, j_cps = chars / p["seconds"], chars / j["seconds"]
        rss = max(p["rss_mb"], p["rss_children_mb"])
        print(f"{n:>6} {p['docs'] / p['seconds']:>8.1f} {p_cps:>10,.0f} {rss:>7.0f} | {j_cps:>13,.0f} "
              f"{j['rss_mb']:>7.0f} | {p_cps / j_cps:.2f}x ({j['cpu'] / p['cpu']:.2f}x)", flush=True)
        total = sum(p["timings"].values()) or 1
        split = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(p["timings"].items(), key=lambda kv: -kv[1]))
        print(f"       stages: {split}; errors: {p['errors']}; load {load_before} -> {_load()}", flush=True)


if __name__ == "__main__":
    main()
