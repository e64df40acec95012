"""The rows of the data tables are made as columns (``records.Columns``) and validated at
once (``records.validated_columns``): the same rows, of the same types, as one pydantic
model per row would be (the models ``Columns`` gives, validated one by one, change
nothing), and a value of the wrong type still raises."""
from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from typing import Optional

import pytest
from pydantic import ValidationError

from pipeline.process import process_bytes
from pipeline.records import (MENTIONS, NOT_A_COLUMN, OFFSETS, TABLES, Columns, mention_fields,
                              validated_columns)
from tests.conftest import RAW_DIR
from tests.test_stage_failures import TABLE_NOTICE

AT = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
INPUTS = {p.name: p.read_bytes() for p in sorted(RAW_DIR.iterdir()) if p.is_file()}
INPUTS["table.txt"] = TABLE_NOTICE


@pytest.mark.parametrize("name", INPUTS)
def test_columns_hold_the_rows_the_models_hold(name):
    res = process_bytes(INPUTS[name], name, AT)
    assert res.ok and len(res.rows["tasks"]) > 0
    for table in ("tasks", "units", "dates", "targets"):
        columns = res.rows[table]
        assert isinstance(columns, Columns)
        models = list(columns)                    # one model per row, each validated alone
        assert all(type(m) is TABLES[table] for m in models) and len(models) == len(columns)
        assert Columns.of(table, models).data == columns.data, table
        for column, values in columns.data.items():   # the types too (20 vs 20.0)
            assert list(map(type, values)) == list(map(type, Columns.of(table, models).data[column]))
        if models:
            assert columns[0] == models[0] and columns[-1] == models[-1] and columns[1:3] == models[1:3]
    assert [type(d) for d in res.rows["documents"]] == [TABLES["documents"]]


@pytest.mark.parametrize("table", MENTIONS)
def test_every_mention_field_is_a_column_of_its_table_of_the_same_type(table):
    """The mention an extractor returns is the table's row without ids and page: each of its
    fields is a column of the same type, but those marked not a column, which are none."""
    model, mention = TABLES[table], MENTIONS[table]
    hints = typing.get_type_hints(mention)
    for f in dataclasses.fields(mention):
        if f.metadata == NOT_A_COLUMN:
            assert f.name not in model.model_fields, f.name
            continue
        assert f.name in model.model_fields, f"{mention.__name__}.{f.name} is no column of {table}"
        assert hints[f.name] == model.model_fields[f.name].annotation, f"{mention.__name__}.{f.name}"
    assert set(mention_fields(table)) | set(OFFSETS) \
        == {f.name for f in dataclasses.fields(mention) if f.metadata != NOT_A_COLUMN}
    # the rest of the row: ids, page
    assert set(model.model_fields) - set(mention_fields(table)) - set(OFFSETS) == {"doc_id", "task_id", "page"}


def test_a_mention_field_of_another_type_than_its_column_is_seen():
    wrong = dataclasses.make_dataclass("WrongMention", [("name", str), ("role", str), ("char_start", int),
                                                        ("char_end", int), ("canonical", Optional[str])])
    assert typing.get_type_hints(wrong)["role"] != TABLES["units"].model_fields["role"].annotation


def _units(**change):
    data = {"doc_id": ["d"], "task_id": ["d-0000"], "name": ["区总工会"], "canonical": [None], "role": ["lead"],
            "char_start": [3], "char_end": [7], "page": [None]}
    return {**data, **change}


def test_validated_columns_convert_as_the_models_do():
    targets = validated_columns("targets", {
        "doc_id": ["d"], "task_id": ["d-0000"], "text": ["20家"], "value": [20], "value_max": [None],
        "unit": ["家"], "object": [None], "comparator": ["gte"], "kind": ["target"], "char_start": [0],
        "char_end": [3], "page": [2]})
    assert targets.column("value") == [20.0] and type(targets.column("value")[0]) is float
    assert validated_columns("units", _units()).column("name") == ["区总工会"]


@pytest.mark.parametrize("change", [{"role": ["boss"]}, {"char_start": [1.5]}, {"name": [None]},
                                    {"page": ["2x"]}, {"extra": [1]}],
                         ids=["role-not-in-the-set", "fractional-offset", "name-not-a-string",
                              "page-not-a-number", "unknown-column"])
def test_a_value_of_the_wrong_type_raises(change):
    with pytest.raises(ValidationError):
        validated_columns("units", _units(**change))


def test_a_missing_column_or_columns_of_different_lengths_raise():
    data = _units()
    del data["role"]
    with pytest.raises(ValidationError):
        validated_columns("units", data)
    with pytest.raises(ValueError):
        validated_columns("units", _units(name=["a", "b"]))


def test_rows_of_the_wrong_type_cost_their_task_s_rows_and_warn_where_the_task_failed(monkeypatch):
    """Some tasks' units are of the wrong type, some tasks' targets stage raises: the units
    of the other tasks are kept, and the warnings come in task order and, within a task, in
    stage order (as if each task's rows had been made at once, not at the document's end)."""
    from types import SimpleNamespace

    import pipeline.process as process_mod
    from tests.conftest import SAMPLE_FILES

    def units(task):
        found = process_mod._units(task)
        if len(task["body"]) % 2:    # about half the tasks
            found = found + [SimpleNamespace(name="X", canonical=None, role="boss", char_start=0, char_end=1)]
        return found

    def targets(task):
        if len(task["body"]) % 3 == 0:
            raise RuntimeError("planted")
        return process_mod._targets(task)

    swap = {"units": units, "targets": targets}
    stages = tuple(process_mod.Stage(s.name, s.requires, s.assigns, swap.get(s.name, s.fn))
                   for s in process_mod.STAGES)
    data = SAMPLE_FILES[0].read_bytes()
    clean_run = process_bytes(data, "n.txt", AT)
    monkeypatch.setattr(process_mod, "STAGES", stages)
    res = process_bytes(data, "n.txt", AT)
    tasks = list(res.rows["tasks"])
    # a task with a wrong unit: canonical names fail on it (the stage's warning), then its units rows
    expected = [f"the {stage} stage failed on task {t.task_id}" for t in tasks
                for stage, fails in (("canonical", len(t.text) % 2), ("units", len(t.text) % 2),
                                     ("targets", len(t.text) % 3 == 0)) if fails]
    got = [e.message for e in res.rows["errors"]]
    assert {"units", "targets"} <= {m.split("the ")[1].split(" ")[0] for m in expected}
    assert len(got) == len(expected) and all(want in m for want, m in zip(expected, got)), got
    assert all("ValidationError" in m for m in got if "units stage" in m)
    kept = {t.task_id for t in tasks if not len(t.text) % 2}
    assert list(res.rows["units"]) == [u for u in clean_run.rows["units"] if u.task_id in kept]
    assert len(res.rows["units"]) > 0 and len(kept) < len(tasks)


def _tasks(tokens):
    return {"doc_id": ["d"] * len(tokens), "task_id": [f"d-{i:04d}" for i in range(len(tokens))],
            "path": [["一"]] * len(tokens), "section": [None] * len(tokens), "title": [None] * len(tokens),
            "text": ["x"] * len(tokens), "char_start": [0] * len(tokens), "char_end": [1] * len(tokens),
            "page": [None] * len(tokens), "tokens": tokens}


def test_tokens_are_validated_as_carried_and_read_back_as_written():
    # joined by TOKEN_SEP; a token holding it travels as the list; no tokens as None
    tasks = validated_columns("tasks", _tasks([["区总工会", "负责"], ["a\x00b", "c"], []]))
    assert tasks.data["tokens"] == ["区总工会\x00负责", ["a\x00b", "c"], None]
    assert tasks.column("tokens") == [["区总工会", "负责"], ["a\x00b", "c"], []]
    assert [t.tokens for t in tasks] == [["区总工会", "负责"], ["a\x00b", "c"], []]


@pytest.mark.parametrize("tokens", [[["区总工会", 3]], [[b"bytes"]], ["not a list"]],
                         ids=["a-number", "bytes", "a-string-not-a-list"])
def test_tokens_of_the_wrong_type_raise(tokens):
    with pytest.raises((TypeError, ValidationError)):
        validated_columns("tasks", _tasks(tokens))
