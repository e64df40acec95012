"""Read-only SQL over an output folder: DuckDB views on the committed Parquet tables.

``connect(out)`` opens an in-memory DuckDB connection with one view per table
(``documents``, ``tasks``, ``units``, ``dates``, ``targets``, ``errors``) over the part
files of the *current* version (resolved once and pinned, ``store.Store.pin``, so that no
run deletes it while the connection lives), plus
``task_items``: one row per task with its ``units``, ``dates`` and ``targets`` as lists of
structs (ordered by offset, empty lists when a task has none). A table with no rows yet
is an empty view with the schema of ``records.arrow_schema``.

The tables reach DuckDB as pyarrow datasets, so once the views exist the connection
needs no file access at all: ``enable_external_access`` is switched off (no COPY, ATTACH,
read_csv/read_text/glob of any path, INSTALL/LOAD) and ``lock_configuration`` on (no SET
can undo it). On top of that, ``run_query`` parses the SQL with DuckDB's own parser and
accepts only statements that read (``SELECT`` with its ``FROM``-first, ``WITH``,
``VALUES``, ``DESCRIBE``, ``SHOW``, ``SUMMARIZE``, ``PIVOT … IN (…)`` forms, ``EXPLAIN``, and
a few catalogue PRAGMAs); anything else raises ``ReadOnlyError`` with one line saying why.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import re
import weakref
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from .records import TABLES, arrow_schema
from .store import NoOutputError, Store

FORMATS = ("table", "csv", "json", "parquet")
VIEWS = (*TABLES, "task_items")
READ_PRAGMAS = {"show_tables", "show_tables_expanded", "table_info", "show", "version", "platform",
                "database_list", "functions", "collations"}

_EXPLAIN = re.compile(r"\s*(?:(?:--[^\n]*\n|/\*.*?\*/)\s*)*EXPLAIN\s+(?:ANALY[SZ]E\s+)?(?:\([^()]*\)\s*)?",
                      re.I | re.S)
_TASK_ITEMS = """
CREATE VIEW task_items AS
WITH u AS (
  SELECT task_id, list({'name': name, 'canonical': canonical, 'role': role,
                        'char_start': char_start, 'char_end': char_end} ORDER BY char_start, char_end) AS units
  FROM units GROUP BY task_id),
d AS (
  SELECT task_id, list({'text': text, 'start': "start", 'end': "end", 'kind': kind,
                        'char_start': char_start, 'char_end': char_end} ORDER BY char_start, char_end) AS dates
  FROM dates GROUP BY task_id),
g AS (
  SELECT task_id, list({'text': text, 'value': value, 'value_max': value_max, 'unit': unit, 'object': object,
                        'comparator': comparator, 'kind': kind,
                        'char_start': char_start, 'char_end': char_end} ORDER BY char_start, char_end) AS targets
  FROM targets GROUP BY task_id)
SELECT t.doc_id, t.task_id, t.path, t.section, t.title, t.text, t.char_start, t.char_end,
       coalesce(u.units, []) AS units, coalesce(d.dates, []) AS dates, coalesce(g.targets, []) AS targets
FROM tasks t LEFT JOIN u USING (task_id) LEFT JOIN d USING (task_id) LEFT JOIN g USING (task_id)
"""


class QueryError(Exception):
    """The query failed (syntax, unknown column …); the message is one line."""


class ReadOnlyError(QueryError):
    """The statement would write or change state; ``notices query`` only reads."""


def _table_source(current: Path | None, table: str):
    """A pyarrow dataset over the table's part files, or an empty table with its schema."""
    schema = arrow_schema(TABLES[table])
    parts = sorted((current / table).glob("*.parquet")) if current else []
    if not parts:
        return schema.empty_table()
    return pads.dataset([str(p) for p in parts], format="parquet", schema=schema)


def connect(out: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory, locked-down DuckDB connection with the views of ``out``'s current version.

    Raises NoOutputError (a FileNotFoundError) when ``out`` holds no committed output."""
    pin = Store(out).pin()  # this version stays on disk while the connection lives
    if pin is None:
        raise NoOutputError(out)
    current = pin.version
    con = duckdb.connect(":memory:")
    weakref.finalize(con, pin.close)
    for table in TABLES:
        con.register(table, _table_source(current, table))
    con.execute(_TASK_ITEMS)
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The single statement of ``sql`` if it only reads; else ReadOnlyError (QueryError on
    a syntax error or on several statements)."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(_one_line(exc)) from None
    if not statements:
        raise QueryError("no SQL statement given")
    if len(statements) > 1:
        raise QueryError(f"one statement at a time ({len(statements)} given)")
    st = statements[0]
    kind = st.type.name
    if kind == "SELECT":
        return st.query
    if kind == "EXPLAIN":  # EXPLAIN ANALYZE runs its statement: that one must read too
        m = _EXPLAIN.match(st.query)
        try:
            inner = con.extract_statements(st.query[m.end():]) if m else []
        except duckdb.Error:
            inner = []
        if len(inner) == 1 and inner[0].type.name == "SELECT":
            return st.query
        raise ReadOnlyError("refused: EXPLAIN of a statement that is not a SELECT; `notices query` is read-only")
    if kind == "PRAGMA":
        m = re.match(r"\s*pragma\s+([a-z_]+)", st.query, re.I)
        if m and m.group(1).lower() in READ_PRAGMAS:
            return st.query
        raise ReadOnlyError("refused: this PRAGMA is not one that only reads; `notices query` is read-only "
                            f"(allowed: {', '.join(sorted(READ_PRAGMAS))})")
    if kind == "MULTI":
        raise ReadOnlyError("refused: this statement runs several statements (a PIVOT without an IN list?); "
                            "write PIVOT … ON col IN (…) or use GROUP BY")
    what = {"COPY": "COPY writes files", "EXPORT": "EXPORT DATABASE writes files",
            "ATTACH": "ATTACH opens databases", "LOAD": "INSTALL/LOAD changes extensions",
            "SET": "SET/RESET/USE changes settings", "VARIABLE_SET": "SET VARIABLE changes state"}.get(
        kind, f"{kind} statements change the database")
    raise ReadOnlyError(f"refused: {what}; `notices query` is read-only "
                        "(SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)")


def _one_line(exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first


def run_query(out: str | Path, sql: str) -> pa.Table:
    """Run one read-only statement over ``out``; the result as an Arrow table."""
    con = connect(out)
    try:
        statement = check_read_only(con, sql)
        try:
            return _arrow(con.sql(statement))
        except duckdb.Error as exc:
            raise QueryError(_one_line(exc)) from None
    finally:
        con.close()


def _arrow(rel) -> pa.Table:
    """A relation's rows as an Arrow table (``to_arrow_table`` in recent DuckDB, ``arrow`` before)."""
    if rel is None:
        return pa.table({})
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    return fetch()


def schema_rows(out: str | Path) -> list[tuple[str, str, str]]:
    """(view, column, DuckDB type) for every view, in ``VIEWS`` order."""
    con = connect(out)
    try:
        rows = []
        for view in VIEWS:
            for name, typ, *_ in con.execute(f"DESCRIBE {view}").fetchall():
                rows.append((view, name, typ))
        return rows
    finally:
        con.close()


# -- output ---------------------------------------------------------------------------

def _plain(value):
    """A Python value from Arrow as JSON-friendly data (dates as ISO strings)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):  # sum() of integers is a DECIMAL in DuckDB
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def cell_text(value) -> str:
    """One cell as text: NULL as empty, nested values as compact JSON."""
    if value is None:
        return ""
    value = _plain(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def to_csv(table: pa.Table) -> str:
    """CSV with a header row; nested values as JSON, NULL as an empty field."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        writer.writerow([cell_text(row[c]) for c in table.column_names])
    return buf.getvalue()


def to_json_lines(table: pa.Table) -> str:
    """One JSON object per row and line (JSON Lines), UTF-8 unescaped."""
    return "".join(json.dumps(_plain(row), ensure_ascii=False) + "\n" for row in table.to_pylist())


def to_parquet_bytes(table: pa.Table) -> bytes:
    """The result as one Parquet file (zstd)."""
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def render(table: pa.Table, fmt: str) -> bytes:
    """The result in ``fmt`` (csv, json or parquet) as bytes."""
    if fmt == "csv":
        return to_csv(table).encode("utf-8")
    if fmt == "json":
        return to_json_lines(table).encode("utf-8")
    if fmt == "parquet":
        return to_parquet_bytes(table)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def choose_format(fmt: str | None, output: Path | None) -> str:
    """The output format: ``fmt`` if given, else from ``output``'s suffix, else ``table``."""
    if fmt:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        return fmt
    if output is None:
        return "table"
    by_suffix = {".csv": "csv", ".json": "json", ".jsonl": "json", ".ndjson": "json", ".parquet": "parquet"}
    if output.suffix.lower() not in by_suffix:
        raise ValueError(f"{output}: cannot tell the format from the name; give --format csv|json|parquet")
    return by_suffix[output.suffix.lower()]


def check_output_path(output: Path, out: str | Path) -> None:
    """Refuse to write a result file inside the output folder being queried (it stays read-only)."""
    data = Path(out).resolve()
    target = output.resolve()
    if target == data or data in target.parents:
        raise ReadOnlyError(f"refused: {output} is inside the output folder {out}, which `notices query` only reads")
