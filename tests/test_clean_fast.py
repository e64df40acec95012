"""clean's quick paths answer as the plain rules they stand for (the rules as written in
models/clean/debris.yaml, asked of every line)."""
from __future__ import annotations

import re

from hypothesis import given, strategies as st

from pipeline.clean import _rules, wrap
from pipeline.clean.firsts import FirstCharBranches, starts_of
from pipeline.clean.lines import date_break, join_rules
from pipeline.lexicon import load_yaml
from tests.conftest import SAMPLE_FILES

_DEBRIS_LINES = load_yaml("clean/debris.yaml")["lines"] + load_yaml("text/page_numbers.yaml")["anywhere"]
_PLAIN_DEBRIS = re.compile("|".join(f"(?:{p})" for p in _DEBRIS_LINES))
_SAMPLE_LINES = [line.strip() for p in SAMPLE_FILES for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
_LINE_PIECES = ["首页", "当前位置", "：", ">", "【", "打印", "关闭", "】", " ", "\u3000", "字号", "大", "分享到",
                "来源", "版权所有", "京ICP备", "公网安备", "网站标识码", "主办", "地址", "邮编", "100000", "扫一扫",
                "—", "-", "一", "3", "１２", "/", "第", "页", "共", "Page", "of", "通知", "。", "\t", "x"]


@given(st.lists(st.sampled_from(_LINE_PIECES), min_size=1, max_size=8).map("".join))
def test_debris_lines_by_first_character_equal_the_whole_alternation(line):
    assert _rules()[2].match(line) == (_PLAIN_DEBRIS.match(line) is not None)


def test_debris_lines_by_first_character_on_the_samples():
    rule = _rules()[2]
    assert [rule.match(t) for t in _SAMPLE_LINES] == [_PLAIN_DEBRIS.match(t) is not None for t in _SAMPLE_LINES]
    assert any(rule.match(t) for t in ["首页 > 通知公告", "- 3 -", "第3页 共9页", "京ICP备12345678号"])


def test_first_characters_read_from_a_pattern():
    can = starts_of(r"^(?:【?\s*(?:打印|关闭))+$")
    assert can("【") and can("打") and can("关") and can(" ") and not can("首")
    assert starts_of(r"^\d{1,3}\s*-$")("３") and not starts_of(r"^\d{1,3}\s*-$")("a")
    assert starts_of(r"^.{0,30}ICP备") is None          # any character: tried on every line
    assert starts_of(r"^(?:共)?") is None                # a match may be empty
    assert starts_of(r"(?i)page") is None
    branches = FirstCharBranches([r"^首页.*$", r"^.{0,3}ICP备.*$"])
    assert branches.match("首页") and branches.match("京ICP备1号") and not branches.match("通知")


@given(st.text(alphabet="2021年月日号〔〕﹝﹞[]12发文。，a \u4e00", min_size=1, max_size=10),
       st.text(alphabet="2021年月日号〔〕﹝﹞[]12发文。，a \u4e00", min_size=1, max_size=3))
def test_date_break_of_the_two_characters_equals_the_pattern_across_the_break(prev, nxt):
    """debris.yaml's date_fragment is read at the break: the character before it and the one after."""
    window = prev[-8:] + "\n" + nxt[:2]
    assert date_break(prev[-1], nxt[0]) == (join_rules()[0].search(window) is not None)


@given(st.lists(st.integers(1, 40).map(lambda n: "做" * n), min_size=12, max_size=40))
def test_texts_too_short_for_a_band_reach_none(lines):
    if not wrap._long_enough(lines):
        assert wrap.band_of(lines, wrap.widths(lines)) is None


@given(st.lists(st.sampled_from(["www.", "(", "http", "**", "公", "网", "I", "做", "\n", "\r\n", "\r", "\u2028", " "]),
                max_size=20).map("".join))
def test_lines_holding_a_need_equal_searching_each_line(raw):
    from pipeline.clean import _holding, _rules_held, _split_lines
    split = _split_lines(raw)
    inline, anywhere = _rules_held()
    needs = [e["needs"] for e in load_yaml("clean/debris.yaml")["inline"] if isinstance(e, dict)]
    assert _holding(inline, raw, split) == [any(n in text for n in needs) for _, _, text in split]
    chars = _rules()[2].anywhere_needs
    assert _holding(anywhere, raw, split) == [any(c in text for c in chars) for _, _, text in split]
