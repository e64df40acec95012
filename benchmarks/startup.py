"""The start of ``notices run``: where a one-notice run's time goes before the first notice.

In fresh processes, as on a user's machine (bytecode cached, ``throughput._installed_env``),
it measures R times, alternately, and prints the best and the median of each:

- ``python``: the bare interpreter (``python -c pass``);
- ``import cli``: ``import pipeline.cli`` (what the command's process imports before it
  parses its arguments);
- ``worker init``: ``runner._init_worker()`` after that import (what a worker loads before
  its first file: the extractors' modules, the segmenter's dictionary, the lexicons, a tiny
  notice run end to end);
- ``first notice``: ``runner._work`` on the notice after that;
- ``run``: the whole command, ``python -m pipeline run FILE --out TMP --force --quiet
  --workers 1``, wall and CPU (its worker included).

The lexicons checked by the first run are kept as on a user's machine (``pipeline/lexicon.py``;
here in a temporary folder): the runs measured read them from there. ``--no-lexicon-cache``
measures a start that parses and checks them (the first run after an install or a change of
a lexicon).

CPU is user + system time. ``--instructions`` counts instead, under valgrind's cachegrind
(fixed hash seed), the instructions of the whole command: its own process before the
worker starts (the fork), after it, and the worker's own (a forked process's count under
valgrind starts from its parent's: the part before the fork is counted once here).

    .venv/bin/python benchmarks/startup.py [--repeat 5] [FILE]
    .venv/bin/python benchmarks/startup.py --instructions [FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import ROOT, _installed_env  # noqa: E402

PHASES = r"""
import json, os, sys, time
def now():
    t = os.times()
    return time.perf_counter(), t.user + t.system
marks = [now()]
import pipeline.cli
marks.append(now())
from pipeline import runner
from pipeline.config import Limits
runner._init_worker()
marks.append(now())
runner._work(sys.argv[1], Limits())
marks.append(now())
print(json.dumps([[b[0] - a[0], b[1] - a[1]] for a, b in zip(marks, marks[1:])]))
"""

# the command as ``python -m pipeline``; with STARTUP_STOP_AT_FORK its process ends where it
# would start its first worker (valgrind then prints the count of what came before)
COMMAND = r"""
import os, runpy, sys
if os.environ.get("STARTUP_STOP_AT_FORK"):
    os.register_at_fork(before=lambda: os._exit(0))
import pipeline.workers
pipeline.workers.WATCH_S = 600   # see instructions()
sys.argv[0] = "notices"
runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
"""


def _timed(argv: list[str], env: dict) -> tuple[float, float, str]:
    """Wall and CPU seconds of a command (its children included) and what it printed."""
    before = os.times()
    out = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    after = os.times()
    wall = after.elapsed - before.elapsed
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, out.stdout


def measure(notice: str, repeat: int, env: dict) -> None:
    rows: dict[str, list[tuple[float, float]]] = {k: [] for k in
                                                  ("python", "import cli", "worker init", "first notice", "run")}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            wall, cpu, _ = _timed([sys.executable, "-c", "pass"], env)
            rows["python"].append((wall, cpu))
            _, _, printed = _timed([sys.executable, "-c", PHASES, notice], env)
            for name, (w, c) in zip(("import cli", "worker init", "first notice"), json.loads(printed)):
                rows[name].append((w, c))
            wall, cpu, _ = _timed([sys.executable, "-m", "pipeline", "run", notice, "--out", str(Path(tmp) / "out"),
                                   "--force", "--quiet", "--workers", "1"], env)
            rows["run"].append((wall, cpu))
    print(f"# {repeat} runs each, load {'/'.join(f'{x:.1f}' for x in os.getloadavg())}; seconds")
    print(f"{'':14} {'wall best':>9} {'median':>7} {'cpu best':>9} {'median':>7}")
    for name, values in rows.items():
        walls, cpus = [v[0] for v in values], [v[1] for v in values]
        print(f"{name:14} {min(walls):9.3f} {statistics.median(walls):7.3f} {min(cpus):9.3f} "
              f"{statistics.median(cpus):7.3f}")


def _counts(argv: list[str], env: dict) -> list[int]:
    """The instruction count of every process of ``argv`` under cachegrind, in the order
    they ended."""
    out = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                          "--trace-children=yes", *argv], capture_output=True, text=True, cwd=ROOT, env=env)
    counts = [int(c.replace(",", "")) for c in re.findall(r"I\s+refs:\s+([\d,]+)", out.stderr)]
    if not counts:
        raise SystemExit(f"valgrind printed no instruction count:\n{out.stderr[-2000:]}")
    return counts


def instructions(notice: str, env: dict) -> None:
    # The pool looks at its busy workers every WATCH_S (0.1 s) seconds. Under valgrind a
    # worker runs ~50x slower than it does, and the command's process would count ~0.1-0.6 G
    # instructions of such looks (more the more loaded the machine) that a real run does not
    # make: here it looks once in 600 s.
    env = {**env, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, "-c", COMMAND, "run", notice, "--out", str(Path(tmp) / "out"), "--force", "--quiet",
                "--workers", "1"]
        before_fork = _counts(argv, {**env, "STARTUP_STOP_AT_FORK": "1"})[0]
        counts = _counts(argv, env)
    if len(counts) != 2:
        raise SystemExit(f"expected two processes (the command and its worker), counted {counts}")
    worker, parent = counts   # the worker ends first
    m = 1e6
    print(f"command before the fork {before_fork / m:8,.0f} M")
    print(f"command after the fork  {(parent - before_fork) / m:8,.0f} M")
    print(f"worker (its own)        {(worker - before_fork) / m:8,.0f} M")
    print(f"total                   {(parent + worker - before_fork) / m:8,.0f} M")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("notice", nargs="?", default=str(ROOT / "data" / "raw" / "000_9f242943d0fc2fc0.txt"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--instructions", action="store_true", help="count instructions under valgrind instead")
    ap.add_argument("--no-lexicon-cache", action="store_true", help="parse and check the lexicons in every run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["NOTICES_CACHE_DIR"] = "" if args.no_lexicon_cache else str(Path(cache) / "user-cache")
        env = _installed_env(cache)
        if args.instructions:
            instructions(args.notice, env)
        else:
            measure(args.notice, args.repeat, env)


if __name__ == "__main__":
    main()
