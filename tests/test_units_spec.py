"""The unit spec corpus (tests/specs/units.jsonl, units_audit.jsonl: the error classes an
audit of real notices found, and units_classes.jsonl: classes of organisations named by what
they are in a sector's rules, 电网企业, 经营主体, acting or not), one parametrised runner: names, roles
and offsets exactly; sentences without any unit must yield nothing."""
from __future__ import annotations


import pytest

from pipeline import canonicalize, parse_units
from pipeline.extract.units_lexicon import lexicon
from tests.conftest import spec_cases, spec_params

CASES = spec_cases("units.jsonl", "units_audit.jsonl", "units_classes.jsonl")


@pytest.mark.parametrize("case", spec_params(CASES, lambda c: c["input"][:24]))
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


# canonical, one test per rule (units_canonical's module doc)
def _canon(task: str, doc: str) -> list[tuple[str, str]]:
    return [(u.name, u.canonical) for u in canonicalize(parse_units(task), doc)]


def test_canonical_rule2_national_short_forms_are_the_same_in_every_document():
    for doc in ("", "嘉定区总工会关于做好送温暖工作的通知", "成都市人民政府办公厅"):
        assert _canon("根据全总部署，开展送温暖活动", doc) == [("全总", "中华全国总工会")]
        assert _canon("按照人社部要求，做好就业服务", doc) == [("人社部", "人力资源和社会保障部")]
        assert _canon("根据国家发改委通知要求", doc) == [("国家发改委", "国家发展和改革委员会")]


def test_canonical_rule3_department_short_forms_inside_a_name():
    assert _canon("区人社局负责资金保障", "") == [("区人社局", "区人力资源和社会保障局")]
    assert _canon("会同县住建局开展检查", "") == [("县住建局", "县住房和城乡建设局")]
    assert _canon("市府办负责牵头协调", "") == [("市府办", "市政府办公室")]
    # a full name stays as it is
    assert _canon("市政府办公室负责牵头协调", "") == [("市政府办公室", "市政府办公室")]


def test_canonical_rule4_level_names_take_the_documents_place():
    doc = "上海市总工会关于开展劳动竞赛的通知\n……请各区总工会于月底前报市总。"
    assert _canon("请各区总工会于月底前报市总", doc) == [("各区总工会", "各区总工会"), ("市总", "上海市总工会")]
    doc = "嘉定区总工会文件……区人力资源和社会保障局（嘉定区人力资源和社会保障局）"
    assert _canon("区总工会会同区人社局开展检查", doc) == [
        ("区总工会", "嘉定区总工会"), ("区人社局", "嘉定区人力资源和社会保障局")]


def test_canonical_rule4_two_places_of_one_level_leave_the_name_as_it_is():
    doc = "嘉定区总工会与青浦区总工会联合开展活动。区总工会负责组织。"
    assert _canon("区总工会负责组织", doc) == [("区总工会", "区总工会")]


def test_canonical_rule4_only_registry_places_count():
    doc = "职工区总工会……区总工会负责组织"   # 职工区 is no administrative division
    assert _canon("区总工会负责组织", doc) == [("区总工会", "区总工会")]


def test_place_registry_is_read_from_the_cpca_package():
    from pipeline.extract.units_places import place_ending, places
    assert {"上海市", "嘉定区", "新余市", "成都市", "新疆维吾尔自治区"} <= places()
    assert place_ending("关于上海市") == "上海市" and place_ending("职工") is None


def test_canonical_rule4_a_department_takes_the_place_of_its_organisation():
    doc = "嘉定区总工会文件\n……将审计整改情况表反馈给区总经审会。"
    assert _canon("将审计整改情况表反馈给区总经审会", doc) == [("区总经审会", "嘉定区总工会经审会")]
