"""Accuracy floors on the sample notices (`make eval`): accuracy cannot silently fall.
Floors sit at the figures measured when they were set, minus a small margin."""
from __future__ import annotations

import pytest

from pipeline.evaluate import evaluate
from pipeline.runner import run
from pipeline.store import Store
from tests.conftest import GOLD_DIR, RAW_DIR


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("eval")
    run([RAW_DIR], out, workers=1)
    return evaluate(GOLD_DIR, Store(out))


def test_tasks_and_metadata(report):
    assert report["tasks"]["f1"] >= 0.97
    assert report["metadata"]["all"]["accuracy"] >= 0.95
    assert report["tasks"]["title_accuracy"]["accuracy"] >= 0.95


def test_dates(report):
    assert report["dates"]["f1"] >= 0.92
    assert report["dates"]["with_kind"]["f1"] >= 0.90


def test_targets(report):
    t = report["targets"]
    assert t["f1"] >= 0.97
    assert t["kind_target"]["f1"] >= 0.90
    assert t["kind_accuracy"]["accuracy"] >= 0.90
    assert t["comparator_accuracy"]["accuracy"] >= 0.95


def test_units(report):
    assert report["units"]["f1"] >= 0.90
    assert report["units"]["role_accuracy"]["accuracy"] >= 0.95
