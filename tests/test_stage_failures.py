"""No silent failure: a bug inside one extractor costs that stage's rows of the task, is a
warning row naming the stage and the task, and the task keeps every other stage's rows.
A MemoryError is not a stage failure: the file fails as ``memory`` (the worker's bound)."""
from __future__ import annotations

import pytest

import pipeline.extract.dates as dates_mod
import pipeline.extract.targets as targets_mod
import pipeline.extract.units as units_mod
import pipeline.extract.units_canonical as canonical_mod
import pipeline.process as process_mod
from pipeline.config import Limits
from pipeline.process import process_bytes
from pipeline.runner import _work, run
from pipeline.store import Store
from tests.conftest import SAMPLE_FILES
from tests.test_tables import NOTICE, ROWS

SAMPLE = SAMPLE_FILES[0]
TABLE_NOTICE = (NOTICE + "\n".join("\t".join(r) for r in ROWS) + "\n").encode("utf-8")

# stage -> (module, the inner function a bug is planted in, the table whose rows it costs)
STAGES = {
    "units": (units_mod, "_with_labels", "units"),
    "dates": (dates_mod, "_parse", "dates"),
    "targets": (targets_mod, "_parse", "targets"),
}


def _boom(*args, **kwargs):
    raise RuntimeError("planted bug\nsecond line")


def _rows(res, table):
    return [r.model_dump(exclude={"processed_at"}) for r in res.rows[table]]


@pytest.mark.parametrize("data", [SAMPLE.read_bytes(), TABLE_NOTICE], ids=["items", "table-rows"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_failing_extractor_is_a_warning_and_the_other_stages_keep_their_rows(stage, data, monkeypatch):
    clean_run = process_bytes(data, "notice.txt")
    module, name, lost = STAGES[stage]
    assert clean_run.ok and clean_run.rows[lost], "the stage finds rows when it works"
    monkeypatch.setattr(module, name, _boom)
    res = process_bytes(data, "notice.txt")

    assert res.ok
    assert not res.rows[lost]
    for table in ("documents", "tasks", "units", "dates", "targets"):
        if table != lost:
            assert _rows(res, table) == _rows(clean_run, table), table
    failed = [e for e in res.rows["errors"] if e.error == "extractor_failed"]
    tasks = res.rows["tasks"]
    # one warning per task, each naming the stage, the task and what was raised, on one line
    assert len(failed) == len(tasks)
    for err, task in zip(failed, tasks):
        assert err.level == "warning"
        assert f"the {stage} stage failed" in err.message and task.task_id in err.message
        assert "RuntimeError: planted bug second line" in err.message and "\n" not in err.message
    assert [e for e in res.rows["errors"] if e.error != "extractor_failed"] == \
        [e for e in clean_run.rows["errors"]]


def test_failing_canonical_names_keep_the_names_as_written(monkeypatch):
    data = SAMPLE.read_bytes()
    clean_run = process_bytes(data, "notice.txt")
    monkeypatch.setattr(canonical_mod, "document_aliases", _boom)
    monkeypatch.setattr(canonical_mod, "_abbreviations", lambda: ())
    res = process_bytes(data, "notice.txt")
    assert [(u.name, u.role, u.char_start) for u in res.rows["units"]] == \
        [(u.name, u.role, u.char_start) for u in clean_run.rows["units"]]
    assert all(u.canonical in (None, u.name) for u in res.rows["units"])
    assert any(u.canonical != u.name for u in clean_run.rows["units"]), "the sample has canonical names"
    assert {e.error for e in res.rows["errors"]} == {"extractor_failed"}
    assert all("the canonical stage failed" in e.message for e in res.rows["errors"])
    assert _rows(res, "dates") == _rows(clean_run, "dates") and _rows(res, "targets") == _rows(clean_run, "targets")


def test_a_run_counts_stage_failures_as_warnings_and_commits_the_rest(tmp_path, monkeypatch):
    monkeypatch.setattr(dates_mod, "_parse", _boom)  # the workers are forked: they have the bug too
    summary = run([SAMPLE], tmp_path / "out", workers=1)
    assert summary.documents == 1 and summary.errors == 0 and summary.dates == 0
    assert summary.warnings == summary.tasks > 0 and summary.units > 0 and summary.targets > 0
    errors = Store(tmp_path / "out").read_table("errors").to_pylist()
    assert {(e["error"], e["level"]) for e in errors} == {("extractor_failed", "warning")}


def test_memory_error_in_an_extractor_fails_the_file_as_memory(monkeypatch):
    def hungry(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(targets_mod, "_parse", hungry)
    res, digest = _work(str(SAMPLE), Limits())
    assert not res.ok and digest is None          # retried by the next run
    assert [(e.error, e.level) for e in res.rows["errors"]] == [("memory", "error")]


# the declared list of stages (process.STAGES) is what runs

def test_the_stages_run_are_the_declared_list(monkeypatch):
    data = SAMPLE.read_bytes()
    clean_run = process_bytes(data, "notice.txt")
    probe = process_mod.Stage("probe", ("body", "units"), "probe", _boom)
    without_targets = tuple(s for s in process_mod.STAGES if s.name != "targets")
    monkeypatch.setattr(process_mod, "STAGES", without_targets[:2] + (probe,) + without_targets[2:])
    res = process_bytes(data, "notice.txt")
    assert res.ok and clean_run.rows["targets"] and not res.rows["targets"]     # not in the list: not run
    for table in ("documents", "tasks", "units", "dates"):
        assert _rows(res, table) == _rows(clean_run, table), table
    failed = [e for e in res.rows["errors"] if e.error == "extractor_failed"]
    assert len(failed) == len(res.rows["tasks"])
    assert all(f"the probe stage failed on task {t.task_id}" in e.message
               for e, t in zip(failed, res.rows["tasks"]))


@pytest.mark.parametrize("data", [SAMPLE.read_bytes(), TABLE_NOTICE], ids=["items", "table-rows"])
def test_a_failing_stage_is_named_as_the_list_names_it(data, monkeypatch):
    stages = tuple(process_mod.Stage("when", s.requires, s.assigns, _boom) if s.name == "dates" else s
                   for s in process_mod.STAGES)
    monkeypatch.setattr(process_mod, "STAGES", stages)
    res = process_bytes(data, "notice.txt")
    assert res.ok and not res.rows["dates"] and res.rows["units"] and res.rows["targets"]
    assert {e.message.split(" stage failed")[0].rsplit(" ", 1)[1] for e in res.rows["errors"]} == {"when"}


def test_every_stage_requires_only_task_inputs_or_what_an_earlier_stage_assigns():
    known = set(process_mod.TASK_INPUTS)
    for stage in process_mod.STAGES:
        assert set(stage.requires) <= known, stage.name
        known.add(stage.assigns)
    assert set(process_mod.EMITTED) <= known


@pytest.mark.parametrize("bad", [{"role": "boss"}, {"char_start": 1.5}, {"name": None}],
                         ids=["role-not-in-the-set", "offset-not-an-int", "name-not-a-string"])
def test_a_row_of_the_wrong_type_from_our_own_code_is_not_written(bad, monkeypatch):
    """Rows are validated when they are made: a stage returning a value of the wrong type
    costs that table's rows of the task and is a warning naming the stage, never a row."""
    from types import SimpleNamespace

    def wrong(task):
        return [SimpleNamespace(**{"name": "区总工会", "canonical": None, "role": "lead",
                                   "char_start": 0, "char_end": 4, **bad})]

    stages = tuple(process_mod.Stage(s.name, s.requires, s.assigns, wrong) if s.name == "units" else s
                   for s in process_mod.STAGES if s.name != "canonical")
    monkeypatch.setattr(process_mod, "STAGES", stages)
    res = process_bytes(SAMPLE.read_bytes(), "notice.txt")
    assert res.ok and len(res.rows["units"]) == 0 and len(res.rows["dates"]) and len(res.rows["targets"])
    failed = [e for e in res.rows["errors"] if e.error == "extractor_failed"]
    assert len(failed) == len(res.rows["tasks"])
    assert all("the units stage failed" in e.message and "ValidationError" in e.message for e in failed)
