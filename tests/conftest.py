"""Shared test set-up: hypothesis profiles and paths to the shipped sample data.

``HYPOTHESIS_PROFILE=stress`` (``make stress``) runs many more examples than the
bounded default that ``make test`` and CI use.
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings

# the checked lexicons that a test run (and the commands it starts) keeps go to a folder of
# its own, not to the user's cache (pipeline/lexicon.py)
if "NOTICES_CACHE_DIR" not in os.environ:
    os.environ["NOTICES_CACHE_DIR"] = tempfile.mkdtemp(prefix="notices-test-cache-")
    atexit.register(shutil.rmtree, os.environ["NOTICES_CACHE_DIR"], True)

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
GOLD_DIR = ROOT / "data" / "gold"
SPECS_DIR = Path(__file__).resolve().parent / "specs"
# data/raw holds the five sample notices (000-004) and ten annotated notices from other
# issuers (h01-h10, from ../shared/corpus/raw). Tests that compare renderings or runs
# use the samples; accuracy tests read all fifteen.
SAMPLE_FILES = sorted(p for p in RAW_DIR.glob("*.txt") if p.name[:3].isdigit())
OTHER_FILES = sorted(p for p in RAW_DIR.glob("*.txt") if not p.name[:3].isdigit())


def spec_cases(*names: str) -> list[dict]:
    """The cases of the spec corpora ``names`` (files of tests/specs/, one JSON object a line)."""
    return [json.loads(line) for name in names
            for line in (SPECS_DIR / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def spec_params(cases: list[dict], id_of=lambda c: c["name"]):
    """Spec cases as pytest params with ``id_of(case)`` as id; a case with an ``xfail``
    reason is a strict xfail (a fix shows up as an XPASS)."""
    import pytest

    return [pytest.param(c, id=id_of(c), marks=[pytest.mark.xfail(strict=True, reason=c["xfail"])]
                         if c.get("xfail") else []) for c in cases]


def gold_params(known_failing: dict[str, str] = {}):  # noqa: B006 - read only
    """The gold files as pytest params (id = first three characters of the name); those in
    ``known_failing`` (id -> reason) are strict xfails, so a fix shows up as an XPASS."""
    import pytest

    out = []
    for path in sorted(GOLD_DIR.glob("*.json")):
        key = path.stem[:3]
        marks = [pytest.mark.xfail(strict=True, reason=known_failing[key])] if key in known_failing else []
        out.append(pytest.param(path, id=key, marks=marks))
    return out

settings.register_profile(
    "default", max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "stress", max_examples=3000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def committed_rows(out) -> dict[str, list[str]]:
    """Every committed row of every table of the output folder ``out``, without its
    processing time, as sorted reprs (for comparing two runs' outputs)."""
    from pipeline.records import TABLES
    from pipeline.store import Store

    snap = {}
    for table in TABLES:
        rows = Store(out).read_table(table).to_pylist()
        for r in rows:
            r.pop("processed_at", None)
            r.pop("at", None)
        snap[table] = sorted(map(repr, rows))
    return snap
