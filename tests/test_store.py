"""Storage and batch: Parquet round trip with the declared schema, incremental reruns,
atomic versions, the lock, and bad input recorded without stopping the batch."""
from __future__ import annotations

import shutil

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from pipeline.quality import QUALITY_CODES
from pipeline.records import TABLES, arrow_schema
from pipeline.runner import run
from pipeline.store import Store, StoreError
from tests.conftest import RAW_DIR, SAMPLE_FILES


def _snapshot(out):
    store = Store(out)
    snap = {}
    for table in TABLES:
        rows = store.read_table(table).to_pylist()
        for r in rows:
            r.pop("processed_at", None)
            r.pop("at", None)
        snap[table] = sorted(map(repr, rows))
    return snap


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = run(SAMPLE_FILES, out, workers=1)
    assert summary.errors == 0
    return out


def test_every_table_reads_back_with_the_declared_schema(sample_out):
    for table, model in TABLES.items():
        files = sorted((sample_out / table).glob("*.parquet"))
        assert files, table  # every table, even an empty one, is at least one Parquet file
        for f in files:
            assert pq.read_schema(f).remove_metadata() == arrow_schema(model)
            assert pq.ParquetFile(f).metadata.row_group(0).column(0).compression == "ZSTD"
        rows = ds.dataset(sample_out / table, format="parquet").to_table().to_pylist()
        for r in rows:
            model(**r)  # validates every value against the model


def test_documents_and_tasks_of_the_sample(sample_out):
    docs = Store(sample_out).read_table("documents").to_pylist()
    assert len(docs) == 5
    assert {d["source_format"] for d in docs} == {"txt"}
    tasks = Store(sample_out).read_table("tasks").to_pylist()
    assert len(tasks) == 89
    assert len({t["task_id"] for t in tasks}) == 89
    by_doc = {d["doc_id"]: d["text"] for d in docs}
    for t in tasks:
        assert by_doc[t["doc_id"]][t["char_start"]:t["char_end"]] == t["text"]
        assert "".join(t["tokens"]) == t["text"]


def test_extracted_spans_lie_inside_their_task(sample_out):
    store = Store(sample_out)
    docs = {d["doc_id"]: d["text"] for d in store.read_table("documents").to_pylist()}
    tasks = {t["task_id"]: t for t in store.read_table("tasks").to_pylist()}
    for table, field in (("units", "name"), ("dates", "text"), ("targets", "text")):
        for r in store.read_table(table).to_pylist():
            t = tasks[r["task_id"]]
            assert t["char_start"] <= r["char_start"] < r["char_end"] <= t["char_end"]
            assert docs[r["doc_id"]][r["char_start"]:r["char_end"]] == r[field]


def test_rerun_is_incremental_and_leaves_output_identical(sample_out, tmp_path):
    out = tmp_path / "o"
    shutil.copytree(sample_out, out, symlinks=True)
    before = _snapshot(out)
    summary = run(SAMPLE_FILES, out, workers=1)
    assert summary.skipped == 5 and summary.documents == 0
    assert _snapshot(out) == before
    summary = run(SAMPLE_FILES, out, workers=1, force=True)
    assert summary.documents == 5
    assert _snapshot(out) == before  # replaced, not duplicated


def test_changed_file_replaces_its_rows(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW_DIR / "004_fdee0880ac1b92ce.txt", src / "a.txt")
    out = tmp_path / "o"
    run([src], out, workers=1)
    first = Store(out).read_table("documents").to_pylist()
    (src / "a.txt").write_text((RAW_DIR / "000_9f242943d0fc2fc0.txt").read_text(encoding="utf-8"), encoding="utf-8")
    run([src], out, workers=1)
    docs = Store(out).read_table("documents").to_pylist()
    assert len(docs) == 1 and docs[0]["doc_id"] != first[0]["doc_id"]
    tasks = Store(out).read_table("tasks").to_pylist()
    assert {t["doc_id"] for t in tasks} == {docs[0]["doc_id"]}


def test_bad_files_become_error_rows_and_the_batch_goes_on(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW_DIR / "000_9f242943d0fc2fc0.txt", src / "good.txt")
    (src / "empty.txt").write_bytes(b"")
    (src / "blank.txt").write_text("  \n \n")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (src / "plain.txt").write_text("请各基层工会于春节前完成慰问工作。", encoding="utf-8")
    out = tmp_path / "o"
    summary = run([src], out, workers=1)
    assert summary.documents == 2 and summary.errors == 3
    assert summary.warnings == 1 + sum(summary.quality.values())  # no_structure, and the quality checks
    assert summary.quality == {"no_title": 1, "no_issuer": 1, "no_issue_date": 1}   # plain.txt has no header
    errors = {e["source_path"].rsplit("/", 1)[-1]: e for e in Store(out).read_table("errors").to_pylist()
              if e["error"] not in QUALITY_CODES}
    assert {k: v["error"] for k, v in errors.items()} == {
        "empty.txt": "empty", "blank.txt": "empty", "binary.txt": "binary", "plain.txt": "no_structure"}
    err = capsys.readouterr().err
    assert err.count("\n") == 4 and "binary.txt" in err


def test_second_writer_is_refused_while_the_lock_is_held(tmp_path):
    store = Store(tmp_path / "o")
    with store.locked():
        with pytest.raises(StoreError, match="another `notices run`"):
            run([RAW_DIR / "000_9f242943d0fc2fc0.txt"], tmp_path / "o", workers=1)


def test_unfinished_version_from_a_killed_run_is_ignored_and_cleaned(sample_out, tmp_path):
    out = tmp_path / "o"
    shutil.copytree(sample_out, out, symlinks=True)
    before = _snapshot(out)
    junk = out / ".versions" / ".tmp-dead"
    (junk / "documents").mkdir(parents=True)
    (junk / "documents" / "part-x.parquet").write_bytes(b"half")
    assert _snapshot(out) == before  # readers never see it
    run(SAMPLE_FILES, out, workers=1)
    assert not junk.exists()
    assert _snapshot(out) == before


def test_foreign_folder_is_not_overwritten(tmp_path):
    out = tmp_path / "o"
    (out / "documents").mkdir(parents=True)
    (out / "documents" / "mine.csv").write_text("x")
    with pytest.raises(StoreError, match="not managed by notices"):
        run([RAW_DIR / "000_9f242943d0fc2fc0.txt"], out, workers=1)
    assert (out / "documents" / "mine.csv").exists()


def _task(n: int, tokens: list[str]):
    from pipeline.records import Task

    return Task(doc_id="d", task_id=f"d-{n:04d}", path=[str(n)], section=None, title=None, text="".join(tokens),
                char_start=0, char_end=len("".join(tokens)), page=None, tokens=tokens)


@pytest.mark.parametrize("tokens", [["一", "、", "加强", "组织"], [], [""], ["", ""], ["a\x00b", "c"], ["\x00"]],
                         ids=["words", "none", "one-empty", "two-empty", "separator-inside", "separator-alone"])
def test_rows_carried_as_columns_give_the_same_arrow_table_as_the_rows(tokens):
    """A worker's rows travel as ``Columns`` (tokens joined by a separator, split again by
    Arrow): the table written is the one the row objects give, whatever the tokens hold."""
    from pipeline.records import Columns, as_row_tuples
    from pipeline.store import _rows_to_table

    rows = [_task(1, ["各", "单位"]), _task(2, tokens), _task(3, [])]
    carried = Columns.of("tasks", rows)
    batch = Columns.empty("tasks")
    batch.extend(carried)
    batch.extend(Columns.of("tasks", as_row_tuples("tasks", rows[:1])))
    expected = _rows_to_table("tasks", rows + rows[:1])
    assert len(batch) == 4 and batch.column("tokens")[1] == tokens
    assert _rows_to_table("tasks", batch).equals(expected)
    assert expected.column("tokens").to_pylist()[1] == tokens


def test_importing_the_store_registers_no_fork_hook():
    import subprocess
    import sys
    # the standard library registers its own (random, threading, logging): only ours count
    code = ("import os\ncalls = []\nos.register_at_fork = lambda **kw: calls.extend(kw.values())\n"
            "import pipeline.store, pipeline.query\n"
            "ours = [f for f in calls if (getattr(f, '__module__', None) or '').startswith('pipeline')]\n"
            "assert not ours, ours\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_a_child_forked_while_the_lock_is_held_closes_its_copy(tmp_path):
    import os
    from pipeline import store as store_mod
    if not hasattr(os, "fork"):
        pytest.skip("no fork here")
    with Store(tmp_path / "o").locked():
        held = sorted(store_mod._HELD_LOCKS)
        assert held
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:   # the child: its copy of the lock's file is closed
            status = b"closed"
            for fd in held:
                try:
                    os.fstat(fd)
                    status = b"open"
                except OSError:
                    pass
            os.write(w, status)
            os._exit(0)
        os.close(w)
        os.waitpid(pid, 0)
        got = os.read(r, 8)
        os.close(r)
    assert got == b"closed"
