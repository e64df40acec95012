"""The fast paths give exactly what the plain code they replace gives.

Each speed-up of the hot path (benchmarks/throughput.py) is checked here against the
straightforward definition it replaces, on the sample notices, their traditional-script
variants and generated text: gated date patterns against ``finditer`` of every pattern,
the matching view against ``str.translate``, token offsets against a search,
suffix/prefix lookups against scans of the word set, clause bounds against ``rfind``.
The whole-output check is ``benchmarks/check_same_output.py``.
"""
from __future__ import annotations

import re

import zhconv
from hypothesis import given, strategies as st

from pipeline import lexicon as lexicon_module, segment
from pipeline.clean import clean
from pipeline.extract import target_kinds, targets, units_recognize
from pipeline.extract.dates_lex import lexicon as date_lexicon
from pipeline.scan import matches, needed_chars, starts
from pipeline.extract.units_lexicon import ends_with_any, lexicon as unit_lexicon, starts_with_any
from pipeline.extract.units_roles import _CLAUSE_MARKS, clause_bounds
from pipeline.lexicon import load_yaml
from pipeline.text import labels
from pipeline import textview
from pipeline.textview import _table, matching_view
from tests.conftest import RAW_DIR, ROOT, SAMPLE_FILES
from tests.test_dates_props import PIECES

SAMPLES = [clean(p.read_text(encoding="utf-8")).text for p in SAMPLE_FILES]
SAMPLES += [zhconv.convert(t, "zh-hant") for t in SAMPLES]
texts = st.one_of(st.text(max_size=120), st.lists(st.sampled_from(PIECES), max_size=40).map("".join))


def _plain_matches(view: str):
    return [(kind, m.span(), m.groupdict()) for kind, rx in date_lexicon().patterns.items()
            for m in rx.finditer(view)]


def _fast_matches(view: str):
    return [(kind, m.span(), m.groupdict()) for kind, m in date_lexicon().finditer(view)]


def test_date_patterns_are_gated():
    lex = date_lexicon()
    assert lex.gate is not None and {"ymd", "md", "mrange"} <= lex.gated and "holiday" not in lex.gated
    assert lex.gate_needs and set(lex.gate_needs) & set("2021年5月底") and not set(lex.gate_needs) & set("一是二〇二一")
    # the gated patterns in sets by what they need: a decimal (1.2) is not tried by those of 年/月
    assert len(lex.gated_sets) > 1 and sum(len(s.slots) for s in lex.gated_sets) == len(lex.gated)
    assert {"holiday", "rel", "now"} <= lex.worded and lex.openers.search("国庆") and not lex.openers.search("工会")


def test_needed_chars_read_from_the_pattern():
    assert needed_chars(r"(?P<y>\d{4})\s*年") == "年"
    assert needed_chars(r"\d+[./]\d+") == "./"
    assert needed_chars(r"3\.8|5·1") == "35"                            # the first of each alternative
    assert needed_chars(r"3\.8|5·1", re.compile(r"\d")) == ".·"          # … unless it is a lead character
    assert needed_chars(r"[a-c]{1,2}x?") == "abc"
    for nothing in (r"x?", r"\w+", r"[^x]", r"(?i)a", r"(?=a)", r"a|", r"[\u4e00-\u9fff]"):
        assert needed_chars(nothing) is None, nothing


@given(texts)
def test_every_gated_date_match_holds_a_needed_char(text):
    lex = date_lexicon()
    view = matching_view(text)
    for name in lex.gated:
        for m in lex.patterns[name].finditer(view):
            assert set(lex.gate_needs) & set(m.group()), (name, m.group())
    if not lex.openers.search(view):
        assert not any(lex.patterns[name].search(view) for name in lex.worded)


def test_gated_date_matches_equal_finditer_on_the_samples():
    for text in SAMPLES:
        view = matching_view(text)
        assert _fast_matches(view) == _plain_matches(view)
        for line in view.splitlines():
            assert _fast_matches(line) == _plain_matches(line)


@given(texts)
def test_gated_date_matches_equal_finditer(text):
    view = matching_view(text)
    assert _fast_matches(view) == _plain_matches(view)


_SOME_MAPPED = sorted(map(chr, _table()))
_MAPPED_PIECES = _SOME_MAPPED[:40] + _SOME_MAPPED[-40:] + ["工会", "2021", "\U00020000", "\U0002a6d6", "-", "]", "\\"]


@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_MAPPED_PIECES), max_size=12).map("".join)))
def test_mapped_character_search_equals_the_set_test(text):
    assert textview._has_mapped(text) == (not textview._mapped().isdisjoint(text))


def test_mapped_character_search_finds_every_mapped_character():
    assert any(ch > "\uffff" for ch in _SOME_MAPPED)     # both kinds are asked about
    for ch in _SOME_MAPPED:
        assert textview._has_mapped("工会" + ch + "通知")
    assert not textview._has_mapped("工会通知\U00020000")


@given(st.one_of(texts, st.sampled_from(SAMPLES)), st.integers(0, 200), st.integers(0, 200))
def test_matching_view_equals_translate_and_a_part_has_its_part_of_the_view(text, a, b):
    view = matching_view(text)
    assert view == text.translate(_table())
    assert (view is text) == (view == text)           # a text with nothing to map is its own view
    part, part_view = textview.part_and_view(text, view, a, b)
    assert part == text[a:b] and part_view == matching_view(part)
    assert part_view is part or view is not text


def test_the_stages_are_handed_the_views_and_ask_for_none_of_a_task_or_the_document():
    """``process`` computes the document's view once and hands each stage its part: no
    stage asks ``matching_view`` for the view of the document or of a task's text (the
    views of the few short strings a stage makes itself, a line, a name, are its own)."""
    import sys

    from pipeline.process import process_bytes

    asked: list[str] = []

    def counting(text):
        asked.append(text)
        return textview.matching_view(text)

    modules = [m for name, m in sys.modules.items() if name.startswith("pipeline.")
               and getattr(m, "matching_view", None) is textview.matching_view and m is not textview]
    assert len(modules) >= 8
    for path in SAMPLE_FILES[:2]:
        data = zhconv.convert(path.read_text(encoding="utf-8"), "zh-hant").encode("utf-8")
        process_bytes(data, path.name)                # warm: lexicons load (and ask) once
        asked.clear()
        saved = [(m, m.matching_view) for m in modules]
        try:
            for m in modules:
                m.matching_view = counting
            res = process_bytes(data, path.name)
        finally:
            for m, f in saved:
                m.matching_view = f
        text = res.rows["documents"][0].text
        bodies = set(res.rows["tasks"].column("text"))
        assert len(bodies) > 5 and matching_view(text) != text   # traditional script: views differ
        assert asked.count(text) == 1, "the document's view is computed once (by process)"
        assert not bodies & set(asked), "a stage computed a task's view again"


def test_token_offsets_equal_a_search():
    for text in SAMPLES:
        pieces = [(t.text, t.pos) for t in segment.tokens(text)]
        assert segment._with_offsets(text, pieces) == segment._with_offsets_by_search(text, pieces)
        assert "".join(t.text for t in segment.tokens(text)) == text


def test_token_columns_are_the_tokens():
    """The columns of ``Tokens`` (words, tags, ends, starts) say what its ``Token``s say,
    whether the offsets are running sums or found by a search (a text the words do not cover)."""
    for text in SAMPLES[:3] + ["", "区总工会", "各镇、街道总工会"]:
        toks = segment.tokens(text)
        items = list(toks)
        assert [t.text for t in items] == toks.words and [t.pos for t in items] == toks.tags
        assert [t.end for t in items] == toks.ends and [t.start for t in items] == toks.starts
        assert all(text[t.start:t.end] == t.text for t in items) and "".join(toks.words) == text
        assert [toks[i] for i in range(len(toks))] == items and list(reversed(toks)) == items[::-1]
        assert [toks.start(i) for i in range(len(toks))] == toks.starts
        if items:
            assert toks[-1] == items[-1] and toks[1:3] == items[1:3]
    gap = segment._with_offsets("甲乙 丙丁", [("甲乙", "n"), ("丙丁", "n")])   # a blank no word covers
    assert list(gap) == [segment.Token("甲乙", 0, 2, "n"), segment.Token("丙丁", 3, 5, "n")]
    assert gap.start(1) == 3 and gap.starts == [0, 3]


def _naive_ends(text, words, longest=12):
    return any(text[-n:] in words for n in range(1, min(longest, len(text)) + 1))


def _naive_starts(text, words, longest=12):
    return next((text[:n] for n in range(min(longest, len(text)), 0, -1) if text[:n] in words), None)


@given(st.text(alphabet="各区市总工会委员街道办相关有关", max_size=14))
def test_suffix_and_prefix_lookups(text):
    lex = unit_lexicon()
    for words in (lex.not_names, lex.left_stops, lex.prefixes, frozenset({"工会", "总工会", "区"})):
        assert ends_with_any(text, words) == _naive_ends(text, words)
        assert starts_with_any(text, words) == _naive_starts(text, words)
        assert starts_with_any(text, words, 2) == _naive_starts(text, words, 2)


@given(st.text(alphabet="区总工会，。；：\n！？,;:!?", max_size=30), st.data())
def test_clause_bounds_equal_rfind(view, data):
    start = data.draw(st.integers(0, len(view)))
    end = data.draw(st.integers(start, len(view)))
    left = max(view.rfind(c, 0, start) for c in _CLAUSE_MARKS) + 1
    rights = [p for p in (view.find(c, end) for c in _CLAUSE_MARKS) if p >= 0]
    assert clause_bounds(view, start, end) == (left, min(rights, default=len(view)))


@given(st.text(alphabet="工会，。；\n", max_size=12), st.integers(0, 260), st.text(alphabet="区总工会，。", max_size=12),
       st.data())
def test_clause_bounds_beyond_the_near_window(head, gap, tail, data):
    """A clause mark more than 120 characters before the name (the second scan)."""
    view = head + "区" * gap + tail
    start = data.draw(st.integers(0, len(view)))
    end = data.draw(st.integers(start, len(view)))
    left = max(view.rfind(c, 0, start) for c in _CLAUSE_MARKS) + 1
    rights = [p for p in (view.find(c, end) for c in _CLAUSE_MARKS) if p >= 0]
    assert clause_bounds(view, start, end) == (left, min(rights, default=len(view)))


@given(st.text(alphabet="每月季度年等、和及1.5 \n\u3000X工会", max_size=40), st.data())
def test_quantity_checks_on_the_text_before_equal_searching_all_of_it(view, data):
    start = data.draw(st.integers(0, len(view)))
    lead = view[:start].rstrip()
    assert targets._lead(view, start) == lead[-8:] and targets._lead(view + "12", start) == lead[-8:]
    assert bool(targets._DIGIT_BEFORE.search(view, max(0, start - 2), start)) == bool(re.search(r"[\d.]$", view[:start]))
    assert lead.endswith("等") == bool(re.search(r"等\s*$", view[:start]))
    assert bool(targets._rx("every").search(lead[-3:])) == bool(re.search(r"每(?:[年月周日天]|季度?)?\s*$", view[:start]))
    assert bool(targets._rx("list_marks").search(view, max(0, start - 12), start)) \
        == bool(re.search(r"[、和及]", view[max(0, start - 12):start]))


DEBRIS_PIECES = ["携笔同道", "范文", ":", "：", " ", "www.", "example", ".com", "/a", "http://", "https://",
                 "[bookmark: _GoBack]", "[bookmark", "{\\rtf1 x}", "{\\", "**", "__", "_", "*", "，", "。", "x", "1"]


@given(st.lists(st.sampled_from(DEBRIS_PIECES), max_size=16).map("".join))
def test_every_inline_debris_match_holds_what_its_pattern_needs(text):
    for entry in load_yaml("clean/debris.yaml")["inline"]:
        if isinstance(entry, dict) and entry.get("needs"):
            for m in re.finditer(entry["pattern"], text):
                assert m.end() == m.start() or entry["needs"] in m.group()


TARGET_PIECES = ["约", "近", "不少于", "达到", "超过", "2", "48", "1,200", "3.5", "万", "亿", "两", "十", "一百", "X", "XX",
                 "个", "人", "场次", "万元", "%", "以上", "余", "至", "-", " ", "\n", "，", "第", "每月", "等", "工会", "。"]


def _target_matches(view: str, gated: bool):
    cfg, scan, first = targets._lex()
    plain = targets._patterns(cfg)["quantity"]      # without the quick test in front
    if not gated:
        return [(m.span(), m.groupdict()) for m in plain.finditer(view)]
    return [(m.span("whole"), {k: v for k, v in m.groupdict().items() if k != "whole"}) for m in matches(scan, view)]


def test_quantity_pattern_is_gated_and_gives_the_matches_of_finditer_on_the_samples():
    assert targets._lex()[2] is not None
    for text in SAMPLES:
        view = matching_view(text)
        assert _target_matches(view, True) == _target_matches(view, False)


@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(TARGET_PIECES), max_size=30).map("".join)))
def test_gated_quantity_matches_equal_finditer(text):
    view = matching_view(text)
    assert _target_matches(view, True) == _target_matches(view, False)


def test_view_table_is_zhconvs_own():
    import zhconv.zhconv as zc

    zc.loaddict()
    expected = {ord(s): d for s, d in zc.zhcdicts["zh2Hans"].items() if len(s) == len(d) == 1 and s != d}
    assert {k: v for k, v in _table().items() if k in expected} == expected
    assert matching_view("工會聯合會於十月底前") == "工会联合会于十月底前"


def test_every_model_file_loads_the_same_with_the_fast_yaml_loader():
    import yaml

    for path in sorted(ROOT.joinpath("pipeline", "models").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert repr(yaml.load(text, Loader=lexicon_module._yaml_loader())) == repr(yaml.safe_load(text)), path


@given(st.text(alphabet="经向与同参共协和及年度项目清单工会 \t\n\u3000\u00a0", max_size=12))
def test_word_before_blanks_at_the_end_equals_regex(text):
    tail = text.rstrip()
    for words in (("经",), ("向",), ("与", "同"), ("参与", "共同", "协同"), ("和", "及"), ("年度", "项目", "清单")):
        alternation = "|".join(words)
        assert tail.endswith(words) == bool(re.search(rf"(?:{alternation})\s*$", tail))
        assert text.rstrip().endswith(words) == bool(re.search(rf"(?:{alternation})\s*$", text))


def _longest_wins_reference(spans):
    kept = []
    for sp in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if all(sp[1] <= o[0] or o[1] <= sp[0] for o in kept):
            kept.append(sp)
    return sorted(kept)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1])), max_size=8))
def test_longest_wins_with_its_no_overlap_shortcut(spans):
    assert units_recognize._longest_wins(spans) == _longest_wins_reference(spans)


LABEL_PIECES = ["一", "二", "十", "、", "．", ".", "（", "）", "(", ")", "1", "12", "第", "章", "条", "节", "①", "㈠",
                " ", "\u3000", "，", "做好", "工作", "X"]


@given(st.lists(st.sampled_from(LABEL_PIECES), max_size=8).map("".join))
def test_label_quick_test_changes_no_label(text):
    assert labels.match_label(text) == _label_without_quick_test(text)


def test_label_quick_test_on_the_samples():
    for sample in SAMPLES:
        for line in sample.splitlines():
            assert labels.match_label(line) == _label_without_quick_test(line)


def test_label_first_characters_are_read_from_the_styles():
    assert None not in labels._style_firsts()     # None: the style is tried on every text
    names = [name for name, *_ in labels._styles()]

    def styles(first):
        return {names[k] for k in labels._styles_starting(first)}
    assert styles("第") == {"part", "chapter", "section_part", "article"}
    assert styles("一") == {"cn_dun"} and styles("（") == styles("(") == {"paren_cn", "paren_arabic"}
    assert styles("1") == styles("１") == styles("٣") == {"arabic", "arabic_paren"}
    assert styles("㈠") == {"enclosed_cn"} and styles("⑴") == {"paren_digit"} and styles("⒈") == {"dotted_digit"}
    assert styles("做") == styles("") == set()


@given(st.lists(st.sampled_from(LABEL_PIECES + ["\t", "做好工作做好工作", "１", "٣", "⑴", "⒈", "〇", "百"]),
                max_size=8).map("".join))
def test_label_questions_without_a_memo_entry_answer_as_the_memo(text):
    assert labels.match_label(text) == _label_without_quick_test(text)
    # the quick tests in front of the memos (no style can start the text; longer than any
    # bare label even when stripped) answer as the full test does
    lab = _label_without_quick_test(text)
    assert labels.starts_with_label(text) == (lab is not None and not lab.inline)
    assert labels.is_bare_label(text) == labels._is_bare_label(text)


def _label_without_quick_test(text):
    """The plain definition: every style tried, the longest match wins, a bare label is none."""
    best = None
    for name, rx, inline, rank, _ in labels._styles():
        m = rx.match(text)
        if m and (best is None or m.end() > best.end):
            best = labels.Label(name, m.group("label"), m.end(), inline, rank)
    if best is None:
        return None
    end = labels._BLANK_RUN.match(text, best.end).end()
    if end >= len(text):
        return None
    return labels.Label(best.style, labels._plain(best.label), end, best.inline, best.rank)


@given(st.text(alphabet="年月日工会，。；：、\n！？,;:!?“”", max_size=300), st.data())
def test_last_and_first_mark_equal_rfind_and_find(view, data):
    from pipeline.text.punctuation import CLAUSE_BREAK, SENTENCE_BREAK, first_mark, last_mark
    start = data.draw(st.integers(0, len(view)))
    lo = data.draw(st.integers(0, start))
    for marks in (CLAUSE_BREAK, SENTENCE_BREAK, "、"):
        assert last_mark(view, marks, start) == max(view.rfind(c, 0, start) for c in marks)
        assert last_mark(view, marks, start, lo) == max(view.rfind(c, lo, start) for c in marks)
        finds = [p for p in (view.find(c, lo, start) for c in marks) if p >= 0]
        assert first_mark(view, marks, lo, start) == min(finds, default=-1)


def _inside_quotes_by_counting(view, pos, pairs, straight):
    """``inside_quotes`` as it was written first: the offsets of every mark, then bisect."""
    from bisect import bisect_left
    from pipeline.text.punctuation import STRAIGHT_QUOTE
    for pair in pairs + ((STRAIGHT_QUOTE,) if straight else ()):
        opened = [i for i, ch in enumerate(view) if ch == pair[0]]
        n = bisect_left(opened, pos)
        if len(pair) == 1:
            if n % 2 == 1:
                return True
        elif n:
            closed = [i for i, ch in enumerate(view) if ch == pair[1]]
            k = bisect_left(closed, pos)
            if not k or closed[k - 1] < opened[n - 1]:
                return True
    return False


@given(st.text(alphabet="“”《》\"工会X，", max_size=40), st.data())
def test_inside_quotes_by_rfind_equals_counting_the_marks(view, data):
    from pipeline.text.punctuation import QUOTE_PAIRS, inside_quotes
    pos = data.draw(st.integers(-3, len(view) + 2))
    for pairs in (None, ("《》",), ("“”",)):
        for straight in (False, True):
            assert inside_quotes(view, pos, pairs, straight) == _inside_quotes_by_counting(
                view, pos, QUOTE_PAIRS if pairs is None else pairs, straight)


@given(st.text(alphabet="每年月季度个周当次逐按一，。；\n3日前报", max_size=200), st.data())
def test_recurring_marker_search_equals_the_marker_places(view, data):
    from pipeline.extract import dates_names
    from pipeline.text.punctuation import chars
    start = data.draw(st.integers(0, len(view)))
    for breaks, markers in (("clause_break", "recurring_markers"), ("sentence_end", "sentence_recurring_markers")):
        clause_start = max(view.rfind(c, 0, start) for c in chars(breaks)) + 1
        plain = any(w in view[clause_start:start] for w in date_lexicon().triggers[markers])
        assert dates_names._recurring(view, start, breaks, markers) == plain


@given(st.lists(st.sampled_from(DEBRIS_PIECES + ["(", ")", "(shí)", "落實", "(ISO)"]), max_size=16).map("".join))
def test_inline_debris_narrowed_to_the_needs_a_line_holds_equals_every_pattern(text):
    from pipeline.clean import _rules
    entries = [e if isinstance(e, dict) else {"pattern": e} for e in load_yaml("clean/debris.yaml")["inline"]]
    every = re.compile("|".join(f"(?:{e['pattern']})" for e in entries))
    def spans(rx):
        return [m.span() for m in rx.finditer(text) if m.end() > m.start()]   # as clean() keeps them
    assert spans(_rules()[0]) == spans(every)


def test_quick_tests_in_front_of_the_patterns():
    from pipeline.scan import ahead_test, possible_chars

    assert possible_chars(r"(?P<x>\d+)\s*[a-c](?=z)|万") == r"\d\sa-c万"
    assert possible_chars(r"a.b") is None and possible_chars(r"[^a]") is None
    assert ahead_test(r"\d+\s*[个人]") == r"(?=[\d\s个人]{0,24}[个人]|[\d\s个人]{24})"
    quantity = re.compile(ahead_test(r"\d+\s*[个人]") + r"\d+\s*[个人]")
    for text, found in (("30个", "30个"), ("2021年", None), ("1" * 30 + "个", "1" * 30 + "个"), ("1" * 30, None)):
        m = quantity.match(text)
        assert (m.group() if m else None) == found
    assert targets._lex()[1].pattern.startswith(targets._lex()[2].pattern + "(?<=(?=(?P<whole>(?=")
    assert all(s.which.pattern.startswith("(?=") for s in date_lexicon().gated_sets)


def test_a_quick_test_in_front_of_an_alternation_guards_every_branch():
    from pipeline.scan import ahead_test, any_of, with_ahead_test

    either = any_of([r"\d+个", r"\d+人"])
    assert with_ahead_test(either).pattern == ahead_test(either.pattern) + "(?:" + either.pattern + ")"
    assert [m and m.group() for m in map(with_ahead_test(either).match, ("3个", "3人", "3年"))] == ["3个", "3人", None]


def test_the_patterns_not_compiled_are_those_of_the_compiled_ones():
    """``alternation``, ``ahead_tested`` and ``behind`` of a pattern string give what
    ``any_of``, ``with_ahead_test`` and ``behind`` of the compiled pattern give (they
    spare compiling a long pattern only to read it)."""
    from pipeline.scan import ahead_tested, alternation, any_of, behind, with_ahead_test

    patterns = [r"(?P<n>\d+)个", r"\d+人", r"(?P<n>\d+)(?P=n)年"]
    assert alternation(patterns) == any_of(patterns).pattern
    for regex in (alternation(patterns), r"\d+[a-c]+", r"a.b"):
        assert ahead_tested(regex) == with_ahead_test(re.compile(regex)).pattern
    for regex in (alternation(patterns[:2]), r"\d+[a-c]+"):
        assert behind("[0-9]", ahead_tested(regex)) == behind("[0-9]", with_ahead_test(re.compile(regex)))
        assert behind(None, regex) == behind(None, re.compile(regex))


def test_zhconvs_table_is_read_alone_as_the_whole_file_gives_it():
    import json

    from pipeline.textview import _json_member

    document = json.dumps({"a": {"x": "1"}, "zh2Hans": {"於": "于", "a\"b": "{"}, "c": {}}, ensure_ascii=False)
    for key in ("a", "zh2Hans", "c"):
        assert _json_member(document, key) == json.loads(document)[key]
    assert _json_member(' {"k" :{"k": {}}, "k": {"z": 1}}', "k") == {"z": 1}   # not told apart: the whole is read
    assert _json_member('{"k": [1]}', "k") == [1]


def test_each_of_tells_every_pattern_that_matches_at_a_place():
    from pipeline.scan import each_of

    patterns = [r"(?P<y>\d{4})年", r"\d+", r"(?P<y>\d{4})(?P<s>[-/])\d\d(?P=s)", r"\d+个"]
    which = each_of(patterns)
    for text in ("2021年", "2021-10-", "2021-10/", "12个", "x", "2021"):
        m = which.match(text)
        told = [n for n in range(len(patterns)) if m is not None and m.group(f"_{n}") is not None]
        assert told == [n for n, p in enumerate(patterns) if re.match(p, text)], text
        if m is not None and m.lastindex is None:
            assert not told


def test_places_of_finds_every_place_a_pattern_matches_overlaps_included():
    from pipeline.scan import places_of

    rx = places_of("[明今]", "明年|今年|年底")
    assert starts(rx, "今明年底，明天") == [1] and starts(places_of("[a]", "aa"), "aaa") == [0, 1]
    assert starts(places_of("[年明]", "明年|年底"), "明年底") == [0, 1]


def test_first_chars_of_a_list():
    from pipeline.text.patterns import expand, first_chars

    assert first_chars(["万元", "个", "%", "人次"]) == "[%万个人]"
    assert re.fullmatch(expand("(?={first:u})(?:{list:u})", {}, {"u": ["人次", "人", "个"]}), "人次")
    for bad in ([], ["", "个"]):
        try:
            first_chars(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


# a pattern opening with ^(?=[^X]*X) only asks first whether the line holds X (which every
# match of the rest holds): with and without that look-ahead, the same lines match
_GATE = re.compile(r"^\^\(\?=\[\^([^\]]+)\]\*(?:\[\1\]|\1)\)")
_GATED_LISTS = [("structure/furniture.yaml", "stop"), ("structure/metadata.yaml", "furniture"),
                ("clean/debris.yaml", "lines")]
_GATE_PIECES = ["印", "发", "印发", "办公室", "办公厅", "2021", "二〇二一", "年", "10", "月", "9", "日", " ", "\u3000",
                "\n", "工会", "，", "一", "_", "|", "｜", "字", "字体", "字号", "【", "】", "大", "通知公告", "关于做好工作的通知",
                "ICP备", "ICP", "I", "公网安备", "网站标识码", "政府网站", "京", "12345678号"]


@given(st.lists(st.sampled_from(_GATE_PIECES), max_size=14).map("".join))
def test_line_patterns_look_ahead_changes_no_match(text):
    for gated, plain in _gated_patterns():
        assert bool(gated.match(text)) == bool(plain.match(text))


def test_line_patterns_look_ahead_on_the_samples():
    lines = [line.strip() for text in SAMPLES for line in text.splitlines()]
    lines += ["南方能源监管局综合处  2021 年 10 月 9 日印发", "中共XX市委办公室 2021年1月5日 印 发",
              "通知公告_ 内蒙古自治区能源局", "字体【大 中 小】 分享", "京ICP备12345678号-1", "政府网站标识码 1100000088"]
    for gated, plain in _gated_patterns():
        assert any(plain.match(line) for line in lines)
        for line in lines:
            assert bool(gated.match(line)) == bool(plain.match(line))


def _gated_patterns():
    out = []
    for file, key in _GATED_LISTS:
        patterns = load_yaml(file)[key]
        assert any(_GATE.match(p) for p in patterns)
        plain = [_GATE.sub("^", p, count=1) for p in patterns]
        out.append((re.compile("|".join(f"(?:{p})" for p in patterns)),
                    re.compile("|".join(f"(?:{p})" for p in plain))))
    return out


# clean's line facts (clean/lines.py) and the label scans they use: each equals asking the
# plain function of every line
_LINE_PIECES = LABEL_PIECES + ["\t", "| a | b |", "关于印发方案的通知", "關於", "2021", "年", "。", "，", "\u2003", "做好工作做好工作"]


@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), min_size=1, max_size=6).map("".join), max_size=12))
def test_label_scans_of_lines_equal_asking_every_line(lines):
    candidates = set(labels.label_candidates(lines))
    assert all(labels.match_label(t) is None for i, t in enumerate(lines) if i not in candidates)
    assert labels.bare_labels_of(lines) == [labels.is_bare_label(t) for t in lines]


def test_label_scans_on_the_samples():
    lines = [line for text in SAMPLES for line in text.splitlines() if line]
    candidates = set(labels.label_candidates(lines))
    assert any(labels.match_label(t) for t in lines) and len(candidates) < len(lines)
    assert all(labels.match_label(t) is None for i, t in enumerate(lines) if i not in candidates)
    assert labels.bare_labels_of(lines) == [labels.is_bare_label(t) for t in lines]


@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), min_size=1, max_size=6).map("".join), max_size=12))
def test_clean_line_facts_equal_the_plain_tests(lines):
    from pipeline.clean.lines import Lines, is_title
    from pipeline.text.table_text import is_table_row
    facts = Lines(lines, False)
    assert facts.table == [is_table_row(t) for t in lines]
    assert [facts.label(i) for i in range(len(lines))] == [labels.starts_with_label(t) for t in lines]
    assert [facts.title(i) for i in range(len(lines))] == [is_title(t) for t in lines]


def test_binary_test_counts_control_bytes_as_the_plain_loop():
    from pipeline.ingest.text import _is_binary

    def plain(data: bytes) -> bool:
        sample = data[:8000]
        if b"\x00" in sample:
            return True
        ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 11, 27))
        return ctrl / max(len(sample), 1) > 0.05
    cases = [b"", b"abc", "通知\r\n\t".encode(), bytes(range(1, 256)) * 40, b"\x1b[0m" * 100 + b"x" * 100,
             bytes([1, 2, 3]) * 10 + b"a" * 560, bytes([1, 2, 3]) * 10 + b"a" * 580]
    for data in cases:
        assert _is_binary(data) == plain(data)
    assert _is_binary(bytes([1, 2, 3]) * 10 + b"a" * 560) and not _is_binary(bytes([1, 2, 3]) * 10 + b"a" * 580)


@given(st.lists(st.text(alphabet="做好ab1２ｱ。 \ue000\n", min_size=1, max_size=30), max_size=14))
def test_widths_of_the_joined_texts_equal_counting_each_text(lines):
    from pipeline.clean import wrap
    half = wrap._wrap_rules()[1]
    assert wrap.widths(lines) == [len(t) - len(half.findall(t)) / 2 for t in lines]


def test_cuts_equal_cut_at_width_of_each_line():
    from pipeline.clean import wrap
    lines = ["关于做好工作的通知", "各单位："]
    # a hard-wrapped copy: lines cut at 30 cells (some 1 more or less, some with half-width
    # digits), articles whose first line lost its indent and the blank after the label, short last lines
    lines += ["做" * (29 + k % 3) for k in range(40)] + ["做" * 26 + "2025" for _ in range(5)]
    lines += [f"第{n}条" + "做" * (20 + n % 6) for n in range(1, 9)] + ["做" * 12 + "。" for _ in range(8)]
    labelled = [labels.starts_with_label(t) for t in lines]
    band = wrap.band_of(lines, wrap.widths(lines))
    assert band is not None and any(labelled)
    assert wrap.cuts(lines, labelled.__getitem__) == [
        wrap.cut_at_width(w, band, lambda i=i: labelled[i]) for i, w in enumerate(wrap.widths(lines))]


@given(st.one_of(texts, st.sampled_from(SAMPLES)), st.sampled_from([None, "plan", "summary"]))
def test_text_readings_once_equal_the_plain_readings(view, doc_type):
    """targets._Text's lazy attributes (``cached_property``) give what their functions give, at every
    read, and are worked out once (stored in the instance)."""
    t = targets._Text(view, doc_type)
    first = re.compile("[%s]" % re.escape(targets._QUOTE_OPENERS)).search(view)   # (read with str.find)
    plain = {"first_quote": first.start() if first else len(view),
             "formula_signs": targets._alternation("formula_signs").search(view) is not None,
             "reports": target_kinds._alternation("report_marks").search(view) is not None,
             "summary": doc_type == "summary" or (doc_type is None and targets._reports(view))}
    for _ in range(2):
        assert {name: getattr(t, name) for name in plain} == plain
    assert all(name in vars(t) for name in plain)
