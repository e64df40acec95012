"""Accuracy floors (`make eval`): accuracy cannot silently fall.

Two reports: the five sample notices alone (which must not carry the average) and all
fifteen annotated notices (the samples and ten from other issuers). Floors sit at the
figures measured when they were set, minus a small margin; raise them as work lands."""
from __future__ import annotations

import shutil

import pytest

from pipeline.evaluate import evaluate
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import GOLD_DIR, RAW_DIR, SAMPLE_FILES


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval")
    run([RAW_DIR], out, workers=1, err=open("/dev/null", "w"))
    return out


@pytest.fixture(scope="module")
def report(outputs):
    return evaluate(GOLD_DIR, Store(outputs))


@pytest.fixture(scope="module")
def samples(outputs, tmp_path_factory):
    gold = tmp_path_factory.mktemp("gold")
    for path in SAMPLE_FILES:
        shutil.copy(GOLD_DIR / f"{path.stem}.json", gold)
    return evaluate(gold, Store(outputs))


def test_samples(samples):
    assert samples["tasks"]["f1"] >= 0.99
    assert samples["metadata"]["all"]["accuracy"] >= 0.99
    assert samples["tasks"]["title_accuracy"]["accuracy"] >= 0.99
    assert samples["dates"]["f1"] >= 0.99
    assert samples["targets"]["f1"] >= 0.99
    assert samples["targets"]["kind_accuracy"]["accuracy"] >= 0.98
    assert samples["units"]["f1"] >= 0.97
    assert samples["units"]["role_accuracy"]["accuracy"] >= 0.98


def test_tasks_and_metadata(report):
    assert report["tasks"]["f1"] >= 0.99
    assert report["metadata"]["all"]["accuracy"] >= 0.99
    assert min(a["accuracy"] for a in report["metadata"].values()) >= 0.99
    assert report["tasks"]["title_accuracy"]["accuracy"] >= 0.99
    assert report["tasks"]["section_accuracy"]["accuracy"] >= 0.99


def test_dates(report):
    assert report["dates"]["f1"] >= 0.98
    assert report["dates"]["with_kind"]["f1"] >= 0.98
    # issue 18: no notice below 0.85 on dates
    low = {name: r["dates"]["f1"] for name, r in report["per_notice"].items() if r["dates"]["f1"] < 0.85}
    assert not low


def test_targets(report):
    t = report["targets"]
    assert t["f1"] >= 0.99
    assert t["kind_target"]["f1"] >= 0.97
    assert t["kind_accuracy"]["accuracy"] >= 0.97
    assert t["comparator_accuracy"]["accuracy"] >= 0.99


def test_units(report):
    assert report["units"]["f1"] >= 0.965
    assert report["units"]["role_accuracy"]["accuracy"] >= 0.98


def test_units_of_every_notice(report):
    """No notice is left behind by the average (h03 was 0.67 and h05 0.00 before the merge
    of units and units2)."""
    low = {name: r["units"]["f1"] for name, r in report["per_notice"].items() if r["units"]["f1"] < 0.80}
    assert low == {}


# The held-out set (data/holdout: twelve notices annotated without looking at the output,
# used only to measure). Floors at the figures of 2026-12-03 (session 26) minus a small margin: a change
# that makes the rules carry worse to unseen notices fails here, even when the fifteen
# notices the rules were written on do not move.
HOLDOUT = RAW_DIR.parent / "holdout"


def _scored(folder, tmp_path_factory) -> dict:
    """The evaluation of a run over ``folder``/raw against ``folder``/gold."""
    out = tmp_path_factory.mktemp(folder.name)
    run([folder / "raw"], out, workers=1, err=open("/dev/null", "w"))
    return evaluate(folder / "gold", Store(out))


@pytest.fixture(scope="module")
def holdout(tmp_path_factory):
    return _scored(HOLDOUT, tmp_path_factory)


def test_holdout_floors(holdout):
    assert not holdout["documents_missing"]
    assert holdout["metadata"]["all"]["accuracy"] >= 0.96
    assert holdout["tasks"]["f1"] >= 0.99
    assert holdout["tasks"]["title_accuracy"]["accuracy"] >= 0.94
    assert holdout["units"]["f1"] >= 0.77
    assert holdout["units"]["role_accuracy"]["accuracy"] >= 0.96
    assert holdout["dates"]["f1"] >= 0.87
    assert holdout["targets"]["f1"] >= 0.92
    assert holdout["targets"]["kind_target"]["f1"] >= 0.77


# The development set (data/dev: eight notices annotated blind on 2026-12-03, session 29, for
# finding error classes). Floors at the figures at the end of session 29 minus a small margin
# (first use: metadata 0.736, tasks 0.935, titles 0.930, units 0.539, dates 0.727, quantities
# 0.892): they only rise as error classes found there are fixed in general rules.
DEV = RAW_DIR.parent / "dev"


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    return _scored(DEV, tmp_path_factory)


def test_dev_floors(dev):
    assert not dev["documents_missing"]
    assert dev["metadata"]["all"]["accuracy"] >= 0.82
    assert dev["tasks"]["f1"] >= 0.99
    assert dev["tasks"]["title_accuracy"]["accuracy"] >= 0.95
    assert dev["units"]["f1"] >= 0.72
    assert dev["units"]["role_accuracy"]["accuracy"] >= 0.98
    assert dev["dates"]["f1"] >= 0.87
    assert dev["targets"]["f1"] >= 0.88
