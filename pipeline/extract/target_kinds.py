"""The kind of a quantity in a rule: a threshold that scopes it, or a price, rate or parameter
it sets (GUIDELINES §5, §7), read from ``models/targets/kinds.yaml``.

``rule_kind(view, start, end, clause_start, comparator, rate)`` -> ``"qualifier"``,
``"info"`` or None (no rule signal: the caller's reading stands). ``view`` is the matching
view of a task's text, ``[start, end)`` the quantity in it (prefix comparator included),
``clause_start`` where its clause begins. A price or rate unit (元/千瓦时) is a rule's figure;
the rule's words make a share or a measure (%, 元, 千瓦) one, never a count of people or things
(补贴3.5万名职工 stays a target).
``shared_prefix(view, clause_start, at)`` reads a comparator that bounds a share written
after it (不超过当月上网电量的1.5% -> lte).
"""
from __future__ import annotations

import re
from functools import lru_cache
from types import SimpleNamespace

from ..lexicon import load_yaml
from ..text.patterns import alternation
from ..text.punctuation import ITEM_BREAK, PAREN_CLOSE, PAREN_OPEN, SENTENCE_END, first_mark, last_mark

_CJK = re.compile(r"[\u4e00-\u9fff]")
_PAREN_OPEN = re.compile("[%s]" % re.escape(PAREN_OPEN))


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return load_yaml("targets/kinds.yaml")


@lru_cache(maxsize=None)
def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(_cfg()[name], key=len, reverse=True))


@lru_cache(maxsize=None)
def _alternation(name: str) -> re.Pattern:
    return re.compile(alternation(_words(name)) or "(?!)")


@lru_cache(maxsize=1)
def _k() -> SimpleNamespace:
    """The lists of kinds.yaml as tuples (longest first) and alternations, read once: the checks
    run on every quantity, so they read attributes instead of calling for each list."""
    cfg = _cfg()
    lists = {name: _words(name) for name, v in cfg.items() if isinstance(v, list) and name != "nominal_ends"}
    alts = {name + "_rx": _alternation(name) for name in ("reach_words", "condition_comparisons")}
    # a parameter word, unless it is part of a word that sets none (按时, 标准化): those first
    param = re.compile("(?P<no>%s)|(?P<yes>%s)" % (alternation(lists["parameter_not"]),
                                                   alternation(lists["parameter_words"])))
    return SimpleNamespace(**lists, **alts, param_rx=param, rate_kind=cfg["rate_kind"],
                           nominal_ends=frozenset(cfg["nominal_ends"]))


def _has(text: str, name: str, but: str | None = None) -> bool:
    """Whether ``text`` holds a word of list ``name`` (once the words of ``but`` are taken out)."""
    if but is not None and _alternation(name).search(text) is not None:
        text = _alternation(but).sub("", text)
    return _alternation(name).search(text) is not None


def _after(view: str, end: int, bound: bool = False) -> str:
    """The text right after the quantity, an inclusion note (（含）) skipped, and with ``bound``
    a bound written after the note (（含，下同）以内)."""
    rest = view[end:end + 16].lstrip()
    k = _k()
    if not rest.startswith(k.inclusion_notes):
        return rest
    rest = rest[len(next(n for n in k.inclusion_notes if rest.startswith(n))):].lstrip()
    if bound and rest.startswith(k.bound_words):
        rest = rest[len(next(w for w in k.bound_words if rest.startswith(w))):]
    return rest


def noted_bound(view: str, end: int) -> str | None:
    """A bound written after an inclusion note right after the quantity (5%（含，下同）以内,
    120%（含）以上): the suffix comparator it is, None when there is none."""
    if view[end:end + 1] not in PAREN_OPEN:
        return None
    after = _after(view, end)
    return next((w for w in _words("bound_words") if after.startswith(w)), None) \
        if len(after) < len(view[end:end + 16].lstrip()) else None


def _condition(after: str, clause: str, comparator: str, attributive: str, measure: bool) -> str | None:
    """qualifier for a threshold a rule is scoped by, info for another count in a condition
    (若两台机组排序相同), None outside conditions; ``after`` is the text after the quantity."""
    k = _k()
    if after.startswith(k.condition_after):
        return "qualifier"  # 超过3%的部分, 超出实际发电量5%时, 低于45%的时段
    if after[:1] in k.nominal_ends and after[1:].lstrip().startswith(k.condition_then):
        return "qualifier"  # …的115%，则视该月份为丰水月份
    if comparator in ("gte", "lte", "range") and after.startswith(attributive):
        noun = after[len(attributive):]
        if noun[:1] in k.nominal_ends:
            return "qualifier"  # 100千伏安及以下的，执行单一制电价
        if measure and _CJK.match(noun[:1] or " ") and not noun.startswith(k.required_nouns):
            return "qualifier"  # 不超过6兆瓦的项目 (不少于20场次的活动 counts them: no threshold)
    if clause.lstrip().startswith(k.condition_openers):
        threshold = comparator in ("gte", "lte") or k.condition_comparisons_rx.search(clause) is not None
        return "qualifier" if threshold else "info"
    return None


@lru_cache(maxsize=1)
def _spec_rx() -> tuple[re.Pattern, re.Pattern]:
    """(a parenthesis still open before a figure, whose attribute opens it or stands right
    before the figure; a parenthesis opening with an attribute after a noun) as two patterns."""
    attrs = "|".join(map(re.escape, _words("spec_attributes")))
    opens, closes = re.escape(PAREN_OPEN), re.escape(PAREN_CLOSE + PAREN_OPEN)
    ends = re.escape("".join(_cfg()["nominal_ends"]) + PAREN_OPEN)
    inside = re.compile(rf"[{opens}](?:(?:{attrs})[^{closes}]*|[^{closes}]*(?:{attrs})\s*)\Z")
    follows = re.compile(rf"[^{ends}]{{1,15}}[{opens}](?:{attrs})")
    return inside, follows


def _in_spec(view: str, start: int) -> bool:
    """A figure of a specification: in a parenthesis that opens with a specification's
    attribute or right after one (（功率1700千瓦）, （2台容量2500千伏安、空载损耗2.45千瓦）)."""
    return _spec_rx()[0].search(view, max(0, start - 40), start) is not None


def _specified(view: str, end: int) -> bool:
    """A count of things a specification follows (5套自动投料系统（功率120千瓦）)."""
    return _spec_rx()[1].match(view, end) is not None


def reports_anything(view: str) -> bool:
    """Whether ``view`` holds a report's mark at all (most texts of rules hold none): asked
    once per text by the caller of ``rule_kind``."""
    return any(map(view.__contains__, _k().report_marks))   # a few str.find: faster than one alternation's scan


@lru_cache(maxsize=1)
def _plans() -> tuple[re.Pattern, re.Pattern]:
    """(lexicon.yaml's planned_aspect, its planned_not) as two alternations."""
    lex = load_yaml("targets/lexicon.yaml")
    return re.compile(alternation(lex["planned_aspect"])), re.compile(alternation(lex["planned_not"]))


def _reported(view: str, start: int, end: int) -> bool:
    """The quantity's sentence (within 160 characters of it) compares with the year before
    (同比增长5.9%) and plans nothing."""
    lo, hi = max(0, start - 160), min(len(view), end + 160)
    s0 = last_mark(view, SENTENCE_END, start, lo) + 1
    s1 = first_mark(view, SENTENCE_END, end, hi)
    sentence = view[max(lo, s0):s1 if s1 >= 0 else hi]
    if not _has(sentence, "report_marks", but="report_not"):
        return False
    planned, planned_not = _plans()
    return planned.search(planned_not.sub("", sentence)) is None


def rule_kind(view: str, start: int, end: int, clause_start: int, comparator: str, unit: str,
              measure_units: tuple[str, ...], attributive: str, doc_type: str | None = None,
              reports: bool = True) -> str | None:
    """qualifier, info, achieved or None for the quantity ``view[start:end]`` of ``unit`` (see
    the module's doc); ``measure_units`` are those that measure (千瓦, 元) rather than count;
    ``reports``: ``reports_anything(view)``, worked out once per text by the caller (False:
    no quantity of the text reads as reported)."""
    k = _k()
    clause = view[max(clause_start, start - 48):start]   # the words that tell are near (a clause may run on)
    rate = "/" in unit
    measure = rate or unit in measure_units or unit in k.share_units
    after = view[end:end + 16].lstrip()
    if after.startswith(k.inclusion_notes):
        after = _after(view, end, bound=True)
    condition = _condition(after, clause, comparator, attributive, measure)
    if condition is not None:
        return condition
    if doc_type != "plan" and reports and _reported(view, start, end):
        return "achieved"                # 用电量达1849亿千瓦时，同比增长5.9%
    reach = k.reach_words_rx.search(clause) is not None or after.startswith(k.requirement_after)
    if rate and not reach:
        return k.rate_kind               # 0.0522元/千瓦时: a price
    if measure and not reach and (any(m.lastgroup == "yes" for m in k.param_rx.finditer(clause))
                                  or after.lstrip(PAREN_CLOSE).startswith(k.parameter_after)):
        return "info"                    # 按…线损率5.79%计算, 补偿标准取20元
    if clause.rstrip().endswith(k.naming_verbs) or after.startswith(k.naming_objects):
        return "info"                    # 分为以下四种类型, 两个阶段, 一式三份
    if _PAREN_OPEN.search(view, max(0, start - 40), end + 16) \
            and (_in_spec(view, start) or not reach and _specified(view, end)):
        return "info"                    # 7台涂布机（功率1700千瓦）
    return None


@lru_cache(maxsize=1)
def _bound_prefixes() -> re.Pattern:
    """A bounding prefix comparator, a noun phrase ending in 的, then the end (the number)."""
    cfg = load_yaml("targets/lexicon.yaml")
    alt = alternation(w for w, c in cfg["prefix_comparators"].items() if c in ("gte", "lte"))
    marks = re.escape(ITEM_BREAK.replace("\n", ""))   # a line break inside a phrase parts nothing
    return re.compile(rf"(?P<pre>{alt})[^\d%{marks}]{{1,20}}?{re.escape(cfg['attributive'])}\s*$")


def shared_prefix(view: str, clause_start: int, at: int) -> str | None:
    """The bounding comparator of a share written after a noun phrase (不超过当月上网电量的1.5%,
    上限为交易电量总规模的30%), None when there is none."""
    if not view[max(clause_start, at - 3):at].rstrip().endswith(load_yaml("targets/lexicon.yaml")["attributive"]):
        return None   # most numbers follow no 的: no search
    m = _bound_prefixes().search(view, max(clause_start, at - 28), at)
    return m.group("pre") if m else None
