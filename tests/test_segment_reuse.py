"""Reused tokens equal fresh segmentation: ``segment.part`` (a piece of a segmented text)
and ``segment.without`` (a text with line breaks removed) against ``segment.tokens``."""
from __future__ import annotations

from hypothesis import given, strategies as st

from pipeline import segment

# han words of the domain and common ones, letters, digits, the characters jieba joins into
# blocks (+#&._%-), marks, blanks (\r\n too), full-width forms, a rare CJK extension character
_ATOMS = ["总工会", "区总", "工会", "办公室", "电", "力调度", "机构", "可从", "关于", "开展", "劳动竞赛",
          "的", "通知", "人社厅", "和", "及", "等", "单位", "上海", "市", "2026", "年", "5", "%", "-",
          "A", "ab", "x.y", "#", "&", "_", "。", "，", "、", "；", "（", "）", "“", "”", "《", "》",
          "\n", "\r\n", "\r", " ", "\u3000", "\t", "１２", "ＡＢ", "\u3400", "\U00020000", "學", "勞動"]
texts = st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=60).map("".join)


@given(texts, st.data())
def test_part_equals_segmenting_the_part(text, data):
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    assert list(segment.part(segment.tokens(text), text, a, b)) == list(segment.tokens(text[a:b]))


@given(texts)
def test_part_at_marks_is_a_slice(text):
    # a cut after a mark (how pieces end) reuses the tokens: nothing is segmented again
    text = text + "。" + text
    a = len(text) // 2 + 1
    whole, expected = segment.tokens(text), list(segment.tokens(text[a:]))
    fresh, segment.tokens = segment.tokens, None
    try:
        got = segment.part(whole, text, a, len(text))
    finally:
        segment.tokens = fresh
    assert list(got) == expected


@given(texts, st.data())
def test_without_equals_segmenting_the_joined_text(text, data):
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text) - 1), max_size=6))))
    cuts = [c for c in cuts if text[c] == "\n"] if data.draw(st.booleans()) else cuts
    joined = "".join(ch for i, ch in enumerate(text) if i not in set(cuts))
    assert list(segment.without(segment.tokens(text), text, cuts)) == list(segment.tokens(joined))


def test_without_reuses_the_unchanged_blocks():
    text = "各区总工会办公室，电\n力调度机构可从。关于开展劳动竞赛的通知"
    cut = text.index("\n")
    seen = []
    fresh = segment.tokens
    segment.tokens = lambda t, pos=True: seen.append(t) or fresh(t, pos)
    try:
        got = segment.without(fresh(text), text, [cut])
    finally:
        segment.tokens = fresh
    assert seen == ["电力调度机构可从"]   # only the block the join made
    assert list(got) == list(segment.tokens(text.replace("\n", "")))
    assert "".join(got.words) == text.replace("\n", "")
