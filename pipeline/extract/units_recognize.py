"""Organisation names on the segmentation: view + tokens -> name spans.

In: ``view`` (``matching_view`` of a task's text: simplified, same offsets) and its
jieba tokens. Out: half-open ``(start, end)`` spans into the view, in text order,
non-overlapping. A name is a run of tokens ending in an organisation head
(``models/units/heads.yaml``), grown
- rightwards over further organisation tokens (``区总工会`` + ``宣传教育部``) and a
  parenthesised scope (``直属工会（街镇、委局、公司）``, ``镇(街道)总工会``);
- leftwards over name tokens and prefixes (``各相关直属``) and over shared-head lists
  (``各镇、街道总工会``, ``各委、局、公司工会``), stopping at verbs, prepositions, role
  triggers and numerals;
plus the fixed names of ``patterns.jsonl`` (``全总``). A class of organisations named by the
part it plays in a sector's rules (``heads.yaml`` acting_heads: 电网企业, 各经营主体, 电力用户)
is a name only where it acts (``_class_acts``: a trigger before it, an acting verb after it).
Of overlapping spans the longest wins, so the result does not depend on the order in which
heads are found; then an organisation and its branches joined by 及其 are one name, and two
issuers glued together (中共中央国务院) two.
A plain pass over tokens, not a spaCy Matcher: building a spaCy ``Doc`` per task alone
costs ~4x this whole pass (measured on the sample notices).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from operator import itemgetter, le

from ..scan import disjoint
from ..segment import Tokens
from ..text.patterns import alternation
from ..text.punctuation import BRACKET_OPENERS
from .units_places import places
from .units_lexicon import ends_with_any, head_of, is_member, lexicon, starts_with_any

# jieba tags a name may be built from (nouns, place and organisation names, idioms, ...)
_NAME_POS = frozenset({"n", "nt", "ns", "nz", "j", "nr", "nrt", "nrfg", "ng", "an", "vn", "f", "s", "b"})
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_SCOPE_OPENERS = "（("
_SCOPE = re.compile(r"[（(][^）)（(\n]{1,20}[）)]")   # opens with one of _SCOPE_OPENERS; on one line
_LEADING_JUNK = "请由、（）() \u3000"


def _is_head_token(toks: Tokens, i: int, view: str, head: str | None = None) -> str | None:
    """The head token ``i`` ends with when it can close a name, else None. ``head``:
    ``_token_head`` of the token, when the caller has it."""
    words, text, end = toks.words, toks.words[i], toks.ends[i]
    if head is None:
        head = _token_head(text, toks.tags[i])
    if head is None:
        return None
    lex = lexicon()
    if head is _SPLIT:
        # a head that jieba split over tokens: 中原/护理/院 (the longest head the view ends
        # with at the token's end, longer than the token: one set lookup per head length)
        head, size = None, len(text)
        for n in lex.head_lengths_by_last_char.get(text[-1:], ()):
            if n <= size:
                break
            if n <= end and view[end - n:end] in lex.head_set:
                head = view[end - n:end]
                break
        if head is None or (i + 1 < len(words) and head_of(words[i + 1])):
            return None
        return head
    if head in lex.activity_heads:
        before = view[max(0, end - len(text) - 8):end - len(head)]
        if not ends_with_any(before, _activities(), len(before)):
            return None  # 规模企业, 民营企业: no activity names the role
    return head


_SPLIT = "\u0000split"  # no head in the token: look for one split over tokens


@lru_cache(maxsize=1)
def _activities() -> frozenset[str]:
    return frozenset(lexicon().activities)


@lru_cache(maxsize=65536)
def _token_head(text: str, pos: str) -> str | None:
    """What a token alone says (cached per text and tag): its head, ``_SPLIT`` when it
    ends in none, or None when it ends in one yet closes no name."""
    lex = lexicon()
    head = head_of(text)
    if head is None:
        return _SPLIT if len(text) < max(map(len, lex.heads_by_last_char.get(text[-1:], ("",)))) else None
    if ends_with_any(text, lex.not_names):
        return None
    if pos in ("vd", "d", "p", "ad") or (pos not in _NAME_POS and text != head) or (pos == "v" and text != head):
        return None
    if text == head and head in lex.bare_heads and pos.startswith("v"):
        return None  # 组织 / 办 used as a verb
    if head in lex.verb_heads and text[:-len(head)] in lex.manner_words:
        return None  # 精心组织
    if head in lex.short_subunit_heads and len(text) == 2:
        return None  # 好处, 所处, 京科
    return head


@lru_cache(maxsize=65536)
def glued_stop(text: str) -> int:
    """Length of the trigger jieba glued in front of a name's first characters (会同 in
    会同县人社局, 由 in 由市, 报 in 报省, 经 in 经本), 0 when there is none. A one-character
    trigger counts only before a prefix or a level (市, 省, 各, 本, 上)."""
    lex = lexicon()
    stop = starts_with_any(text[:-1], lex.left_stops)
    if not stop:
        return 0
    rest = text[len(stop):]
    if len(stop) >= 2 or rest in lex.prefixes or rest in lex.glued_rests or is_member(rest):
        return len(stop)
    return 0


# What a token alone says to a name growing leftwards over it (``_left_class``), as bits:
_STOP = 1            # a trigger, or a token ending in one, or a verb glued to its adverb,
                     # or a trigger glued in front of a word that starts no name: stop
_INSIDE = 2          # a trigger glued to the name's first word (由市): the name starts inside
_ACTIVITY = 4        # an activity (服务, 建设) that names a role noun (服务企业)
_EACH = 8            # opens with 各/相关: a numeral before it counts no object
_AGENT_VERB = 16     # a verb naming the work of a role noun (编制单位)
_TWO_CHAR_VERB = 32  # a verb of two characters (劳动争议调解委员会)
_NAME_PART = 64      # a prefix, a list member, a name token
_PAUSE = 128         # 、 (a shared-head list)
_MEMBER = 256        # a kind-of-unit word (镇, 各镇)
_BRACKET = 512       # a parenthesis
# any bit by which a name may grow leftwards over a token (none: a head token stays bare)
_GROWS = _INSIDE | _ACTIVITY | _AGENT_VERB | _TWO_CHAR_VERB | _NAME_PART | _PAUSE | _MEMBER | _BRACKET


@lru_cache(maxsize=65536)
def _left_class(text: str, pos: str) -> int:
    """The bits above for the token ``text`` tagged ``pos`` (cached per text and tag: the
    tests of ``_extend_left`` that look at the token alone, computed once)."""
    lex = lexicon()
    bits = 0
    if text in lex.activities:
        bits |= _ACTIVITY
    if text in lex.left_stops or text.endswith(lex.roles["report_before"]) \
            or (len(text) > 2 and ends_with_any(text, lex.verb_stops)):
        bits |= _STOP
    else:
        cut = glued_stop(text) if len(text) >= 2 and text[0] in lex.stop_first_chars else 0
        if cut:
            rest = text[cut:]
            bits |= _INSIDE if rest in lex.prefixes or rest in lex.glued_rests or is_member(rest) else _STOP
    if text.startswith(("各", "相关")):
        bits |= _EACH
    if pos.startswith("v") and text in lex.agent_verbs:
        bits |= _AGENT_VERB
    if pos == "v" and len(text) == 2:
        bits |= _TWO_CHAR_VERB
    if text in lex.prefixes or text in lex.list_members or text in ("X", "x", "×") or \
            (pos in _NAME_POS and text not in lex.inner_stops) or \
            (pos == "l" and not text.startswith(tuple(lex.manner_words))):
        bits |= _NAME_PART
    if text == "、":
        bits |= _PAUSE
    if is_member(text):
        bits |= _MEMBER
    if text in "（）()":
        bits |= _BRACKET
    return bits


def _extend_left(toks: Tokens, i: int, head: str | None = None) -> int:
    """Index of the first token of the name whose head token is ``i`` (ending in ``head``)."""
    lex = lexicon()
    words, tags = toks.words, toks.tags
    agent = head in lex.agent_heads
    k = i
    while k > 0:
        bits = _left_class(words[k - 1], tags[k - 1])
        if k == i and agent and bits & _ACTIVITY:
            k -= 1  # 服务/企业, 建设/单位: the activity names the unit even where it is a trigger
            continue
        if bits & _STOP:
            break  # a trigger (前报 in 月底前报市总, 认真学习/省委, 贯彻落实/市委)
        if bits & _INSIDE:
            k -= 1  # 由市/建设/行政/主管部门: the name starts inside the token
            break
        if k >= 2 and tags[k - 2] == "m" and not bits & _EACH:
            break  # 20家/工会联合会, 两级/行业工会: a counted object
        if agent and bits & _AGENT_VERB and i - k < 2 and words[k] not in lex.prefixes:
            k -= 1  # 编制/单位, 开发/建设/单位: a role noun named by the work it does
            continue
        if bits & _TWO_CHAR_VERB and k == i and k >= 2 and tags[k - 2] in _NAME_POS \
                and len(words[i]) >= 3 and not is_member(words[i]) and head not in lex.acting_heads:
            k -= 1  # 劳动争议/调解/委员会 (not 定期/抄录/发电企业: a class has no verb inside): a verb inside the name, right before its head
            continue
        if bits & _NAME_PART:
            k -= 1
            continue
        if bits & _PAUSE and k >= 2 and is_member(words[k - 2]) \
                and any(words[k].startswith(m) for m in lex.list_members) \
                and not (k >= 3 and tags[k - 3] in _NAME_POS and words[k - 3] not in lex.prefixes
                         and not is_member(words[k - 3])):
            k -= 2  # shared-head list: 各镇、街道总工会; 各委、局、公司工会
            continue  # (not a full name before the 、: 市规划资源局、市公安局 are two)
        if bits & _MEMBER:
            k -= 1  # 各县（市、区）总工会
            continue
        if bits & _BRACKET and k >= 2:
            k -= 1
            continue
        break
    return k


@lru_cache(maxsize=1)
def _class_only_heads() -> frozenset[str]:
    """Class heads no activity names (领导小组/成员: a class after a name is its people)."""
    lex = lexicon()
    return lex.acting_heads - lex.activity_heads


def _alias(inner: str) -> bool:
    """A second name of the same organisation in a bracket after its name (省发改委（省能源局）):
    a full name of its own, opening with a level or prefix, whose head is no department's
    (报送我委（价格管理处）: the department is a unit of its own)."""
    lex = lexicon()
    head = head_of(inner)
    return head is not None and inner not in lex.bare_heads and head not in lex.subunit_heads \
        and starts_with_any(inner, lex.name_starts) is not None and not no_organisation(inner)


def _class_acts(view: str, name: str, head: str, start: int, end: int) -> bool:
    """Whether the class of organisations ``name`` (ending in one of ``acting_heads``:
    电网企业, 各经营主体) acts where it stands (``heads.yaml``): a role trigger right before
    it (由, 向, 请, 会同…), or an acting verb after it, past the names listed with it and
    a few adverbs (电网企业、售电公司等市场成员应当…). Not a group of people (居民用户,
    领导小组成员) nor the tail of another organisation's name."""
    lex = lexicon()
    not_names, kinds, triggers = _class_words()
    body = name[:len(name) - len(head)]
    if name.endswith(not_names) or view.startswith(lex.modifier_marks, end) or (body and (
            head_of(body) is not None or body.endswith(kinds) or _class_or_modifier().search(body))):
        return False   # 居民用户, 领导小组成员, 规模企业; 与电网企业的产权分界点, 中标的用户: a modifier
    if view.endswith(triggers, 0, start) or _acts_after(view, end):
        return True
    # 向电网企业申报 (roles.yaml report_via_xiang), not 向市场主体出具结算依据: a recipient only
    return view.endswith(lex.report_openers, 0, start) \
        and _xiang_report().search(view, end, end + _REPORT_SPAN) is not None


_REPORT_SPAN = 12   # a report verb after a class named after 向, at most this far


@lru_cache(maxsize=1)
def _xiang_report() -> re.Pattern:
    return re.compile(alternation(lexicon().roles["report_via_xiang"]))


@lru_cache(maxsize=1)
def _class_words() -> tuple[tuple[str, ...], ...]:
    """The word lists ``_class_acts`` tests ends against, as tuples (one C call each)."""
    lex = lexicon()
    return tuple(lex.not_names), tuple(lex.class_kinds), tuple(_class_triggers())


@lru_cache(maxsize=1)
def _class_or_modifier() -> re.Pattern:
    """Any class head or modifier mark (的): one inside a class name's body makes it no name."""
    lex = lexicon()
    return re.compile(alternation((*lex.acting_heads, *lex.modifier_marks)) or "(?!)")


@lru_cache(maxsize=1)
def _class_triggers() -> frozenset[str]:
    lex = lexicon()
    # of the report verbs only those that say whom to (报送至, 反馈给): 报告经营主体违规情况 reports
    # on the class, to nobody of it
    to_whom = frozenset(w for w in lex.roles["report_before"] if w.endswith(tuple(lex.roles["report_marks"])))
    return lex.class_triggers | to_whom | frozenset(lex.roles["partner_before"])


def _may_act(view: str, head_start: int, end: int) -> bool:
    """The cheap half of ``_class_acts``, before the name's start is known: an acting
    verb after ``end`` or a class trigger shortly before the head token."""
    return _acts_after(view, end) or _class_trigger_regex().search(
        view, max(0, head_start - _TRIGGER_WINDOW), head_start) is not None


def _acts_after(view: str, end: int) -> bool:
    """Whether an acting verb follows a class name ending at ``end`` (``_CLASS_ACTS``); the
    character at ``end`` is asked first: every match opens with a blank or with the first
    character of a list joiner, a list closer, an adverb or a duty verb."""
    return view[end:end + 1] in _acts_first_chars() and _CLASS_ACTS().match(view, end) is not None


@lru_cache(maxsize=1)
def _acts_first_chars() -> frozenset[str]:
    """The characters a match of ``_CLASS_ACTS`` can open with (see ``_acts_after``)."""
    lex = lexicon()
    words = (*lex.class_list_joiners, *lex.class_list_closers, *lex.acting_adverbs, *lex.duty_verbs)
    if not all(words):
        raise ValueError("heads.yaml: an empty word among the class joiners, closers, adverbs or duty verbs")
    return frozenset(" \u3000") | frozenset(w[0] for w in words)


_TRIGGER_WINDOW = 12   # a class name's modifiers before its head token, at most (各省级以上电网)


@lru_cache(maxsize=1)
def _class_trigger_regex() -> re.Pattern:
    """Any class trigger: whether one stands shortly before a class head at all."""
    return re.compile(alternation(_class_triggers() | frozenset(lexicon().report_openers)))


@lru_cache(maxsize=1)
def _CLASS_ACTS() -> re.Pattern:
    """After a class name: the names listed with it, a closing 等<category>, adverbs, then
    an acting verb that opens no noun (应 of 应急 is none). A list item holds no 的 (X、Y和其他
    并网主体的业主单位负责: the list names whose owners act) and no 不 (Y不承担…)."""
    lex = lexicon()
    alt = alternation
    stops, marks = re.escape("".join(lex.class_list_stops)), re.escape("".join(lex.modifier_marks))
    return re.compile(r"[ \u3000]*(?:(?:" + alt(lex.class_list_joiners) + r")[^，。；;：:、\s" + stops + r"]{1,14}?)*?"
                      r"(?:(?:" + alt(lex.class_list_closers) + r")[^，。；;：:\s" + marks + r"]{0,10}?)?"
                      r"(?:" + alt(lex.acting_adverbs) + r")*(?!" + alt(lex.acting_verbs_not) + r")(?:"
                      + alt(lex.duty_verbs) + r")(?!" + alt(lex.modifier_marks) + ")")   # 承担的…费用: a relative clause


def no_organisation(name: str) -> bool:
    """A name that names no organisation: the writer's own by reference (本单位) or levels
    of party and government (各级政府, 各级党委, 省、市、区委; ``non_units.yaml``)."""
    return name in _no_organisations()


@lru_cache(maxsize=1)
def _no_organisations() -> frozenset[str]:
    n = lexicon().non_units
    levels = (w + h for w in n["level_words"] if len(w) > 1 for h in n["level_heads"])  # 各级政府
    return frozenset(n["self_names"]) | frozenset(levels)


@lru_cache(maxsize=1)
def _headless_regex() -> re.Pattern:
    """One pattern matching any fixed or standalone name: a single C scan telling whether
    a text holds one at all, before the per-name scans (most task texts hold none)."""
    lex = lexicon()
    return re.compile("|".join(map(re.escape, lex.fixed_names + lex.standalone_names)) or "(?!)")


def _fixed_spans(view: str) -> list[tuple[int, int]]:
    out = []
    for name in lexicon().fixed_names:
        pos = view.find(name)
        while pos >= 0:
            out.append((pos, pos + len(name)))
            pos = view.find(name, pos + len(name))
    return out


def _standalone_spans(view: str) -> list[tuple[int, int]]:
    """Names without a head (中央, 党中央; ``heads.yaml`` standalone_names) where no noun
    grows out of them: the text after is no CJK character or opens with a
    ``standalone_after`` word (中央的决策部署, 中央和省委; not 中央企业, 中央财政)."""
    lex = lexicon()
    out = []
    for name in lex.standalone_names:
        pos = view.find(name)
        while pos >= 0:
            end = pos + len(name)
            if end == len(view) or not _CJK_CHAR.match(view[end]) \
                    or starts_with_any(view[end:end + 4], lex.standalone_after):
                out.append((pos, end))
            pos = view.find(name, end)
    return out


_START, _END = itemgetter(0), itemgetter(1)


def _longest_wins(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans: of two overlapping spans the longer (then the earlier) wins."""
    if len(spans) < 2:
        return spans
    ordered = sorted(set(spans))
    if all(map(le, map(_END, ordered), map(_START, ordered[1:]))):
        return ordered  # nothing overlaps (each span ends before the next starts): every span is kept
    return disjoint(sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])), lambda s: s)


def _closing_tokens(view: str, toks: Tokens) -> list[tuple[int, str]]:
    """The tokens that can close a name, with what they say alone (``_token_head``): of
    the tokens at whose end a head ends (one scan of the view for those places, each mapped
    to the token it ends, if any), those that end in a head or in the start of one split
    over tokens (the head ends where they end: a token ending in a head's last character
    where no head ends is no name's end)."""
    words, tags, ends, out = toks.words, toks.tags, toks.ends, []
    for m in _head_end_regex().finditer(view):
        end = m.end()
        i = bisect_left(ends, end)
        if i < len(ends) and ends[i] == end and (head := _token_head(words[i], tags[i])):
            out.append((i, head))
    return out


@lru_cache(maxsize=1)
def _head_end_regex() -> re.Pattern:
    """A head's last character where a head ends with it: the character alone when it is a
    head, else the character and a look behind it at the heads it ends, by length
    (``会(?:(?<=工会)|(?<=总工会|委员会))``). Every alternative opens with its character,
    so the scan skips in C the characters no head ends with, and makes no match object
    where a head's last character ends none (会 of 会议, 大 of 扩大)."""
    by_last: dict[str, dict[int, list[str]]] = {}
    for head in lexicon().heads:
        by_last.setdefault(head[-1], {}).setdefault(len(head), []).append(re.escape(head))
    alternatives = []
    for last, by_length in sorted(by_last.items()):
        if 1 in by_length:
            alternatives.append(re.escape(last))
            continue
        behind = "|".join("(?<=" + "|".join(heads) + ")" for _, heads in sorted(by_length.items()))
        alternatives.append(re.escape(last) + "(?:" + behind + ")")
    return re.compile("|".join(alternatives) or "(?!)")


def name_spans(view: str, toks: Tokens) -> list[tuple[int, int]]:
    """Organisation name spans of ``view`` (see module doc), in text order; ``toks``:
    ``segment.tokens(view)``."""
    lex = lexicon()
    spans = []
    words, tags, ends = toks.words, toks.tags, toks.ends
    done = 0  # tokens before this index belong to a name already found
    activity_heads, acting_heads, class_only_heads = lex.activity_heads, lex.acting_heads, _class_only_heads()
    for i, head in _closing_tokens(view, toks):
        if i < done:
            continue
        needs_act = False   # a class head (经营主体, 电网企业): a name only where it acts
        acting_end = -1     # where _may_act last found the class acting
        if head is _SPLIT or head in activity_heads:   # the token alone does not decide
            found = _is_head_token(toks, i, view, head)
            if found is None:
                if head not in acting_heads:
                    continue
                needs_act = True   # 电网企业 (no activity names it): a name where it acts
            else:
                head = found
        if head in acting_heads and head not in activity_heads:
            needs_act = True
        if needs_act and i + 1 < len(words) and words[i + 1][-1:] not in lex.head_last_chars \
                and words[i + 1][:1] not in "（(":   # the common case, decided before the name grows
            if (words[i] == head and (i == 0 or not _left_class(words[i - 1], tags[i - 1]) & _GROWS)) \
                    or not _may_act(view, ends[i] - len(words[i]), ends[i]):
                done = i + 1
                continue   # a bare head (为用户服务), or a class acting neither way
            acting_end = ends[i]
        j = i  # extend right over further organisation tokens (区总工会 宣传教育部)
        while j + 1 < len(words) and head_of(words[j + 1]) and tags[j + 1] in ("nt", "n", "nz") \
                and head_of(words[j + 1]) not in class_only_heads and _is_head_token(toks, j + 1, view) is not None:
            j += 1
        if j > i:
            needs_act = False   # 各企业/工会: the name ends in a head of its own
        end = plain_end = ends[j]
        m = _SCOPE.match(view, end) if view[end:end + 1] in _SCOPE_OPENERS else None
        if m and (("、" in m.group() and head_of(m.group()[-2:-1]) is None)
                  or m.group()[1:-1] in lex.alternative_heads
                  or (len(m.group()) > 4 and head_of(m.group()[1:-1]) not in (None, *lex.bare_heads))
                  or _alias(m.group()[1:-1])):
            plain_end, end = end, m.end()  # 直属工会（街镇、委局、公司）, 相关部门（单位）, 省发改委（省能源局）
        if needs_act and end != acting_end and not _may_act(view, ends[i] - len(words[i]), end):
            done = j + 1
            continue   # a class acting neither way: no need to find where its name starts
        k = _extend_left(toks, i, head)
        start = ends[k] - len(words[k])
        cut = glued_stop(words[k]) if words[k][0] in lex.stop_first_chars else 0
        if k < i or (cut and starts_with_any(words[k][cut:], lex.name_starts)):
            start += cut  # a trigger glued to the name (会同县人社局, 落实市委)
        while start < end and view[start] in _LEADING_JUNK:
            start += 1
        if end > plain_end and no_organisation(view[start:plain_end]):
            end = plain_end   # 我委（省能源局）: the writer by reference, no name
        name = view[start:end]
        if "（" in name or "(" in name:
            opened = max(name.rfind("（"), name.rfind("("))
            if name.find("）", opened) < 0 and name.find(")", opened) < 0:
                start += opened + 1  # 我委（价格管理处: the name is inside the bracket
                name = view[start:end]
        if len(name) >= 2 and name not in lex.bare_heads and name not in ("各", "相关", "有关") \
                and not no_organisation(name) and not (needs_act and not _class_acts(view, name, head, start, end)):
            spans.append((start, end))
        done = j + 1
    glued_issuers = _headless_regex().search(view) is not None
    if glued_issuers:
        spans += _fixed_spans(view) + _standalone_spans(view)
    spans += _acting_places(view, toks)
    spans = _longest_wins(spans)
    if len(spans) > 1 and _JOINED_BY().search(view):
        spans = _joined(view, spans)
    if spans and any(w in view for w in lexicon().designated_by):   # (str search, not a regex scan)
        spans = _designated(view, spans)
    if glued_issuers:   # a headless name in the text: it may be glued to the next (中共中央国务院)
        spans = _split_glued(view, spans)
    return _departments_with_he(view, spans)


@lru_cache(maxsize=1)
def _JOINED_BY() -> re.Pattern:
    return re.compile(alternation(lexicon().joined_by) or "(?!)")


@lru_cache(maxsize=1)
def _DESIGNATED() -> re.Pattern:
    """A designating word and a bare head right after it (指定的部门), the head longest first."""
    lex = lexicon()
    heads = sorted(lex.bare_heads, key=len, reverse=True)
    return re.compile(f"(?:{alternation(lex.designated_by)})(?:{alternation(heads)})")


def _designated(view: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A name followed by ``designated_by`` and a bare head (县级以上地方人民政府指定的部门) reaches
    over them: the designated unit is the one that acts."""
    out = []
    for n, (a, b) in enumerate(spans):
        m = _DESIGNATED().match(view, b)
        if m and (n + 1 == len(spans) or spans[n + 1][0] >= m.end()):   # (never over the next name)
            b = m.end()
        out.append((a, b))
    return out


def _joined(view: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """An organisation and its branches joined by ``joined_by`` (国家能源局及其派出机构) are
    one name: two spans with only such a word between them become one."""
    words = lexicon().joined_by
    out = [spans[0]]
    for a, b in spans[1:]:
        if view[out[-1][1]:a] in words:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _split_glued(view: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Two issuers written without a mark between them (《中共中央国务院关于…》) are two
    names: a name made of a headless name (``standalone_names``) and a fixed name
    (``patterns.jsonl``: 国务院) is split between them; 中共中央办公厅 stays one."""
    lex = lexicon()
    out = []
    for a, b in spans:
        first = starts_with_any(view[a:b], lex.standalone_names_set)
        if first and view[a + len(first):b] in lex.fixed_names:
            out += [(a, a + len(first)), (a + len(first), b)]
        else:
            out.append((a, b))
    return out


@lru_cache(maxsize=1)
def _acting_place_regex() -> re.Pattern:
    """A place's last character right before an acting verb (the verb looked at, not
    taken: every such place is found): the only places ``_acting_places`` asks about."""
    last = "".join(sorted({p[-1] for p in places()} | {p[-1] for p in lexicon().acting_collectives})) or "\u0000"
    verbs = alternation(lexicon().acting_verbs)
    return re.compile(f"[{re.escape(last)}](?=(?:{verbs}))")


def _acting_places(view: str, toks: Tokens) -> list[tuple[int, int]]:
    """Divisions of the registry (``units_places``) and collective ones (``acting_collectives``:
    各地, 各区) that open a clause, or follow 请/由, and act right away (渝水区要…,
    嘉定区将…, 各地要…): the place stands for its government. A place acts when the token
    after it opens with an acting verb, or when it is listed (over 、) before one that acts
    (锦江区、青羊区要…); the places that act are read from where ``_acting_place_regex``
    finds a place's last character before an acting verb, then back over such a list."""
    rx = _acting_place_regex()
    first = rx.search(view)   # most texts hold none: one search, no iterator
    if first is None:
        return []
    words, ends = toks.words, toks.ends
    acting: set[int] = set()
    for m in rx.finditer(view, first.start()):
        n = bisect_left(ends, m.end())
        if n + 1 < len(words) and ends[n] == m.end() and _is_place(words[n]) and _acting_token(words[n + 1]):
            while n not in acting:
                acting.add(n)
                k = n - 1
                while k >= 0 and words[k] == "、":
                    k -= 1
                if k == n - 1 or k < 0 or not _is_place(words[k]):
                    break
                n = k   # 锦江区、青羊区要: listed before a place that acts
    out = []
    for n in sorted(acting, reverse=True):
        if n == 0 or toks.tags[n - 1] in ("x", "w") and words[n - 1] not in BRACKET_OPENERS \
                or words[n - 1] in _class_triggers():   # 请各地…, 由各区…
            out.append((toks.start(n), ends[n]))
    return out


def _is_place(text: str) -> bool:
    """A division of the registry (three characters or more) or a collective one (各地)."""
    return (len(text) >= 3 and text in places()) or text in lexicon().acting_collectives


@lru_cache(maxsize=4096)
def _acting_token(text: str) -> bool:
    """A token that opens with an acting verb (要, 要于: jieba glues 于 to 要), not a noun (要素)."""
    lex = lexicon()
    return text in lex.acting_verbs or (starts_with_any(text, lex.acting_verbs) is not None
                                        and not text.startswith(lex.acting_verbs_not))


_HE = "和"
_HE_GAP = re.compile(r"[\u4e00-\u9fff]{1,6}" + _HE)


def _departments_with_he(view: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """省总工会劳动和经济工作部 is one department, not 省总工会 and 经济工作部: an
    organisation, a few words that name no organisation, 和, and a department head
    (部, 处, 室 …) with no prefix of its own (区, 市, 各 …) make one name."""
    if len(spans) < 2 or _HE not in view:
        return spans  # nothing to join
    lex = lexicon()
    prefixes = tuple(lex.prefixes)
    out: list[tuple[int, int]] = []
    for span in spans:
        if out:
            p0, p1 = out[-1]
            gap, name = view[p1:span[0]], view[span[0]:span[1]]
            if _HE_GAP.fullmatch(gap) and name.endswith(lex.subunit_heads) \
                    and not name.startswith(prefixes) and not gap[:-1].endswith(prefixes):
                out[-1] = (p0, span[1])
                continue
        out.append(span)
    return out
