"""Reliability: every bad input of the format-independent kinds through the CLI (one
stderr line naming the file, an ``errors`` row, the batch goes on), the per-file bounds
of ``config.Limits`` (size, characters, time, memory) from the settings file and the run
options, a worker that hangs, runs out of memory or dies costing only its file, two runs
on one output folder, and output paths that never leave the output folder."""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import pipeline.runner as runner
from pipeline import config
from pipeline.config import ConfigError, Limits, load_limits, parse_size
from pipeline.ingest import NoticeError, read_bytes
from pipeline.records import TABLES
from pipeline.runner import run, source_label
from pipeline.store import Store
from tests.conftest import RAW_DIR, ROOT, SAMPLE_FILES

SAMPLES = SAMPLE_FILES
SAMPLE_TASKS = 89  # tasks of the five sample notices (test_store asserts the same figure)


def _cli(*args, cwd=ROOT, timeout=300):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _popen(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _errors(out) -> dict[str, tuple[str, str]]:
    """File name -> (error code, message) of the committed errors rows (the quality warnings
    no_title, no_issuer… are tested in test_quality.py)."""
    from pipeline.quality import QUALITY_CODES

    rows = Store(out).read_table("errors").to_pylist()
    return {Path(r["source_path"]).name: (r["error"], r["message"]) for r in rows if r["error"] not in QUALITY_CODES}


def _copy_samples(folder: Path, prefix: str = "") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for p in SAMPLES:
        shutil.copy(p, folder / f"{prefix}{p.name}")


def _assert_samples_complete(out, n_extra_docs=0):
    store = Store(out)
    docs = store.read_table("documents").to_pylist()
    good = [d for d in docs if Path(d["source_path"]).name.endswith(tuple(p.name for p in SAMPLES))]
    assert len(good) == len(SAMPLES)
    by_id = {d["doc_id"]: d for d in good}
    tasks = [t for t in store.read_table("tasks").to_pylist() if t["doc_id"] in by_id]
    assert len(tasks) == SAMPLE_TASKS
    assert len(docs) == len(SAMPLES) + n_extra_docs


# -- every bad input of the list, in one batch with the good notices ---------------------

def _mixed_gbk_utf8(text: str) -> bytes:
    """A GBK file with three UTF-8 paragraphs pasted into its middle."""
    paras = text.split("\n")
    k = len(paras) // 2
    return ("\n".join(paras[:k]).encode("gbk") + b"\n" + "\n".join(paras[k:k + 3]).encode("utf-8")
            + b"\n" + "\n".join(paras[k + 3:]).encode("gbk"))


def test_every_bad_input_is_one_line_and_one_row_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    _copy_samples(src, "good_")
    sample = SAMPLES[0].read_text(encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_bytes(" \n\t\r\n\u3000\n".encode("utf-8"))
    (src / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (src / "undecodable.txt").write_bytes(b"\x81\x30\xff\xfe\x80" * 200)
    (src / "mixed.txt").write_bytes(_mixed_gbk_utf8(sample))
    (src / "plain.txt").write_text("请各基层工会于春节前完成困难职工慰问工作，并将情况报区总工会。", encoding="utf-8")
    with open(src / "huge.txt", "wb") as fh:  # 50 MB of notice text
        block = (sample * 40).encode("utf-8")
        while fh.tell() < 50 * 1000 * 1000:
            fh.write(block)
    out = tmp_path / "out"
    res = _cli("run", src, "--out", out, "--workers", "2")
    assert res.returncode == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    expected = {  # file -> (code, words the one line must carry)
        "empty.txt": ("empty", "empty"), "blank.txt": ("empty", "no text"), "binary.txt": ("binary", "binary"),
        "undecodable.txt": ("undecodable", "not valid"), "huge.txt": ("too_large", "max_chars"),
        "mixed.txt": ("mixed_encoding", "mixed encodings"), "plain.txt": ("no_structure", "no numbered items"),
    }
    assert len(lines) == len(expected), res.stderr
    for name, (_, words) in expected.items():
        mine = [ln for ln in lines if Path(ln.split(": ", 1)[0]).name == name]
        assert len(mine) == 1 and words in mine[0], (name, lines)
    assert {k: v[0] for k, v in _errors(out).items()} == {k: v[0] for k, v in expected.items()}
    _assert_samples_complete(out, n_extra_docs=2)
    docs = {Path(d["source_path"]).name: d for d in Store(out).read_table("documents").to_pylist()}
    # the mixed file is the same document as the sample it was made from, read right in both encodings
    assert docs["mixed.txt"]["text"] == docs[f"good_{SAMPLES[0].name}"]["text"]
    assert docs["plain.txt"]["text"].startswith("请各基层工会")


def test_warnings_alone_do_not_fail_the_run(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "mixed.txt").write_bytes(_mixed_gbk_utf8(SAMPLES[1].read_text(encoding="utf-8")))
    res = _cli("run", src, "--out", tmp_path / "out")
    assert res.returncode == 0
    assert res.stderr.count("\n") == 1 and "mixed.txt: warning: mixed encodings" in res.stderr


@pytest.mark.parametrize("encodings", [("gbk",), ("utf-8", "gbk"), ("gbk", "utf-8"), ("utf-8", "big5")])
def test_mixed_encoding_warning_only_when_both_occur(encodings):
    text = SAMPLES[2].read_bytes().decode("utf-8").rstrip("\n") + "\n"
    if "big5" in encodings:  # Big5 has no simplified characters: a traditional notice
        import zhconv
        text = zhconv.convert(text, "zh-tw")
        text = text.encode("big5", "ignore").decode("big5")
    data = b"".join(text.encode(enc) for enc in encodings)
    with config.using() as scope:
        ing = read_bytes(data, "m.txt")
    assert ing.text == text * len(encodings)
    codes = [c for c, _ in scope.warnings]
    assert codes == (["mixed_encoding"] if len(encodings) > 1 else [])
    assert ing.warnings == tuple(scope.warnings)        # (code, message) pairs, rows made by process


# -- the bounds and where they come from -------------------------------------------------

def test_settings_file_then_options(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_limits() == Limits()
    (tmp_path / "notices.toml").write_text('[limits]\nmax_bytes = "1MB"\ntimeout_s = 5\nmax_pages = 10\n')
    lim = load_limits()
    assert (lim.max_bytes, lim.timeout_s, lim.max_pages, lim.max_chars) == (1024 * 1024, 5, 10, Limits().max_chars)
    lim = load_limits(timeout_s=9, max_bytes="2k", max_memory_mb=None)
    assert (lim.max_bytes, lim.timeout_s, lim.max_memory_mb) == (2048, 9, Limits().max_memory_mb)
    other = tmp_path / "other.toml"
    other.write_text("[limits]\nmax_chars = 1000\n")
    assert load_limits(other).max_chars == 1000 and load_limits(other).max_bytes == Limits().max_bytes


@pytest.mark.parametrize("text,words", [
    ("[limits]\nmax_byte = 5\n", "limits.max_byte"),
    ("[limit]\nmax_bytes = 5\n", "'limit'"),
    ("max_bytes = 5\n", "'max_bytes'"),
    ("[limits]\ntimeout_s = -1\n", "limits.timeout_s: must be a positive"),
    ("[limits]\nmax_chars = 1.5\n", "limits.max_chars: must be a whole"),
    ("[limits]\nmax_bytes = 'lots'\n", "max_bytes: not a size"),
    ("[limits\n", "not valid TOML"),
])
def test_bad_settings_are_errors_naming_the_setting(tmp_path, text, words):
    path = tmp_path / "notices.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=None) as exc:
        load_limits(path)
    assert words in str(exc.value)


def test_sizes_are_parsed():
    assert parse_size("64MB") == 64 * 1024 * 1024
    assert parse_size("512k") == 512 * 1024
    assert parse_size("1.5GiB") == 1536 * 1024 * 1024
    assert parse_size(100) == 100 and parse_size("100") == 100
    with pytest.raises(ConfigError):
        parse_size("12 parsecs")


def test_cli_reads_the_settings_file_and_its_options_win(tmp_path):
    (tmp_path / "notices.toml").write_text('[limits]\nmax_bytes = "5k"\n')
    big = [p for p in SAMPLES if p.stat().st_size > 12 * 1024]
    assert 0 < len(big) < len(SAMPLES)
    res = _cli("run", *SAMPLE_FILES, "--out", tmp_path / "o1", "--max-bytes", "12k", cwd=tmp_path)
    assert res.returncode == 1
    assert res.stderr.splitlines() == [f"{p}: {p.stat().st_size} bytes is above the limit of 12288 (max_bytes)"
                                       for p in big]
    (tmp_path / "notices.toml").write_text("[limits]\nmax_memory = 100\n")
    res = _cli("run", *SAMPLE_FILES, "--out", tmp_path / "o2", cwd=tmp_path)
    assert res.returncode == 2
    assert res.stderr.splitlines() == ["error: notices.toml: unknown setting limits.max_memory; known: "
                                       "max_bytes, max_chars, max_memory_mb, max_pages, ocr, timeout_s"]
    assert not (tmp_path / "o2").exists()


def test_text_above_max_chars_is_refused_and_retried_with_a_higher_bound(tmp_path):
    data = SAMPLES[0].read_bytes()
    with config.using(Limits(max_chars=1000)), pytest.raises(NoticeError) as exc:
        read_bytes(data, "a.txt")
    assert exc.value.code == "too_large" and "(max_chars)" in exc.value.message
    out = tmp_path / "out"
    lengths = sorted(len(p.read_bytes().decode("utf-8")) for p in SAMPLES)
    bound = (lengths[1] + lengths[2]) // 2  # the two shortest pass, the other three are refused
    summary = run(SAMPLE_FILES, out, workers=1, limits=Limits(max_chars=bound), err=io.StringIO())
    assert summary.documents == 2 and summary.errors == 3
    assert {v[0] for v in _errors(out).values()} == {"too_large"}
    summary = run(SAMPLE_FILES, out, workers=1, err=io.StringIO())  # refused files are tried again
    assert summary.skipped == 2 and summary.documents == 3
    assert not _errors(out)
    _assert_samples_complete(out)


# -- a worker that hangs, runs out of memory or dies costs only its file -----------------

def _hostile_process_bytes(real):
    """process_bytes as the workers (forked from this process) see it: four file names
    misbehave the ways a reader bug or a crafted file can."""
    def fake(data, path, **kw):
        name = Path(path).name
        if name == "bad_hang.txt":      # Python code that never ends: the alarm stops it
            time.sleep(600)
        elif name == "bad_stuck.txt":   # stuck where no signal handler runs: the pool kills it
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(600)
        elif name == "bad_hog.txt":     # asks for far more memory than the bound
            bytearray(4 * 1024 ** 3)
        elif name == "bad_die.txt":     # native code that aborts the process
            os.abort()
        return real(data, path, **kw)
    return fake


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers inherit the patch; memory is read from /proc")
def test_hung_hungry_and_dying_workers_cost_only_their_file(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "process_bytes", _hostile_process_bytes(runner.process_bytes))
    src = tmp_path / "in"
    _copy_samples(src, "good_")  # sorted after the bad files: fresh workers process them
    for name in ("bad_die", "bad_hang", "bad_hog", "bad_stuck"):
        (src / f"{name}.txt").write_text(f"{name}：一、做好工作。", encoding="utf-8")
    out = tmp_path / "out"
    lines: list[str] = []

    class Err:
        def write(self, s):
            lines.extend(ln for ln in s.splitlines() if ln)

    summary = run([src], out, workers=1, limits=Limits(timeout_s=1, max_memory_mb=256), err=Err())
    assert summary.errors == 4 and summary.documents == len(SAMPLES)
    errors = _errors(out)
    assert {k: v[0] for k, v in errors.items()} == {
        "bad_hang.txt": "timeout", "bad_stuck.txt": "timeout", "bad_hog.txt": "memory", "bad_die.txt": "crashed"}
    assert "killed by SIGABRT" in errors["bad_die.txt"][1]
    assert "more than 1 s (timeout_s)" in errors["bad_hang.txt"][1]
    assert len(lines) == 4 and all(Path(ln.split(": ", 1)[0]).name.startswith("bad_") for ln in lines)
    _assert_samples_complete(out)
    # failures on a bound are retried by the next run (here: without the hostile reader)
    monkeypatch.undo()
    summary = run([src], out, workers=2, err=Err())
    assert summary.skipped == len(SAMPLES) and summary.documents == 4 and summary.errors == 0


@pytest.mark.skipif(sys.platform != "linux", reason="memory is read from /proc")
def test_real_memory_bound_through_the_cli(tmp_path):
    src = tmp_path / "in"
    _copy_samples(src)
    text = "".join(p.read_text(encoding="utf-8") for p in SAMPLES) * 60  # ~1.1 M characters
    (src / "long.txt").write_text(text, encoding="utf-8")
    res = _cli("run", src, "--out", tmp_path / "out", "--max-memory", "40", "--workers", "1")
    assert res.returncode == 1
    assert res.stderr.splitlines() == [f"{src / 'long.txt'}: processing needed more than 40 MiB "
                                       "(max_memory_mb); skipped"]
    assert _errors(tmp_path / "out")["long.txt"][0] == "memory"
    _assert_samples_complete(tmp_path / "out")


# -- two runs on one output folder ----------------------------------------------------------

def _big_corpus(folder: Path, n: int, tag: str) -> None:
    folder.mkdir()
    raws = [p.read_text(encoding="utf-8") for p in SAMPLES]
    for i in range(n):
        (folder / f"{tag}{i:03d}.txt").write_text(raws[i % len(raws)] + f"\n（{tag}{i}）\n", encoding="utf-8")


def _wait_for_first_commit(out: Path, proc, limit=120.0) -> None:
    t0 = time.monotonic()
    while Store(out).current is None:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() - t0 < limit
        time.sleep(0.05)


def test_a_second_run_refuses_or_waits_and_never_interleaves(tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    _big_corpus(a, 120, "a")
    _big_corpus(b, 20, "b")
    first = _popen("run", a, "--out", out, "--workers", "1", "--batch-docs", "5", "--quiet")
    _wait_for_first_commit(out, first)
    waiting = _popen("run", b, "--out", out, "--workers", "1", "--batch-docs", "5", "--quiet", "--wait")
    refused = _cli("run", *SAMPLE_FILES, "--out", out, "--quiet")
    first_still_running = first.poll() is None
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [f"error: {out}: another `notices run` is writing to this output "
                                           "folder (lock file .lock is held); wait for it to finish or use --wait"]
    versions = []
    while waiting.poll() is None or first.poll() is None:
        try:
            manifest = Store(out).manifest()
        except FileNotFoundError:  # a version pruned between resolving .current and reading it
            continue
        names = [Path(p).name for p in manifest["files"]]
        n_a, n_b = sum(n.startswith("a") for n in names), sum(n.startswith("b") for n in names)
        if n_b:  # the waiting run commits only once the first one has committed everything
            assert n_a == 120, (n_a, n_b)
        versions.append(manifest["version"])
        time.sleep(0.02)
    assert first.wait() == 0 and waiting.wait() == 0, waiting.stderr.read()
    assert first_still_running  # else the refusal above proved nothing
    assert versions == sorted(versions)
    docs = Store(out).read_table("documents").to_pylist()
    assert len(docs) == 140 and len({d["doc_id"] for d in docs}) == 140
    assert not any(Path(d["source_path"]).parent == RAW_DIR for d in docs)


# -- output paths ------------------------------------------------------------------------

ODD_NAMES = ["new\nline.txt", "tab\there.txt", "-dash 通知（2021）.txt", "x..txt", " lead space.txt",
             "a'quote\"s.txt", "back\\slash.txt", "x" * 240 + ".txt", "emoji 📄.txt"]


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_input_paths_never_shape_output_paths(tmp_path):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    shutil.copy(SAMPLES[0], tmp_path / "x.txt")
    src = tmp_path / "in"
    src.mkdir()
    names = ODD_NAMES + ([os.fsdecode(b"\xff\xfe-gbk-\xcd\xa8\xd6\xaa.txt")] if sys.platform == "linux" else [])
    for i, name in enumerate(names):
        (src / name).write_bytes(SAMPLES[i % len(SAMPLES)].read_bytes() + f"\n{i}\n".encode())
    before = _tree(tmp_path)
    res = _cli("run", "../../x.txt", "../../in", "--out", "out", cwd=work)
    assert res.returncode == 0, res.stderr
    after = _tree(tmp_path)
    assert {p for p in after - before if not p.startswith("a/b/out")} == set()  # nothing written elsewhere
    out = work / "out"
    for p in out.rglob("*"):
        rel = p.relative_to(out).parts
        assert rel[0] in {".lock", ".current", ".versions", *TABLES}, p
        if rel[0] == ".versions" and len(rel) > 1:
            assert rel[1].startswith("v") and rel[1][1:].isdigit()
            if len(rel) == 3:
                assert rel[2] in {"manifest.json", ".complete", *TABLES}
            if len(rel) == 4:
                assert rel[2] in TABLES and rel[3].startswith("part-") and rel[3].endswith(".parquet")
        assert p.resolve().is_relative_to(out.resolve())
    docs = Store(out).read_table("documents").to_pylist()
    real = tmp_path.resolve()  # inputs are known by their real paths
    assert sorted(d["source_path"] for d in docs) == sorted(
        [str(real / "x.txt")] + [source_label(str(real / "in" / n)) for n in names])
    assert all("\n" not in d["source_path"] for d in docs)
    # the labels are valid UTF-8 on one line, and duckdb reads them back
    got = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{out}/documents/*.parquet') WHERE "
                                   "source_path LIKE '%\\xff\\xfe%' OR source_path LIKE '%new\\nline%'").fetchall()[0][0]
    assert got == (2 if sys.platform == "linux" else 1)
    # a rerun recognises every file by its label: nothing is processed twice
    res = _cli("run", "../../x.txt", "../../in", "--out", "out", cwd=work)
    assert res.returncode == 0
    assert re.search(r"skipped\s*│\s*(\d+)", res.stdout).group(1) == str(len(names) + 1)


def test_source_label_escapes_only_what_cannot_be_shown():
    assert source_label("data/raw/通知（2021）　第1号.txt") == "data/raw/通知（2021）　第1号.txt"
    assert source_label("a\nb\tc\x1b.txt") == "a\\nb\\tc\\x1b.txt"
    assert source_label(os.fsdecode(b"\xff.txt")) == "\\xff.txt"
    assert source_label("line\u2028sep") == "line\\u2028sep"
