"""Property tests: the cleaner, the outline and the metadata parser never raise on
arbitrary text, finish, and every offset they return lies inside the text."""
from __future__ import annotations

from hypothesis import given, strategies as st

from pipeline.clean import clean
from pipeline.ingest.text import decode
from pipeline.ingest import NoticeError
from pipeline.structure.metadata import parse_metadata
from pipeline.structure.outline import parse_outline

PIECES = ["一、", "（一）", "(二)", "1、", "2．", "3.", "第一章 ", "第二条 ", "①", "\n", "\n\n", "。", "，", "：",
          "**", "[bookmark: _GoBack]", "联系人：", "附件：", "2021年9月30日", "二○二一年五月十七日", "总工会",
          "关于印发《", "》的通知", "www.example.com", "　", " ", "- 3 -", "各街镇总工会要于10月15日前完成",
          "约 25000 个", "X月X日", "\r\n", "\u2028", "《", "“", "）"]
notice_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=80).map("".join)
any_text = st.one_of(st.text(max_size=400), notice_like)


@given(any_text)
def test_clean_never_raises_and_maps_back(raw):
    ct = clean(raw)
    assert len(ct.raw_offsets) == len(ct.text)
    for i, ch in enumerate(ct.text):
        assert 0 <= ct.raw_offsets[i] <= len(raw)
        if ch != "\n":
            assert raw[ct.raw_offsets[i]] == ch


@given(any_text)
def test_outline_offsets_lie_inside_the_text(raw):
    text = clean(raw).text
    out = parse_outline(text)
    for t in out.tasks:
        assert 0 <= t.char_start <= t.char_end <= len(text)
    if text.strip():
        assert out.tasks  # every non-empty text has at least one task


@given(any_text)
def test_metadata_never_raises(raw):
    text = clean(raw).text
    out = parse_outline(text)
    meta = parse_metadata(text, out.tasks[0].label_start if out.has_structure else None)
    if meta.period_start and meta.period_end:
        assert meta.period_start <= meta.period_end


@given(st.binary(max_size=2000))
def test_decode_returns_text_or_a_notice_error(data):
    try:
        text, enc = decode(data, "f")
        assert isinstance(text, str)
    except NoticeError as exc:
        assert exc.code in {"binary", "undecodable"}


def test_deep_and_long_numbering_is_linear_enough():
    text = "\n".join(f"{i}、做好第{i}项工作。" for i in range(1, 1000))
    out = parse_outline(clean(text).text)
    assert len(out.tasks) == 999
    nested = "\n".join(["一、甲", "（一）乙", "1、丙", "（1）丁", "①戊"] * 400)
    out = parse_outline(clean(nested).text)
    assert all(len(t.path) == 4 for t in out.tasks) and len(out.tasks) == 400
