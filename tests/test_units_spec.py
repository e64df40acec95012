"""The unit spec corpus (tests/specs/units.jsonl), one parametrised runner: names, roles
and offsets exactly; sentences without any unit must yield nothing."""
from __future__ import annotations

import json

import pytest

from pipeline import canonicalize, parse_units
from pipeline.extract.units_lexicon import lexicon
from tests.conftest import SPECS_DIR

CASES = [json.loads(line) for line in (SPECS_DIR / "units.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _params():
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["xfail"])] if c.get("xfail") else []
        out.append(pytest.param(c, id=c["input"][:24], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_unit_spec(case):
    got = [{"name": u.name, "role": u.role, "char_start": u.char_start, "char_end": u.char_end}
           for u in parse_units(case["input"])]
    assert got == case["expected"]


def test_spec_corpus_is_large_enough():
    assert len(CASES) >= 350
    assert sum(1 for c in CASES if not c["expected"]) >= 100
    assert sum(1 for c in CASES if c.get("xfail")) <= 10
    # every role trigger of roles.yaml is exercised by some case
    roles = {u["role"] for c in CASES for u in c["expected"]}
    assert roles == {"lead", "partner", "report_to", "issuer_of_rule"}


def test_canonical_resolves_abbreviations_within_the_document():
    doc = "根据市总工作安排……请各相关直属工会于10月12日前报送至区总工会。区总负责汇总。"
    units = canonicalize(parse_units("根据市总工作安排和通知要求，区总负责汇总"), doc)
    assert {(u.name, u.canonical) for u in units} == {("市总", "市总工会"), ("区总", "区总工会")}


def test_canonical_uses_the_documents_own_definitions():
    doc = "上海市总工会（以下简称“市总”）将组织检查。请各区于月底前报市总。"
    units = canonicalize(parse_units("请各区总工会于月底前报市总"), doc)
    assert [(u.name, u.canonical) for u in units] == [("各区总工会", "各区总工会"), ("市总", "上海市总工会")]


def test_canonical_completes_a_department_listed_after_its_organisation():
    units = canonicalize(parse_units("区总工会办公室、宣传教育部负责收集整理"), "")
    assert [(u.name, u.canonical) for u in units] == [
        ("区总工会办公室", "区总工会办公室"), ("宣传教育部", "区总工会宣传教育部")]


def test_canonical_of_traditional_abbreviation():
    units = canonicalize(parse_units("根據區總工作安排"), "")
    assert [(u.name, u.canonical) for u in units] == [("區總", "区总工会")]


def test_lexicon_loads_and_heads_match_longest_first():
    lex = lexicon()
    assert lex.heads.index("总工会") < lex.heads.index("工会")
    assert "银企" in lex.fixed_names
