"""Instructions per notice: the pipeline worker's work, counted by valgrind, not timed.

CPU time on a shared machine moves by 20-40% from run to run, more than most speed changes;
the number of instructions a worker executes does not depend on the load. This runs, under
``valgrind --tool=cachegrind`` (without its cache simulation), what a pipeline worker runs
(``runner._work``, and the pickling of its result) over N notices, and again over none, in
fresh processes with a fixed hash seed, and prints the difference per notice: millions of
instructions (M) per notice, the start-up apart. Instructions are not time (C code and
Python's interpreter do different work per instruction): compare a change with its
parent, not the pipeline with another program.

    .venv/bin/python benchmarks/instructions.py [--n 150] [FOLDER ...]

Without folders the notices are built as ``throughput.py`` builds its corpus; with folders,
the first N notices found under them. The first notices fill the caches of words and
patterns (20 notices give ~1.8x the figure of 150): compare figures of one N. Needs valgrind (``apt install valgrind``); 1-3 minutes.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import gc, pickle, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from pipeline import runner
from pipeline.config import Limits
runner._init_worker()
gc.set_threshold(50_000, 20, 100)   # as during a run
n, folders = int(sys.argv[2]), sys.argv[3:]
if folders:
    paths = runner.expand_inputs(folders)[:n]
else:
    from throughput import build_corpus
    tmp = tempfile.mkdtemp()
    build_corpus(Path(tmp), n)
    paths = sorted(str(p) for p in Path(tmp).glob("*.txt"))
limits = Limits()
for p in paths:
    pickle.dumps(runner._work(p, limits), protocol=pickle.HIGHEST_PROTOCOL)
"""


def instructions(n: int, folders: list[str]) -> int:
    """The instructions of a process that starts a worker and runs ``n`` notices."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          sys.executable, "-c", WORKER, str(ROOT / "benchmarks"), str(n), *folders],
                         capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if not found:
        raise SystemExit(f"valgrind printed no instruction count:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="*")
    ap.add_argument("--n", type=int, default=150)
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("benchmarks/instructions.py: valgrind is not installed")
    start = instructions(0, args.folders)
    total = instructions(args.n, args.folders)
    what = ", ".join(args.folders) or "the throughput corpus"
    print(f"# {args.n} notices of {what}; start-up (imports, lexicons, segmenter) {start / 1e6:,.0f} M")
    print(f"{(total - start) / args.n / 1e6:.1f} M instructions per notice")


if __name__ == "__main__":
    main()
