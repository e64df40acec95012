"""The command line as a user runs it: separate stdout and stderr, exit codes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import GOLD_DIR, RAW_DIR, ROOT, SAMPLE_FILES


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_run_then_eval_then_rerun(tmp_path):
    out = tmp_path / "out"
    res = _cli("run", *SAMPLE_FILES, "--out", out, "--workers", "2")
    assert res.returncode == 0, res.stderr
    assert "documents" in res.stdout and "5" in res.stdout
    assert res.stderr.strip() == ""
    report = tmp_path / "eval.json"
    gold = tmp_path / "gold"
    gold.mkdir()
    for path in SAMPLE_FILES:
        shutil.copy(GOLD_DIR / f"{path.stem}.json", gold)
    res = _cli("eval", "--gold", gold, "--pred", out, "--json", report)
    assert res.returncode == 0, res.stderr
    figures = json.loads(report.read_text(encoding="utf-8"))
    assert figures["tasks"]["f1"] >= 0.97
    assert figures["metadata"]["all"]["accuracy"] >= 0.95
    res = _cli("run", *SAMPLE_FILES, "--out", out)
    assert res.returncode == 0 and "skipped" in res.stdout


def test_bad_input_exits_non_zero_with_one_line_per_file(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW_DIR / "003_d7da92d906d1af7c.txt", src)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    res = _cli("run", src, tmp_path / "missing.txt", "--out", tmp_path / "out")
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 2
    assert any("broken.txt" in ln and "binary" in ln for ln in lines)
    assert any("missing.txt" in ln for ln in lines)


def test_a_rerun_over_an_unchanged_failing_file_exits_1_like_the_first_run(tmp_path):
    """The exit status says whether the output for the inputs given is complete: a file that
    failed and is unchanged is not read again, but it still has no document."""
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    shutil.copy(RAW_DIR / "003_d7da92d906d1af7c.txt", src)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    first = _cli("run", src, "--out", out, "--quiet")
    again = _cli("run", src, "--out", out, "--quiet", "--json")
    assert (first.returncode, again.returncode) == (1, 1), again.stderr
    figures = json.loads(again.stdout)
    assert (figures["skipped"], figures["errors"], figures["errors_earlier"], figures["exit_status"]) == (2, 0, 1, 1)
    [line] = again.stderr.splitlines()
    assert line.startswith(first.stderr.strip()) and "recorded by an earlier run" in line
    (src / "broken.txt").unlink()                     # no longer an input: the output is complete
    assert _cli("run", src, "--out", out, "--quiet").returncode == 0


def test_unknown_option_is_an_error():
    res = _cli("run", RAW_DIR, "--outt", "x")
    assert res.returncode == 2
    assert "No such option" in res.stderr


def test_schema_command_matches_the_committed_docs():
    res = _cli("schema")
    assert res.returncode == 0
    assert res.stdout == (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")


def test_eval_without_output_is_a_clear_error(tmp_path):
    res = _cli("eval", "--pred", tmp_path / "nothing")
    assert res.returncode == 2
    assert "run `notices run` first" in res.stderr


def test_dask_engine_without_dask_names_the_extra(tmp_path):
    """Dask is an extra: without it `--engine dask` is one line naming what to install."""
    code = ("import sys; sys.modules['dask'] = None; from pipeline.cli import app; "
            f"app(['run', {str(SAMPLE_FILES[0])!r}, '--out', {str(tmp_path / 'out')!r}, '--engine', 'dask'])")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'notices[dask]'" in lines[0], res.stderr
    assert not (tmp_path / "out").exists()


def test_version():
    from pipeline import __version__

    res = _cli("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"notices {__version__}"


def test_run_json_summary_on_stdout_and_in_a_file(tmp_path):
    out, summary = tmp_path / "out", tmp_path / "summary.json"
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02" * 100)
    res = _cli("run", SAMPLE_FILES[0], broken, "--out", out, "--json", "--summary-json", summary)
    assert res.returncode == 1
    figures = json.loads(res.stdout)                     # stdout is the JSON object alone
    assert figures == json.loads(summary.read_text(encoding="utf-8"))
    assert (figures["files"], figures["documents"], figures["errors"], figures["exit_status"]) == (2, 1, 1, 1)
    assert figures["tasks"] > 0 and figures["missing_inputs"] == []
    assert "broken.txt" in res.stderr                    # the error line still goes to stderr


def test_shell_completion_completes_commands_options_and_engines():
    def complete(words, cword):
        env = {**os.environ, "_NOTICES_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        return subprocess.run([sys.executable, "-m", "pipeline"], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60).stdout.split()

    assert complete("notices ru", 1) == ["run"]
    assert "--summary-json" in complete("notices run --su", 2)
    assert complete("notices run --engine ", 3) == ["local", "dask"]
    # the script `notices --show-completion` prints (asked of click directly: --show-completion
    # detects the user's shell from the parent processes, which differ under a test runner)
    env = {**os.environ, "_NOTICES_COMPLETE": "source_bash"}
    res = subprocess.run([sys.executable, "-m", "pipeline"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0 and "_NOTICES_COMPLETE=complete_bash" in res.stdout


def test_run_does_not_import_pandas(tmp_path):
    """`notices run` converts its rows to Arrow without pandas (its import is ~0.4 s of the
    command's start): not on a first run, nor on a forced run that rewrites part files; a
    first run does not import pyarrow.compute either (~50 ms: its kernels are called by name)."""
    out = str(tmp_path / "out")
    code = ("import sys; from pipeline.cli import app\n"
            "for extra in ([], ['--force']):\n"
            f"    try: app(['run', {str(SAMPLE_FILES[0])!r}, {str(SAMPLE_FILES[1])!r}, '--out', {out!r}, '--quiet',"
            " *extra])\n"
            "    except SystemExit as exc: assert not exc.code, exc.code\n"
            "    print('pandas' in sys.modules, 'pyarrow.compute' in sys.modules)")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    first, forced = [line for line in res.stdout.splitlines() if line.startswith(("True", "False"))]
    assert first == "False False" and forced.startswith("False ")
