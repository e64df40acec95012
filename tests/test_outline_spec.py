"""Outline spec corpora (tests/specs/outline.jsonl, outline_articles.jsonl) and the real notices against gold."""
from __future__ import annotations

import json

import pytest

from pipeline.clean import clean
from pipeline.structure.outline import parse_outline
from tests.conftest import GOLD_DIR, RAW_DIR, gold_params, spec_cases, spec_params

CASES = spec_cases("outline.jsonl", "outline_articles.jsonl")


@pytest.mark.parametrize("case", spec_params(CASES))
def test_outline_spec(case):
    text = clean(case["input"]).text
    out = parse_outline(text)
    got = [{"path": list(t.path), "section": t.section, "title": t.title} for t in out.tasks]
    assert got == case["expected"]
    if "last_text_ends" in case:   # where the last task's text ends (signature and contact lines are not in it)
        last = out.tasks[-1]
        assert text[last.char_start:last.char_end].endswith(case["last_text_ends"])


@pytest.mark.parametrize("gold_file", gold_params())
def test_real_notices_match_gold_outline(gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    text = clean((RAW_DIR / gold["file"]).read_text(encoding="utf-8")).text
    tasks = parse_outline(text).tasks
    assert [list(t.path) for t in tasks] == [t["path"] for t in gold["tasks"]]
    for t, g in zip(tasks, gold["tasks"]):
        assert t.section == g["section"]
        assert t.title == g["title"]
        # text_start is normalised like titles (2020 年 -> 2020年): compare without blanks
        assert "".join(text[t.char_start:t.char_end].split()).startswith("".join(g["text_start"].split()))


def test_task_text_ends_before_the_signature():
    gold = "001_6bd54b02e90ae4ce.txt"
    text = clean((RAW_DIR / gold).read_text(encoding="utf-8")).text
    last = parse_outline(text).tasks[-1]
    assert text[last.char_start:last.char_end].endswith("年鉴等各项工作。")


def test_outline_corpus_size_and_names():
    assert len(CASES) >= 100
    assert len({c["name"] for c in CASES}) == len(CASES)
