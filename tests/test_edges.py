"""text/edges.py: the first and last characters a rule's pattern can match, read from
the pattern; a line whose first or last character is outside them never matches."""
import re
from pathlib import Path

import pytest

from pipeline.structure import metadata, outline, period
from pipeline.text import edges
from pipeline.text.edges import either, first_class, last_class, lines_with

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("pattern, starts, not_starts", [
    (r"^附\s*件", "附", "件 a"),
    (r"(?:ab|c)d", "ac", "bd"),
    (r"a?b", "ab", "c"),
    (r"(?:x{0,2}|y)z", "xyz", "w"),
    (r"(?=q)\d+", "05٣", "q"),            # a lookahead consumes nothing; \d is Unicode
    (r"[a-c\s]", "ab c\u3000", "d"),
    (r"(?>ab)", "a", "b"),
])
def test_first_class(pattern, starts, not_starts):
    cls = first_class(re.compile(pattern))
    assert all(cls.match(ch) for ch in starts)
    assert not any(cls.match(ch) for ch in not_starts)


@pytest.mark.parametrize("pattern", [r".a", r"a*", r"[^a]b", r"(?i)a", r"(a)?\1", r"(?:a|)b?"])
def test_first_class_unknown(pattern):
    assert first_class(re.compile(pattern)) is None


def test_last_class_needs_an_end_anchor():
    assert last_class(re.compile(r"^a\d")) is None          # may end anywhere
    assert last_class(re.compile(r"^.*$")) is None          # any character
    cls = last_class(re.compile(r"^a(?:b|c\s*)$"))
    assert [ch for ch in "abc \n\u3000d" if cls.match(ch)] == list("bc \n\u3000")
    cls = last_class(re.compile(r"(?:a$|b\Z)"))
    assert [ch for ch in "abc\n" if cls.match(ch)] == ["a", "b", "\n"]


def test_either_and_lines_with():
    a, b = first_class(re.compile("a")), first_class(re.compile("b"))
    assert either(a, None) is None
    both = either(a, b)
    assert lines_with(["ax", "bz", "cx", "ay"], both, last_class(re.compile(r"^.?x$"))) == [0]
    assert lines_with(["ax", "bz"]) == [0, 1]
    assert lines_with(["Ａx", "bz"], a, view_of=lambda s: s.replace("Ａ", "a")) == [0]


def _lines():
    """Lines of every raw notice and spec corpus (and made-up variants)."""
    out = set()
    for path in list((ROOT / "data" / "raw").glob("*.txt")) + list((ROOT / "tests" / "specs").glob("*.jsonl")):
        for ln in path.read_text(encoding="utf-8").splitlines():
            ln = ln.strip()
            if ln:
                out.add(ln)
                out.add(ln[:12])
                out.add(f"（{ln[:20]}）")
    out.update(["2021年9月30日", "二○二一年五月十七日", "中华民国112年1月5日", "2021-09-30 ", "（2020年9月29日）",
                "2021 年 9 月 30 日", "附件", "附 件 2", "目 录", "附件：1.报名表"])
    return sorted(out)


def test_the_rules_classes_never_skip_a_line_they_match():
    """Every line a structure rule matches starts (ends) with a character of its class."""
    rules = [period._rules()[0]["date_line"], period._rules()[0]["iso_line"], *outline._furniture(), *outline._annexes()]
    lines = _lines()
    for rx in rules:
        first, last = first_class(rx), last_class(rx)
        for ln in lines:
            if rx.match(ln):
                assert first is None or first.match(ln[0]), (rx.pattern, ln)
                assert last is None or last.match(ln[-1]), (rx.pattern, ln)


def test_maybe_dates_keeps_every_date_line():
    lines = list(enumerate(_lines()))
    kept = set(metadata._maybe_dates(lines))
    dates = {k for k, ln in lines if metadata._date_of(ln)}
    assert dates and dates <= kept and len(kept) < len(lines) / 2


@pytest.mark.parametrize("pattern, chars", [
    (r"(?P<org>\w{0,12})\s*(?:19|20)\d{2}\s*\d{1,4}\s*号", "号"),
    (r"a(?:bc|cb)+d?", "abc"),
    (r"x*y{0,2}[z]", "z"),
    (r"(?i)a", ""),
])
def test_required_chars(pattern, chars):
    assert edges.required_chars(re.compile(pattern)) == chars


def test_the_rules_required_chars_never_skip_a_line_they_match():
    needs = metadata._needs()
    c = metadata._cfg()
    lines = _lines() + ["发改能源规〔2020〕816号", "国能发安全〔2021〕 12 号", "关于…的通知（发改能源规〔2020〕816号）",
                        "2021年9月30日印发", "二〇二一年 9 月 30 日"]
    for name, chars in needs.items():
        for ln in lines:
            if c[name].search(ln):
                assert edges.holds_all(ln, chars), (name, ln)


def test_first_chars():
    assert edges.first_chars(re.compile(r"(?:自|从)\s*\d")) == "从自"
    assert edges.first_chars(re.compile(r"[a-c]x")) is None      # a range
    assert edges.first_chars(re.compile(r"\dx")) is None


@pytest.mark.parametrize("pattern", [r"(?:自|从)\s*(?P<a>\d{4}年)(?:起)?", r"(?m)(?:自|从)\d+(?=\s*$)", r"aa?", r"a+b?"])
def test_finditer_from_finds_what_finditer_finds(pattern):
    rx = re.compile(pattern)
    texts = ["自2021年起从2022年", "从自2021年2023年自", "自\n2021年", "aaaab aab", "a", "", "x自12\n从3 \n自4x"]
    for text in texts:
        expected = [(m.span(), m.groups()) for m in rx.finditer(text)]
        assert [(m.span(), m.groups()) for m in edges.finditer_from(rx, text, edges.first_chars(rx))] == expected


def test_the_period_clauses_are_found_as_before():
    c = period._plan_cfg()
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "data" / "raw").glob("*.txt")]
    texts += ["本办法自2023年6月1日起施行，有效期三年。", "自2012年2月1日至2015年1月31日止施行。从2024年7月1日起执行。自 2024 年 1 月 1 日起试行"]
    hits = 0
    for name, firsts in period._firsts().items():
        assert firsts
        for text in texts:
            expected = [m.span() for m in c[name].finditer(text)]
            hits += len(expected)
            assert [m.span() for m in edges.finditer_from(c[name], text, firsts)] == expected
    assert hits >= 3


def test_info_box_label_starts_keep_every_label_line():
    from pipeline.structure import infobox
    starts = infobox._label_starts()
    for line in ["发布机构：天津市工业和信息化局", "【发文字号】津工信电力〔2022〕37号", "[成文日期]2022-05-01", "名 称：关于…的通知",
                 "标题:关于…的通知", "文号：", "\u3000发布机构：X"]:
        view = infobox._BLANKS.sub("", line)
        assert any(rx.match(view) for _, rx in infobox._labels()), line
        assert starts.match(line[0]), line
