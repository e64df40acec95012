"""Metadata spec cases of web copies (tests/specs/metadata_web.jsonl): recipients wrapped over
many lines up to their closing colon, a site's info box
(索引号 / 发布机构 / 发文字号 / 成文日期 / 名称), the number under a page title after
source and font lines, negatives that must give null. Same case format as the metadata
spec corpus: each case names only the fields it pins; the text goes through clean and
outline as in the pipeline."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline.clean import clean
from pipeline.structure.metadata import parse_metadata
from pipeline.structure.outline import parse_outline
from tests.conftest import SPECS_DIR

CASES = [json.loads(line) for line in (SPECS_DIR / "metadata_web.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["xfail"])] if c.get("xfail") else []
        yield pytest.param(c, id=c["name"], marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_metadata_web_spec(case):
    text = clean(case["input"]).text
    out = parse_outline(text)
    first = out.tasks[0].label_start if out.has_structure and out.tasks else None
    meta = parse_metadata(text, first)
    got = {}
    for field in case["expected"]:
        v = getattr(meta, field)
        got[field] = v.isoformat() if isinstance(v, dt.date) else v
    assert got == case["expected"]
