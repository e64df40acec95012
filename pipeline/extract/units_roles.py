"""The role of a named organisation, from the words around it (GUIDELINES §3).

In: the matching view of a task's text and a name span ``[start, end)`` in it.
Out: ``"lead"``, ``"partner"``,
``"report_to"``, ``"issuer_of_rule"``, or None when the name is no unit of the task
(an object of the work, a topic such as ``工会工作``, a person's employer, an honoree).
Triggers live in ``models/units/roles.yaml`` and ``non_units.yaml``; each list is a set
(any member decides). The checks run from the most specific context to the least:
rule (根据…通知) > object/topic > report (报送至, 向…申报) > partner (会同, 与…合作) > lead.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .units_lexicon import ends_with_any, head_of, lexicon, starts_with_any

from ..text.punctuation import ROLE_CLAUSE as _CLAUSE_MARKS, last_mark
_CLAUSE_MARK = re.compile("[" + re.escape(_CLAUSE_MARKS) + "]")
_ORDINAL = re.compile(r"第?[一二三四五六七八九十百\d]+(?:大|届|次|期)")
_COUNT_BEFORE = re.compile(r"(?:\d+|[一二三四五六七八九十百千两几数X]+)\s*[家个所]\s*$")
_ASKS = re.compile(r"\s*要求[^，。；]{0,3}(?:各|相关|有关)")  # 要求各…: the name asks, it issues no rule
_TIME_WORDS = re.compile(r"[\s\dXx月日年前后底初中旬上下半]*")  # only a time before the name
_COUNT_AFTER = re.compile(r"\s*(?:\d+|[一二三四五六七八九十百千两几数Xx]+)\s*[家个所]")


@lru_cache(maxsize=1)
def _regexes() -> dict[str, re.Pattern]:
    r, n = lexicon().roles, lexicon().non_units
    alt = "|".join
    out = {
        "person": re.compile(r"(?:[\u4e00-\u9fff]{0,5}?[系处科部室院所局办组])?[副常务代理]{0,2}(?:" + alt(n["person_titles"]) + ")"),
        "defined": re.compile(r"\s*(?:" + alt(n["defined_after"]) + r")"),
        "date_line": re.compile(alt(n["date_lines"])),
        "honour": re.compile(r"[\u4e00-\u9fff]{0,3}?(?:" + alt(n["honoured_after"]) + ")"),
        "rule_after": re.compile(r"(?:" + alt(r["rule_after_gap"]) + r")?(?:" + alt(r["rule_after"]) + ")"),
        "partner_after": re.compile(r"\s*(?:积极|主动|认真|全力|大力|共同)?(?:" + alt(r["partner_after"]) + ")"),
        "partner_support": re.compile(r"(?:[和及、与][^，。；]{0,12})?的?(?:"
                                      + alt(r["partner_support"]) + ")"),
        "partner_joint": re.compile(r"\s*[和与同][^，。；]{0,8}?(?:" + alt(r["partner_joint"]) + ")"),
        "rule_open": re.compile(alt(r["rule_openers"])),
        "rule_close": re.compile(alt(r["rule_closers"])),
        "report_xiang": re.compile(alt(r["report_via_xiang"])),
        "partner_before": re.compile(alt(r["partner_before"])),
        "report_verb_mark": re.compile(r"(?:" + alt(r["report_verbs"]) + r")[^，。；、]{0,10}(?:"
                                       + alt(r["report_marks"]) + r")\s*$"),
    }
    # tests asked one after another at the same place, each alone a reason: one pattern
    # of their alternatives matches exactly where one of them does
    either = lambda *rxs: re.compile("|".join("(?:" + x.pattern + ")" for x in rxs))  # noqa: E731
    out["no_unit_after"] = either(out["person"], _ORDINAL, out["honour"])
    out["partner_after_or_joint"] = either(out["partner_after"], out["partner_joint"])
    # every test ``role_of`` asks at the start of the text after a name: most names are
    # followed by none of them (~95% of the names of real notices), and one match says so
    out["after_any"] = either(out["no_unit_after"], out["defined"], _COUNT_AFTER, out["rule_after"],
                              out["partner_after_or_joint"], out["partner_support"])
    # and the patterns it looks for in the clause before a name (a rule opener anywhere, a
    # count or a report verb at its end: ``\s*$`` matches the clause as it matches its rstrip)
    out["before_any"] = either(out["rule_open"], _COUNT_BEFORE, out["report_verb_mark"])
    return out


@lru_cache(maxsize=1)
def _sets() -> dict[str, frozenset[str]]:
    lex = lexicon()
    return {k: frozenset(v) for k, v in {**lex.roles, **lex.non_units}.items()}


@lru_cache(maxsize=1)
def _word_tuples() -> dict[str, tuple[str, ...]]:
    """The words of each trigger list that ``starts_with_any``/``ends_with_any`` look at (1 to
    12 characters), as a tuple for one C call: ``text.startswith(_word_tuples()[kind])`` is
    ``starts_with_any(text, <kind>) is not None``, ``text.endswith`` ``ends_with_any``.
    Built once (``role_of`` asks them as ``_triggers``)."""
    return {kind: tuple(w for w in words if 0 < len(w) <= 12) for kind, words in _sets().items()}


class _Words:
    """A trigger list as ``str.endswith``/``startswith`` take it (``words``: one C call), with
    the characters its words end and start with: a text whose last (first) character ends
    (starts) none of them is answered by one set lookup, without the C loop over the words."""

    __slots__ = ("words", "lasts", "firsts")

    def __init__(self, words: tuple[str, ...]):
        self.words, self.lasts, self.firsts = words, frozenset(w[-1] for w in words), frozenset(w[0] for w in words)

    def ends(self, text: str) -> bool:
        """``text.endswith(words)``."""
        return text[-1:] in self.lasts and text.endswith(self.words)

    def starts(self, text: str) -> bool:
        """``text.startswith(words)``."""
        return text[:1] in self.firsts and text.startswith(self.words)


@lru_cache(maxsize=1)
def _triggers() -> dict[str, _Words]:
    """``_word_tuples`` as ``_Words``, by kind."""
    return {kind: _Words(words) for kind, words in _word_tuples().items()}


def clause_bounds(view: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding ``[start, end)``: from after the last clause mark before
    ``start`` to the first at or after ``end`` (two C scans near the name)."""
    after = _CLAUSE_MARK.search(view, end)
    return last_mark(view, _CLAUSE_MARKS, start) + 1, (after.start() if after else len(view))


def _bare_line(view: str, left: int, right: int, before: str, after: str) -> bool:
    """Whether the name is one item of a column of names (a site's link list, a signature
    block): the name is all its line says (the next line may also close it with 。，;
    委管局/直属单位 is a menu heading), and a line next to it is a name or a date too. Lines
    that continue a sentence (the next opens with 、/等, the one before ends with 、/请/由…)
    make no column: web copies put every phrase of a sentence on its own line."""
    if before.strip(_BLANKS) or (after.strip(_BARE_MARKS) and not _MENU_PAIR.match(after)):
        return False
    if not ((left == 0 or view[left - 1] == "\n") and (right == len(view) or view[right] == "\n")):
        return False
    prev_end = left - 1 if left else 0
    prev = view[view.rfind("\n", 0, max(prev_end, 0)) + 1:prev_end].strip(_BLANKS) if left else ""
    next_end = view.find("\n", right + 1)
    nxt = view[right + 1:next_end if next_end >= 0 else len(view)].strip(_BLANKS) if right < len(view) else ""
    S = _sets()
    cont = S["continuations"]
    if (nxt and nxt[0] in cont) or (prev and prev[-1] in cont) or ends_with_any(prev, S["lead_before"]) \
            or ends_with_any(prev, S["report_before"]) or ends_with_any(prev, S["partner_before"]):
        return False
    return _names_line(prev) or _names_line(nxt) or (_fragment(prev) and _fragment(nxt))


def _fragment(line: str) -> bool:
    """A line of one to three characters without a mark: the debris OCR reads out of a seal
    or a stamp (上海⏎源局⏎上海注⏎…), among which a name on its own line is no unit."""
    return 0 < len(line) <= _FRAGMENT_MAX and not _CLAUSE_MARK.search(line)


_FRAGMENT_MAX = 3


def _names_line(line: str) -> bool:
    """A line that is an organisation's name or a date, and nothing else."""
    if not line or len(line) > 40 or _CLAUSE_MARK.search(line):
        return False
    return head_of(line.replace(" ", "").replace("\u3000", "")) is not None \
        or _regexes()["date_line"].match(line) is not None


_MENU_PAIR = re.compile(r"[/／|｜][^，。；;：:]{0,12}$")   # 委管局/直属单位: a menu heading
_BLANKS = " \u3000\t·•"
_BARE_MARKS = _BLANKS + "，,。；;/／|｜"


@lru_cache(maxsize=1)
def _listed_report() -> re.Pattern:
    r = lexicon().roles
    joiners = "".join(w for w in r["continuations"] if len(w) == 1 and w not in "，,")
    return re.compile(r"(?:[" + joiners + r"][^" + joiners + r"，。；;\s]{2,15}?)+(?:" + "|".join(r["report_adverbs"])
                      + r")?(?:" + _regexes()["report_xiang"].pattern + ")")


def _listed_then_report(after: str) -> bool:
    """向X、Y、Z报告: the report verb comes right after the other names of the list."""
    return _listed_report().match(after) is not None


_BRACKET_TAIL = re.compile(r"[（(][^（()）]*$")
_BRACKET_CLOSE = re.compile(r"([^（()）\n]*)[）)]\s*(?:[。；;]|$)")


def _closing_bracket(view: str, tail: str, end: int) -> bool:
    """The name stands in a bracket that closes the task's sentence and holds only names
    and what they do (GUIDELINES §7: units listed in a task's parenthesis are leads):
    ``…复垦面积（省生态环境厅、省能源局等按职责分工负责）``, ``（区总工会宣传部）``; not
    ``（国家发展改革委令第13号）``."""
    if tail.rstrip()[-1:] not in "（(、":
        return False   # the cheap test first: most names stand in no bracket
    opened = _BRACKET_TAIL.search(tail)
    if opened is None or head_of(tail[:opened.start()]) is not None:
        return False  # 报送我委（价格管理处）: a department of the name before the bracket
    m = _BRACKET_CLOSE.match(view, end)
    if m is None:
        return False
    inside, S = m.group(1).strip(), _sets()
    return inside == "" or starts_with_any(inside, S["continuations"]) is not None \
        or starts_with_any(inside, S["actor_after"]) is not None


def _support_after(after: str) -> bool:
    """争取X（和Y）的支持/资源: the support word ends a word of its own, not the start of the
    next name's head (市交通委、市规划资源局: 资源 is part of a name)."""
    m = _regexes()["partner_support"].match(after)
    return m is not None and starts_with_any(after[m.end():], lexicon().head_set) is None


def role_of(view: str, start: int, end: int, joined_to_name: bool = False) -> str | None:
    """The role of the name at ``[start, end)`` of ``view``, or None (see module doc).
    ``joined_to_name``: another name follows right after 与/和/同 (区总工会与区人社局签订):
    that one is the partner, this one is judged as a possible lead."""
    rx, S, T = _regexes(), _sets(), _triggers()
    left, right = clause_bounds(view, start, end)
    before, after = view[left:start], view[end:right]
    if not before.strip(_BLANKS) and _bare_line(view, left, right, before, after):
        return None  # a line holding only a name: a link list, a column of contacts, a caption
    tail = before.rstrip()
    tested_after = rx["after_any"].match(after) is not None   # else no test on ``after`` below matches
    tested_before = rx["before_any"].search(before) is not None   # nor any pattern searched in ``before``
    # a person's employer (复旦大学心理系主任孙时进, X公司王莉芳), a congress, an honoree
    if tested_after and rx["no_unit_after"].match(after):   # person, ordinal or honour
        return None
    if tested_after and rx["defined"].match(after) and not starts_with_any(after.lstrip(), S["defined_not"]) \
            and not ends_with_any(tail, S["lead_before"]):
        return None  # a defined term (电力调度机构包括…), GUIDELINES §3: only units that act
    if T["topic_before"].ends(tail) and not tail.endswith(("各有关", "各相关")):
        return None
    # issuer of the rule followed: 根据市总工会…通知要求, 市总今年下达的任务
    if tested_before and rx["rule_open"].search(before) and rx["rule_close"].search(after):
        return "issuer_of_rule"
    # objects of the work and topics: 组建…工会, 20家工会联合会, 工会工作, 关于群团组织
    if T["object_before"].ends(tail) or (tested_before and _COUNT_BEFORE.search(tail)) \
            or (tested_after and _COUNT_AFTER.match(after)):
        return None
    if T["object_unless_acting"].ends(tail) and not after.strip(_BLANKS + "".join(S["continuations"])) \
            and view[right:right + 1] != "\n":   # a line break may cut the clause (web copies)
        return None  # 组织专项监管工作组: organised into being, no work of its own in the clause
    rule = rx["rule_after"].match(after) if tested_after else None
    if rule and not _ASKS.match(after) and not (T["partner_before"].ends(tail) or T["agent_before"].ends(tail)) \
            and (not rule.group().endswith(lexicon().roles["rule_after_done"])
                 or starts_with_any(after[rule.end():], S["rule_after_done_marks"])):
        return "issuer_of_rule"  # 市总今年下达的任务; not 市建设行政主管部门应当制定…
    if tail.endswith("经") and T["report_via_jing"].starts(after):
        return "report_to"
    if tail.endswith("经") and T["rule_via_jing"].starts(after):
        return "issuer_of_rule"
    if T["topic_after"].starts(after):
        return None
    # report_to: 报送至区总工会, 向区总工会申报
    if T["report_before"].ends(tail) or (tested_before and rx["report_verb_mark"].search(tail)):
        return "report_to"
    if tail.endswith("向") and (rx["report_xiang"].search(after, 0, 12) or _listed_then_report(after)):
        return "report_to"
    # partner: 会同各直属工会, 与…合作, 请各街镇总工会配合, 争取相关部门的支持
    if rx["partner_before"].search(before[-6:]):
        return "partner"
    if tail.endswith(("与", "同")) and not tail.endswith(("参与", "共同", "协同")):
        return "partner"
    if tail.endswith(("和", "及")) and "联席" in after:
        return "partner"
    if not joined_to_name and tested_after and (rx["partner_after_or_joint"].match(after) or _support_after(after)):
        return "partner"
    # lead: opens its clause, is asked (请…), or acts (…要/将/负责)
    acts = T["actor_after"].starts(after.lstrip())
    at_start = tail == "" or _TIME_WORDS.fullmatch(tail) is not None or _closing_bracket(view, tail, end)
    if T["partner_kinds"].ends(view[start:end]) and not (at_start and acts):
        return "partner"  # 组织各新闻媒体进行宣传采访: the media carry what another unit leads
    opens = at_start or T["lead_before"].ends(tail)
    return "lead" if opens or acts else None
