"""The unit extractor's fast paths give exactly what the plain code they replace gives.

Each speed-up of ``units*.py`` (issue #21) is checked against the straightforward
definition it replaced, on generated text built from the words the rules look at: the
tuples of trigger words given to ``str.startswith``/``endswith`` against
``starts_with_any``/``ends_with_any``, the merged after-name patterns against asking
each, the per-token classes of ``_extend_left`` against the tests of the token they
stand for, the one-scan wrap-break finder against the line loop, the gates of the
fixed/standalone-name scans and of the quote test. The whole-output check is
``benchmarks/check_same_output.py``.
"""
from __future__ import annotations

from hypothesis import example, given, strategies as st

from pipeline import segment
from pipeline.extract import units, units_recognize as rec, units_roles as roles
from pipeline.extract.units_lexicon import ends_with_any, head_of, is_member, lexicon, starts_with_any
from pipeline.text.labels import starts_with_label
from pipeline.text.punctuation import BRACKET_OPENERS, inside_quotes

LEX = lexicon()
ROLE_WORDS = sorted({w for words in roles._sets().values() for w in words})
_words = st.lists(st.sampled_from(ROLE_WORDS + ["区总工会", "各", "X", " ", "，", "1", "家"]), max_size=6).map("".join)


@given(_words)
def test_merged_after_patterns_equal_asking_each(after):
    rx = roles._regexes()
    assert bool(rx["no_unit_after"].match(after)) == bool(
        rx["person"].match(after) or roles._ORDINAL.match(after) or rx["honour"].match(after))
    assert bool(rx["partner_after_or_joint"].match(after)) == bool(
        rx["partner_after"].match(after) or rx["partner_joint"].match(after))


_TAGS = ["n", "nt", "v", "vn", "l", "m", "x", "p", "d", "ns"]
_TOKEN_TEXTS = sorted(LEX.left_stops | LEX.prefixes | LEX.list_members | LEX.inner_stops | LEX.glued_rests
                      | set(LEX.activities) | LEX.agent_verbs | set(LEX.manner_words)) \
    + ["、", "（", ")", "X", "×", "建设", "由市", "会同县", "前报", "认真学习", "各相关", "相关", "街道", "工作"]


@given(st.sampled_from(_TOKEN_TEXTS), st.sampled_from(_TAGS))
def test_left_class_bits_equal_the_tests_of_the_token(text, pos):
    bits = rec._left_class(text, pos)
    stop = text in LEX.left_stops or text.endswith(LEX.roles["report_before"]) \
        or (len(text) > 2 and ends_with_any(text, LEX.verb_stops))
    cut = rec.glued_stop(text) if len(text) >= 2 and text[0] in LEX.stop_first_chars else 0
    inside = bool(cut) and (text[cut:] in LEX.prefixes or text[cut:] in LEX.glued_rests or is_member(text[cut:]))
    assert bool(bits & rec._STOP) == (stop or (bool(cut) and not inside))
    assert bool(bits & rec._INSIDE) == (not stop and inside)
    assert bool(bits & rec._ACTIVITY) == (text in LEX.activities)
    assert bool(bits & rec._AGENT_VERB) == (pos.startswith("v") and text in LEX.agent_verbs)
    assert bool(bits & rec._MEMBER) == is_member(text)
    assert bool(bits & rec._NAME_PART) == (
        text in LEX.prefixes or text in LEX.list_members or text in ("X", "x", "×")
        or (pos in rec._NAME_POS and text not in LEX.inner_stops)
        or (pos == "l" and not text.startswith(tuple(LEX.manner_words))))


def _plain_wrap_breaks(text: str) -> list[int]:
    out = []
    line_start, pos = 0, text.find("\n")
    while pos >= 0:
        if pos - line_start >= units._WRAP_MIN_LINE and units._CJK.match(text, pos + 1):
            line = text[line_start:pos].strip()
            if len(line) >= units._WRAP_MIN_LINE and units._CJK.match(line[-1]) \
                    and (len(line) >= units._WRAP_PLAIN_LINE or units._CLAUSE_MARK.search(line)) \
                    and not starts_with_label(text[pos + 1:pos + 13]):
                out.append(pos)
        line_start, pos = pos + 1, text.find("\n", pos + 1)
    return out


_LINE_PIECES = ["区总工会负责组织开展职工技能竞赛活动", "电", "力调度机构", "，", "。", "\n", "\n\n", " ", "\u3000",
                "一、", "（二）", "1.", "abc", "各街镇", "x" * 16]


@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=20).map("".join))
def test_wrap_breaks_equal_the_line_loop(text):
    assert units._wrap_breaks(text) == _plain_wrap_breaks(text)


@given(st.lists(st.sampled_from(list(LEX.fixed_names + LEX.standalone_names) + ["工会", "的", "，", "企业"]),
                max_size=8).map("".join))
def test_headless_gate_lets_every_fixed_or_standalone_name_through(view):
    if rec._headless_regex().search(view) is None:
        assert rec._fixed_spans(view) == [] and rec._standalone_spans(view) == []


@given(st.lists(st.sampled_from(["区总工会", "“", "”", "《", "》", "「", "」", "\"", "，", "关于"]), max_size=10).map("".join))
def test_no_position_before_the_first_opening_mark_is_quoted(view):
    opener = units._QUOTE_OPENER.search(view)
    first = opener.start() if opener else len(view)
    assert not any(inside_quotes(view, pos) for pos in range(first + 1))


@given(_words)
def test_prefix_and_suffix_tuples_equal_the_set_lookups(text):
    for kind, words in roles._sets().items():
        assert text.startswith(roles._word_tuples()[kind]) == (starts_with_any(text, words) is not None)
        assert text.endswith(roles._word_tuples()[kind]) == ends_with_any(text, words)
        assert roles._triggers()[kind].starts(text) == (starts_with_any(text, words) is not None)
        assert roles._triggers()[kind].ends(text) == ends_with_any(text, words)


def _plain_label_scopes(view):
    from pipeline.extract.units_labels import LabelScope, _label_regex
    from pipeline.text.punctuation import LABEL_SCOPE_END
    rx, roles_of = _label_regex()
    found = list(rx.finditer(view))
    out = []
    for n, m in enumerate(found):
        stop = found[n + 1].start() if n + 1 < len(found) else len(view)
        end = m.end()
        while end < stop and view[end] not in LABEL_SCOPE_END:
            end += 1
        out.append(LabelScope(m.start(), m.end(), end, roles_of[m.group("label")]))
    return out


_LABEL_PIECES = ["牵头单位", "责任单位", "配合单位", "：", ":", " ", "区总工会", "、", "；", "。", "）", "(", "\n", "各街道"]


@given(st.lists(st.sampled_from(_LABEL_PIECES), max_size=14).map("".join))
def test_label_scopes_end_where_the_character_loop_ends(view):
    from pipeline.extract.units_labels import label_scopes
    assert label_scopes(view) == _plain_label_scopes(view)


_HEAD_TEXTS = [h for h in LEX.heads[::7]] + ["各镇、街道总工会", "中原护理院", "企业", "会议", "，", "（", "）", "合", "X", " "]


@given(st.lists(st.sampled_from(_HEAD_TEXTS + _TOKEN_TEXTS[::5]), max_size=12).map("".join))
def test_closing_tokens_are_the_tokens_at_whose_end_a_head_ends(view):
    toks = segment.tokens(view)
    closing = rec._closing_tokens(view, toks)
    assert closing == [
        (i, rec._token_head(word, tag)) for i, (word, tag, end) in enumerate(zip(toks.words, toks.tags, toks.ends))
        if rec._token_head(word, tag) and any(view.endswith(h, 0, end) for h in LEX.heads)]
    # the tokens ending in a head's last character left out close no name: a split head
    # that is not there (精心: no head ends with 心 there)
    for i, (word, tag) in enumerate(zip(toks.words, toks.tags)):
        head = rec._token_head(word, tag)
        if word[-1:] in LEX.head_last_chars and head and (i, head) not in closing:
            assert head is rec._SPLIT and rec._is_head_token(toks, i, view, head) is None


@given(st.lists(st.sampled_from(list(LEX.heads) + ["", "总", "各", "区", "和", "X"]), max_size=4).map("".join))
def test_head_of_is_the_longest_head_in_the_list_order(word):
    assert head_of.__wrapped__(word) == next((h for h in LEX.heads if word.endswith(h)), None)


_PLACE_PIECES = ["上海市", "嘉定区", "海市", "新疆维吾尔自治区", "自治区", "朝阳区", "南朝阳区", "市", "区", "县",
                 "总工会", "人社局", "，", "关于", "各", "市总工会", "区总工会"]


@given(st.lists(st.sampled_from(_PLACE_PIECES), max_size=12).map("".join),
       st.sampled_from(["市总工会", "区总工会", "区人社局", "县总工会", "市人社局"]))
def test_places_read_where_written_equal_the_document_places(text, generic):
    from pipeline.extract import units_places as pl
    known = pl.document_places.__wrapped__(text)
    level, rest = generic[0], generic[1:]
    assert {p for p in pl.places_before(text, generic) if pl.is_document_place(text, p)} == \
        {p for p in known if p.endswith(level) and p + rest in text}
    assert all(pl.is_document_place(text, p) == (p in known) for p in pl.places() if p in text)


_ACT_WORDS = sorted({*LEX.class_list_joiners, *LEX.class_list_closers, *LEX.acting_adverbs, *LEX.duty_verbs,
                     *LEX.acting_verbs_not, *LEX.modifier_marks}) + ["企业", "用户", " ", "\u3000", "，", "的", "X"]


@given(st.lists(st.sampled_from(_ACT_WORDS), max_size=8).map("".join), st.integers(0, 3))
def test_acting_verb_gate_equals_the_pattern(text, end):
    assert rec._acts_after(text, end) == (rec._CLASS_ACTS().match(text, end) is not None)


@given(_words)
def test_after_gate_lets_every_test_on_what_follows_a_name_through(after):
    rx = roles._regexes()
    if rx["after_any"].match(after) is None:
        assert not any(p.match(after) for p in (rx["no_unit_after"], rx["defined"], roles._COUNT_AFTER,
                                                 rx["rule_after"], rx["partner_after_or_joint"], rx["partner_support"]))


@given(st.lists(st.sampled_from(ROLE_WORDS + ["区总工会", "X", " ", "\u3000", "\n", "，", "1", "3", "家", "个"]),
                max_size=6).map("".join))
def test_before_gate_lets_every_pattern_searched_before_a_name_through(before):
    rx, tail = roles._regexes(), before.rstrip()
    if rx["before_any"].search(before) is None:
        assert not (rx["rule_open"].search(before) or roles._COUNT_BEFORE.search(tail)
                    or rx["report_verb_mark"].search(tail))


def _acting_places_by_tokens(toks):
    """The pass over every token that ``_acting_places`` replaces (backwards, a 、 list carries the act)."""
    words, out, acting = toks.words, [], False
    for n in range(len(words) - 2, -1, -1):
        if rec._is_place(words[n]) and (rec._acting_token(words[n + 1]) or (acting and words[n + 1] == "、")):
            acting = True
            if n == 0 or toks.tags[n - 1] in ("x", "w") and words[n - 1] not in BRACKET_OPENERS \
                    or words[n - 1] in rec._class_triggers():
                out.append((toks.start(n), toks.ends[n]))
        elif words[n] != "、":
            acting = False
    return out


_PLACE_PIECES = ["锦江区", "青羊区", "嘉定区", "各地", "各区", "、", "要", "将", "要求", "将乐县", "负责", "，", "请", "由",
                 "（", "市", "工作", " ", "。"]


@given(st.lists(st.sampled_from(_PLACE_PIECES), max_size=12).map("".join))
def test_acting_places_equal_the_pass_over_every_token(view):
    toks = segment.tokens(view)
    assert rec._acting_places(view, toks) == _acting_places_by_tokens(toks)


_DEFINITION_PIECES = ["（", "(", "以下", "简称", " ", "\u3000", "“", "”", "\"", "市总", "上海市总工会", "）", ")", "，", "以", "下"]


@given(st.lists(st.sampled_from(_DEFINITION_PIECES), max_size=12).map("".join))
@example("上海市总工会（以下简称“市总”）和（ 以下简称“甲乙”）(  简称\"区总\")，（以下 简称乙）")
def test_definitions_tried_before_the_declaring_words_are_all_the_pattern_finds(view):
    from pipeline.extract import units_canonical as can
    from pipeline.scan import finditer_at
    rx = can._definition()
    found = finditer_at(rx, view, can._definition_starts(view))
    assert [m.span() for m in found] == [m.span() for m in rx.finditer(view)]
