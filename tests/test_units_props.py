"""Property tests of the unit extractor: on any string the inner parser never raises,
every mention lies inside the text with ``name == text[char_start:char_end]`` (less the line
breaks a wrapped line put inside the name), roles
are from the closed set, mentions come in text order and do not overlap; canonicalize
keeps the mentions and their order."""
from __future__ import annotations

from hypothesis import example, given, strategies as st

from pipeline.extract import units as units_mod
from pipeline.extract.units import ROLES, canonicalize, parse_units

PIECES = ["区总工会", "各街镇总工会", "各", "相关", "直属", "工会", "委", "局", "、", "，", "。", "；", "（", "）",
          "(", ")", "“", "”", "《", "》", "请", "由", "与", "和", "会同", "联合", "配合", "报送至", "向", "申报",
          "根据", "按照", "通知要求", "等", "单位", "部门", "20家", "组建", "职工", "孙时进", "主任", "宣传教育部",
          "办公室", "區總工會", "會同", "（以下简称“市总”）", "市总", "镇(街道)", "X", " ", "\n", "银企", "经",
          "研究决定", "被评为", "1", "第", "条"]
texts = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(PIECES), max_size=50).map("".join))


@given(texts)
@example("工会(\n总工会)")   # a bracket after a name, cut by a line break: no name holds the break
def test_parse_units_properties(text):
    got = units_mod._parse(text)  # the inner function: a bug raises here instead of being swallowed
    assert got == parse_units(text)
    last_end = 0
    for u in got:
        assert 0 <= u.char_start < u.char_end <= len(text)
        assert text[u.char_start:u.char_end].replace("\n", "") == u.name
        assert u.role in ROLES
        assert u.canonical
        assert u.char_start >= last_end
        last_end = u.char_end


@given(texts, texts)
def test_canonicalize_properties(text, document):
    mentions = units_mod._parse(text)
    out = canonicalize(mentions, document + text)
    assert [(u.name, u.role, u.char_start, u.char_end) for u in out] == \
        [(u.name, u.role, u.char_start, u.char_end) for u in mentions]
    assert all(u.canonical for u in out)


def test_non_strings_and_empty_yield_nothing():
    assert parse_units("") == []
    assert parse_units(None) == []  # type: ignore[arg-type]
