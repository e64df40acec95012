"""`notices query`: DuckDB views over the current output, the task_items join, the
output formats, and the read-only guard (statements that write are refused, and even a
SELECT cannot touch a file)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from pipeline.query import QueryError, ReadOnlyError, run_query, schema_rows
from pipeline.records import TABLES, arrow_schema
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import RAW_DIR, ROOT, SAMPLE_FILES


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", "query", *map(str, args)], cwd=ROOT,
                          capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert run(SAMPLE_FILES, out, workers=1).errors == 0
    return out


def _scalar(out, sql):
    return run_query(out, sql).to_pylist()[0]


def test_each_view_holds_the_committed_rows(sample_out):
    store = Store(sample_out)
    for table in TABLES:
        expected = store.read_table(table).num_rows
        assert _scalar(sample_out, f"SELECT count(*) AS n FROM {table}")["n"] == expected, table
    assert _scalar(sample_out, "SELECT count(*) AS n FROM documents")["n"] == 5


def test_an_empty_table_is_queryable_with_its_schema(tmp_path):
    out = tmp_path / "out"
    clean = [p for p in SAMPLE_FILES if p.name[:3] in ("000", "001", "003")]  # no error nor warning
    assert run(clean, out, workers=1).warnings == 0
    assert _scalar(out, "SELECT count(*) AS n FROM errors")["n"] == 0
    described = run_query(out, "DESCRIBE errors").column("column_name").to_pylist()
    assert described == arrow_schema(TABLES["errors"]).names
    # and joins against it work
    row = _scalar(out, "SELECT count(*) AS n FROM documents d LEFT JOIN errors e USING (source_path)")
    assert row["n"] == 3


def test_task_items_has_one_row_per_task_with_its_items_as_ordered_lists(sample_out):
    counts = _scalar(sample_out, """
        SELECT count(*) AS tasks, count(DISTINCT task_id) AS ids, sum(len(units)) AS units,
               sum(len(dates)) AS dates, sum(len(targets)) AS targets,
               count(*) FILTER (WHERE units IS NULL OR dates IS NULL OR targets IS NULL) AS nulls
        FROM task_items""")
    store = Store(sample_out)
    assert counts["tasks"] == counts["ids"] == store.read_table("tasks").num_rows
    for table in ("units", "dates", "targets"):
        assert counts[table] == store.read_table(table).num_rows
    assert counts["nulls"] == 0  # a task without units has [] not NULL
    rows = run_query(sample_out, "SELECT task_id, char_start, char_end, units, targets FROM task_items").to_pylist()
    units_by_task = {}
    for u in store.read_table("units").to_pylist():
        units_by_task.setdefault(u["task_id"], []).append(u["name"])
    for r in rows:
        starts = [u["char_start"] for u in r["units"]]
        assert starts == sorted(starts)
        assert sorted(u["name"] for u in r["units"]) == sorted(units_by_task.get(r["task_id"], []))
        assert all(r["char_start"] <= g["char_start"] < g["char_end"] <= r["char_end"] for g in r["targets"])


def test_queries_read_the_current_version_only(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    names = [p.name for p in SAMPLE_FILES]
    shutil.copy(RAW_DIR / names[0], src)
    out = tmp_path / "out"
    run([src], out, workers=1)
    shutil.copy(RAW_DIR / names[1], src)
    run([src], out, workers=1)
    assert len(list((out / ".versions").iterdir())) == 2  # the previous version is still on disk
    assert _scalar(out, "SELECT count(*) AS n FROM documents")["n"] == 2
    assert _scalar(out, "SELECT count(DISTINCT doc_id) AS n FROM tasks")["n"] == 2


@pytest.mark.parametrize("sql", [
    "COPY targets TO '{tmp}/x.csv'",
    "COPY (SELECT * FROM documents) TO '{tmp}/x.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{tmp}/x'",
    "ATTACH '{tmp}/x.db' AS x",
    "CREATE TABLE x AS SELECT * FROM targets",
    "CREATE VIEW x AS SELECT 1",
    "CREATE MACRO m(a) AS a",
    "INSERT INTO targets SELECT * FROM targets",
    "UPDATE targets SET kind = 'info'",
    "DELETE FROM units",
    "DROP VIEW task_items",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET threads = 1",
    "RESET enable_external_access",
    "SET enable_external_access = true",
    "PRAGMA threads = 1",
    "PRAGMA enable_profiling",
    "SET VARIABLE x = 1",
    "CHECKPOINT",
    "CALL pragma_version()",
    "BEGIN TRANSACTION",
    "USE memory",
    "PIVOT targets ON kind USING count(*)",
    "EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1",
    "EXPLAIN ANALYZE INSERT INTO targets SELECT * FROM targets",
    "EXPLAIN COPY targets TO '{tmp}/x.csv'",
    "/* c */ EXPLAIN ANALYZE COPY targets TO '{tmp}/x.csv'",
    "EXPLAIN (FORMAT json) CREATE TABLE x AS SELECT 1",
])
def test_statements_that_write_or_change_state_are_refused(sample_out, tmp_path, sql):
    with pytest.raises(ReadOnlyError, match="read-only|refused"):
        run_query(sample_out, sql.format(tmp=tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM read_csv('/etc/passwd', sep = ':')",
    "SELECT * FROM read_parquet('{out}/documents/*.parquet')",
    "SELECT * FROM glob('/*')",
    "SELECT * FROM query('SELECT * FROM read_text(''/etc/hostname'')')",
])
def test_a_select_cannot_open_files(sample_out, sql):
    with pytest.raises(QueryError, match="disabled|Permission|SELECT"):
        run_query(sample_out, sql.format(out=sample_out))


def test_several_statements_and_syntax_errors_are_one_line_errors(sample_out):
    with pytest.raises(QueryError, match="one statement"):
        run_query(sample_out, "SELECT 1; COPY targets TO '/tmp/x.csv'")
    with pytest.raises(QueryError) as err:
        run_query(sample_out, "SELEC doc_id FROM documents")
    assert "\n" not in str(err.value) and "syntax error" in str(err.value)


@pytest.mark.parametrize("sql", ["DESCRIBE task_items", "SHOW TABLES", "SUMMARIZE dates", "EXPLAIN SELECT * FROM units",
                                 "EXPLAIN ANALYZE SELECT count(*) FROM task_items", "EXPLAIN (FORMAT json) SELECT 1",
                                 "PRAGMA show_tables", "FROM units SELECT role, count(*) GROUP BY ALL",
                                 "PIVOT targets ON kind IN ('target', 'info') USING count(*) GROUP BY doc_id"])
def test_read_only_statements_run(sample_out, sql):
    assert run_query(sample_out, sql).num_rows > 0


def test_schema_lists_every_view_and_column(sample_out):
    rows = schema_rows(sample_out)
    views = {v for v, _, _ in rows}
    assert views == {*TABLES, "task_items"}
    cols = {(v, c): t for v, c, t in rows}
    assert cols[("task_items", "units")].startswith("STRUCT(") and cols[("task_items", "units")].endswith("[]")
    assert cols[("dates", "start")] == "DATE"
    for table, model in TABLES.items():
        assert [c for v, c, _ in rows if v == table] == list(model.model_fields)


def test_cli_formats(sample_out, tmp_path):
    sql = "SELECT task_id, path, units FROM task_items WHERE len(units) > 0 ORDER BY task_id"
    expected = run_query(sample_out, sql).to_pylist()

    res = _cli(sql, "--pred", sample_out, "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout.decode("utf-8"))))
    assert [r["task_id"] for r in rows] == [e["task_id"] for e in expected]
    assert json.loads(rows[0]["units"])[0]["name"] == expected[0]["units"][0]["name"]

    res = _cli(sql, "--pred", sample_out, "--format", "json")
    lines = [json.loads(ln) for ln in res.stdout.decode("utf-8").splitlines()]
    assert len(lines) == len(expected) and lines[0]["path"] == expected[0]["path"]

    target = tmp_path / "items.parquet"  # format from the suffix
    res = _cli(sql, "--pred", sample_out, "--output", target)
    assert res.returncode == 0 and res.stdout == b""
    assert pq.read_table(target).to_pylist() == expected

    res = _cli("SELECT sum(len(units)) AS n, 0.5::DECIMAL(4,2) AS half FROM task_items", "--pred", sample_out, "-f", "csv")
    assert res.stdout.decode("utf-8").splitlines()[1] == f"{Store(sample_out).read_table('units').num_rows},0.5"

    res = _cli("SELECT title FROM documents ORDER BY title", "--pred", sample_out)
    assert res.returncode == 0 and "5 row(s)" in res.stdout.decode("utf-8")
    assert "杨浦区总工会常委会2019年工作要点" in res.stdout.decode("utf-8")


def test_cli_refuses_writes_with_one_line(sample_out, tmp_path):
    res = _cli(f"COPY documents TO '{tmp_path}/docs.csv'", "--pred", sample_out)
    assert res.returncode == 2 and res.stdout == b""
    err = res.stderr.decode("utf-8").strip()
    assert "\n" not in err and "read-only" in err and "COPY" in err
    assert not (tmp_path / "docs.csv").exists()
    res = _cli("SELECT 1 AS x", "--pred", sample_out, "--output", sample_out / "x.csv")
    assert res.returncode == 2 and "only reads" in res.stderr.decode("utf-8")
    assert not (sample_out / "x.csv").exists()


def test_cli_schema_and_missing_output(sample_out, tmp_path):
    res = _cli("--schema", "--pred", sample_out)
    assert res.returncode == 0
    text = res.stdout.decode("utf-8")
    assert "task_items" in text and "char_start" in text
    res = _cli("SELECT 1", "--pred", tmp_path / "nothing")
    assert res.returncode == 2 and "run `notices run` first" in res.stderr.decode("utf-8")


def test_a_refused_statement_is_one_plain_line_on_stderr(tmp_path):
    import subprocess
    import sys

    from pipeline.runner import run
    from tests.conftest import SAMPLE_FILES

    out = tmp_path / "out"
    run(SAMPLE_FILES, out, workers=1)
    res = subprocess.run([sys.executable, "-m", "pipeline", "query", "--pred", str(out), "DELETE FROM targets"],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.splitlines() == [res.stderr.strip()] and res.stderr.startswith("error: refused: DELETE")
