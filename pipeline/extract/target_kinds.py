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

from ..lexicon import load_yaml
from ..text.punctuation import BRACKET_OPENERS, BRACKETS, ITEM_BREAK, PAREN_CLOSE

_CJK = re.compile(r"[\u4e00-\u9fff]")
_OPEN_PARENS = "".join(p for p in BRACKET_OPENERS if BRACKETS[p] in PAREN_CLOSE)   # （ (


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return load_yaml("targets/kinds.yaml")


@lru_cache(maxsize=None)
def _words(name: str) -> tuple[str, ...]:
    return tuple(sorted(_cfg()[name], key=len, reverse=True))


@lru_cache(maxsize=None)
def _alternation(name: str) -> re.Pattern:
    return re.compile("|".join(map(re.escape, _words(name))) or "(?!)")


def _has(text: str, name: str, but: str | None = None) -> bool:
    """Whether ``text`` holds a word of list ``name`` (once the words of ``but`` are taken out)."""
    if but is not None and _alternation(name).search(text) is not None:
        text = _alternation(but).sub("", text)
    return _alternation(name).search(text) is not None


def _after(view: str, end: int) -> str:
    """The text right after the quantity, an inclusion note (（含）) skipped."""
    rest = view[end:end + 12].lstrip()
    note = next((n for n in _words("inclusion_notes") if rest.startswith(n)), "")
    return rest[len(note):].lstrip()


def _is_threshold(view: str, end: int, clause: str, comparator: str, attributive: str, measure: bool) -> bool:
    after = _after(view, end)
    if after.startswith(_words("condition_after")):
        return True      # 超过3%的部分, 超出实际发电量5%时, 低于45%的时段
    if comparator in ("gte", "lte") and after.startswith(attributive):
        noun = after[len(attributive):]
        if noun[:1] in _cfg()["nominal_ends"]:
            return True  # 100千伏安及以下的，执行单一制电价
        if measure and _CJK.match(noun[:1] or " ") and not noun.startswith(_words("required_nouns")):
            return True  # 不超过6兆瓦的项目 (不少于20场次的活动 counts them: no threshold)
    opened = clause.lstrip().startswith(_words("condition_openers"))
    return opened and (comparator in ("gte", "lte") or _has(clause, "condition_comparisons"))


def _in_spec(view: str, start: int) -> bool:
    """Inside a parenthesis that opens with a specification's attribute (（功率1700千瓦）)."""
    lo = max(0, start - 16)
    opened = max(view.rfind(p, lo, start) for p in _OPEN_PARENS)
    if opened < 0 or any(view.find(c, opened, start) >= 0 for c in PAREN_CLOSE):
        return False
    return view.startswith(_words("spec_attributes"), opened + 1)


def rule_kind(view: str, start: int, end: int, clause_start: int, comparator: str, unit: str,
              measure_units: tuple[str, ...], attributive: str) -> str | None:
    """qualifier, info or None for the quantity ``view[start:end]`` of ``unit`` (see the
    module's doc); ``measure_units`` are those that measure (千瓦, 元) rather than count."""
    cfg = _cfg()
    clause = view[clause_start:start]
    rate = "/" in unit
    measure = rate or unit in measure_units or unit in cfg["share_units"]
    if _is_threshold(view, end, clause, comparator, attributive, measure):
        return "qualifier"
    reach = _has(clause, "reach_words")
    if rate and not reach:
        return cfg["rate_kind"]          # 0.0522元/千瓦时: a price
    if measure and not reach and (_has(clause, "parameter_words", but="parameter_not")
                      or _after(view, end).lstrip(PAREN_CLOSE).startswith(_words("parameter_after"))):
        return "info"                    # 按…线损率5.79%计算, 补偿标准取20元
    if clause.rstrip().endswith(_words("naming_verbs")) or view[end:end + 6].lstrip().startswith(_words("naming_objects")):
        return "info"                    # 分为以下四种类型, 两个阶段
    if _in_spec(view, start):
        return "info"                    # 7台涂布机（功率1700千瓦）
    return None


@lru_cache(maxsize=1)
def _bound_prefixes() -> re.Pattern:
    """A bounding prefix comparator, a noun phrase ending in 的, then the end (the number)."""
    cfg = load_yaml("targets/lexicon.yaml")
    words = [w for w, c in cfg["prefix_comparators"].items() if c in ("gte", "lte")]
    alt = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    marks = re.escape(ITEM_BREAK.replace("\n", ""))   # a line break inside a phrase parts nothing
    return re.compile(rf"(?P<pre>{alt})[^\d%{marks}]{{1,20}}?{re.escape(cfg['attributive'])}\s*$")


def shared_prefix(view: str, clause_start: int, at: int) -> str | None:
    """The bounding comparator of a share written after a noun phrase (不超过当月上网电量的1.5%,
    上限为交易电量总规模的30%), None when there is none."""
    m = _bound_prefixes().search(view, max(clause_start, at - 28), at)
    return m.group("pre") if m else None
