"""A kill before every file operation of a commit (issue 20): an injected SIGKILL just
before the N-th mkdir / rename / replace / symlink / link / unlink / rmtree of the
store (``NOTICES_FAULT_AT``, the hook in ``store._fs``), for every N of a fresh run and
of a ``--force`` run, always ends, after one normal rerun, in exactly the rows of a
clean run, with no folder left behind and no version folder reused.

The run is forked from this process (no interpreter start per kill), so every N is
cheap; ``make stress`` (``HYPOTHESIS_PROFILE=stress``) runs it on more files, in smaller
batches, and through the command line as well.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from pipeline import store as store_mod
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import ROOT, SAMPLE_FILES, committed_rows

STRESS = os.environ.get("HYPOTHESIS_PROFILE") == "stress"
N_FILES = 6 if STRESS else 2


def _corpus(folder):
    folder.mkdir()
    for i, p in enumerate(SAMPLE_FILES[:N_FILES]):
        shutil.copy(p, folder / p.name)
    shutil.copy(SAMPLE_FILES[0], folder / "copy.txt")  # a second source of one document
    (folder / "bad.txt").write_bytes(b"\x00\x01" * 50)  # an error row


def _ops(fn) -> int:
    before = store_mod._FAULT["n"]
    fn()
    return store_mod._FAULT["n"] - before


def _killed_at(n: int, fn) -> bool:
    """Run ``fn`` in a forked child killed before its n-th store operation; True when the
    kill happened (False: the run has fewer operations and finished)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            store_mod._FAULT.update(at=n, n=0)
            fn()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.WEXITSTATUS(status) == 0
    return False


def _check(out, clean_rows):
    versions = sorted(p.name for p in (out / ".versions").iterdir())
    assert not [v for v in versions if not v.startswith("v")], versions  # nothing half-made left
    assert not list(out.glob(".current.tmp*"))
    assert committed_rows(out) == clean_rows


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("faults")
    src = base / "in"
    _corpus(src)
    clean = base / "clean"
    batch = 1 if STRESS else 2
    ops = _ops(lambda: run([src], clean, workers=1, batch_docs=batch, err=open(os.devnull, "w")))
    return src, clean, committed_rows(clean), batch, ops


@pytest.mark.parametrize("force", [False, True], ids=["fresh", "force"])
def test_a_kill_before_any_file_operation_then_one_rerun_gives_the_clean_output(tmp_path, setup, force):
    src, clean, clean_rows, batch, fresh_ops = setup
    quiet = open(os.devnull, "w")
    n, kills = 1, 0
    while True:
        out = tmp_path / f"out{n}"
        if force:
            shutil.copytree(clean, out, symlinks=True)
        if not _killed_at(n, lambda: run([src], out, workers=1, batch_docs=batch, force=force, err=quiet)):
            break
        kills += 1
        summary = run([src], out, workers=1, batch_docs=batch, err=quiet)  # one normal rerun
        _check(out, clean_rows)
        # bad.txt failed in the rerun or, unchanged since the killed run recorded it, is
        # counted as failed before: either way the rerun exits 1 as a clean run does
        assert (summary.errors, summary.errors_earlier, summary.exit_status) in ((1, 0, 1), (0, 1, 1)), n
        shutil.rmtree(out)
        n += 1
    assert kills >= (fresh_ops if not force else 20)  # every operation of the run was a kill point
    print(f"{'force' if force else 'fresh'}: {kills} kill points, each converged after one rerun that exited 1")
    _check(out, clean_rows)


@pytest.mark.slow
@pytest.mark.skipif(not STRESS, reason="make stress: every kill point through the command line")
def test_kill_points_through_the_command_line(tmp_path, setup):
    src, clean, clean_rows, batch, ops = setup
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--workers", "1", "--batch-docs", str(batch), "--quiet"]
    for n in range(1, ops + 1):
        out = tmp_path / f"o{n}"
        res = subprocess.run(cmd + ["--out", str(out)], env={**env, "NOTICES_FAULT_AT": str(n)}, capture_output=True)
        assert res.returncode == -signal.SIGKILL, (n, res.stderr)
        res = subprocess.run(cmd + ["--out", str(out)], env=env, capture_output=True, text=True)
        assert res.returncode == 1, (n, res.stderr)  # bad.txt
        assert [ln for ln in res.stderr.splitlines() if "bad.txt" in ln and "binary" in ln], (n, res.stderr)
        _check(out, clean_rows)
        shutil.rmtree(out)
    print(f"command line: {ops} kill points, each converged after one rerun that exited 1")


def test_a_rerun_after_a_kill_past_the_error_commit_exits_1_and_names_the_file(tmp_path, setup):
    """Killed at its last file operation (after the version holding bad.txt's error row is
    complete), the run is resumed by the command line: bad.txt is unchanged, so it is not read again,
    but the output still has no document for it, so the rerun says so and exits 1."""
    src, clean, clean_rows, batch, ops = setup
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), "--workers", "1", "--batch-docs", str(batch),
           "--quiet", "--out", str(tmp_path / "out")]
    res = subprocess.run(cmd, env={**env, "NOTICES_FAULT_AT": str(ops)}, capture_output=True, text=True)
    assert res.returncode == -signal.SIGKILL, res.stderr
    assert "bad.txt" in res.stderr                      # the killed run had failed it ...
    # ... and written the version holding its error row, which the rerun adopts (the kill
    # came before `.current` moved to it, or while older versions were pruned)
    newest = max((tmp_path / "out" / ".versions").glob("v*"))
    assert (newest / ".complete").exists()
    errors = Store(tmp_path / "out", newest).read_table("errors").to_pylist()
    assert [e["error"] for e in errors if e["source_path"].endswith("/bad.txt")] == ["binary"]
    res = subprocess.run(cmd + ["--json"], env=env, capture_output=True, text=True)
    figures = json.loads(res.stdout)
    assert (res.returncode, figures["exit_status"], figures["errors"], figures["errors_earlier"]) == (1, 1, 0, 1)
    assert figures["skipped"] == figures["files"]
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and "bad.txt: binary data" in lines[0] and "earlier run" in lines[0], res.stderr
    _check(tmp_path / "out", clean_rows)
