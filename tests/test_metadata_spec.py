"""Metadata spec corpora: document heads and tails with the expected header elements
(tests/specs/metadata.jsonl), and web copies (metadata_web.jsonl: recipients wrapped over many
lines up to their closing colon, a site's info box 索引号 / 发布机构 / 发文字号 / 成文日期 / 名称,
the number under a page title after source and font lines). Negatives must give null, never a
guess. Each case names only the fields it pins; the text goes through clean and outline as in
the pipeline."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.clean import clean
from pipeline.structure.metadata import parse_metadata
from pipeline.structure.outline import parse_outline
from tests.conftest import spec_cases, spec_params

CASES = spec_cases("metadata.jsonl")
WEB_CASES = spec_cases("metadata_web.jsonl")


def test_corpus_size_and_names():
    assert len(CASES) >= 100
    assert len({c["name"] for c in CASES}) == len(CASES)
    assert sum(c["name"].startswith("negative:") for c in CASES) >= 10


@pytest.mark.parametrize("case", spec_params(CASES + WEB_CASES))
def test_metadata_spec(case):
    text = clean(case["input"]).text
    out = parse_outline(text)
    first = out.tasks[0].label_start if out.has_structure and out.tasks else None
    meta = parse_metadata(text, first)
    got = {}
    for field in case["expected"]:
        v = getattr(meta, field)
        got[field] = v.isoformat() if isinstance(v, dt.date) else v
    assert got == case["expected"]
