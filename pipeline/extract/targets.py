"""Targets: a task's text -> every quantity with value, unit, object, comparator, kind.

``parse_quantities(text, doc_type=None)`` finds numbers in Arabic digits (spaces,
thousands separators, decimals), Chinese numerals (十, 二十, 两, 一百, 千, 万, 亿, mixed
``2万``) and the redaction placeholder ``X`` (value None), followed by a measure word or
unit from ``models/targets/lexicon.yaml``; reads ranges (``1至4人``), qualifiers
(``以上``, ``不少于``, ``余``, ``约``…) into a comparator; takes the object as the noun
phrase after the unit; and tells the kind (target, achieved, qualifier, info) from the
clause and the document type. Ordinals, quoted names and slogans, counts that sum up a
list (``等5张``), dates, durations and ages are not quantities. Offsets are half-open
into ``text``; matching runs on ``matching_view(text)``.
"""
from __future__ import annotations

import re
from functools import cached_property, lru_cache

from ..lexicon import load_yaml
from ..records import Quantity
from ..scan import ahead_tested, behind, matches
from ..text.punctuation import (CLAUSE_BREAK, CLAUSE_END, ITEM_BREAK, PHRASE_END, SENTENCE_BREAK,
                                SENTENCE_END, DOUBLE_CLOSE, PAREN_CLOSE, PAREN_OPEN, QUOTE_PAIRS, STRAIGHT_QUOTE,
                                char_class, chars, first_mark, inside_quotes, last_mark)
from ..text.patterns import expand
from ..text.numerals import BIG_CHARS, DIGIT_CHARS, UNIT_CHARS, cn_numeral_rx, parse_number
from ..textview import matching_view
from .pieces import over_pieces
from .target_kinds import noted_bound, reports_anything, rule_kind, shared_prefix
from .target_ranges import merge_ranges


# checks on the text right before a number (searched in a short window: same result as
# searching everything before it, without scanning it)
_DIGIT_BEFORE = re.compile(r"[\d.]$")           # 2021.5: the number continues one before it
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_OBJECT_RUN = re.compile(char_class("object_end", negated=True) + "{0,20}")
_BLANK = re.compile(r"\s")
_REDACTED_NUMBER = re.compile(r"[Xx×]+")
_CN_DIGIT_AT = re.compile("[%s]" % re.escape(DIGIT_CHARS + UNIT_CHARS))

@lru_cache(maxsize=1)
def _lex():
    cfg = load_yaml("targets/lexicon.yaml")
    first = _first_chars(cfg, cfg["redaction"])
    quantity = _patterns(cfg)["quantity"]
    # tried only at a number's first character (scan.behind): a quick test in front (a run
    # of characters a quantity holds, then a unit's first) rules out most numbers followed by no unit
    return cfg, behind(first.pattern, ahead_tested(quantity.pattern, first)) if first else behind(None, quantity), first


def _patterns(cfg: dict) -> dict[str, re.Pattern]:
    """The quantity patterns of the lexicon, their fragments expanded (``{cn_numeral}``,
    ``{big}``, ``{cn_units}``, ``{cn_chars}`` from the numeral table)."""
    fragments = {**cfg["quantity_fragments"], "redaction": cfg["redaction"], "cn_numeral": cn_numeral_rx(),
                 "big": re.escape(BIG_CHARS), "cn_units": re.escape(UNIT_CHARS),
                 "cn_chars": re.escape(DIGIT_CHARS + UNIT_CHARS)}
    lists = {**cfg, "count_noun_verbs": [v for v in cfg["count_noun_verbs"] if v]}
    return {name: re.compile(expand(rx, fragments, lists)) for name, rx in cfg["quantity_patterns"].items()}


_CN_NUM = re.escape(DIGIT_CHARS + UNIT_CHARS)


def _first_chars(cfg: dict, red: str) -> re.Pattern | None:
    """The characters a quantity's number can start with: a digit, a Chinese numeral, the
    class a redaction starts with (a prefix comparator before it is read backwards from
    the number, so that common characters such as 上, 下, 提 are no start). None (scan
    everywhere) when the redaction pattern does not start with a plain class."""
    lead = re.match(r"\[([^\]\\^][^\]\\]*)\](?![?*]|\{0)", red)  # a plain class, not optional
    if lead is None:
        return None
    return re.compile(rf"[\d{_CN_NUM}{lead.group(1)}]")


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, tuple[str, ...]]:
    """The prefix comparators by their last character, longest first."""
    out: dict[str, list[str]] = {}
    for w in sorted(_lex()[0]["prefix_comparators"], key=len, reverse=True):
        out.setdefault(w[-1], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def _prefix_before(view: str, at: int) -> tuple[str | None, int]:
    """The prefix comparator ending right before the number at ``at`` (blanks between
    allowed: 约 25000 个), and where it starts; (None, at) when there is none."""
    window = view[max(0, at - 8):at]
    stripped = window.rstrip()
    pre = next((w for w in _prefixes().get(stripped[-1:], ()) if stripped.endswith(w)), None)
    if pre is None:
        return None, at
    return pre, at - (len(window) - len(stripped)) - len(pre)


@lru_cache(maxsize=None)
def _rx(name: str) -> re.Pattern:
    """The regex ``name`` of the lexicon, compiled."""
    return re.compile(_lex()[0][name])


@lru_cache(maxsize=None)
def _words(name: str) -> tuple[str, ...]:
    """The word list ``name`` of the lexicon as a tuple (for ``str.startswith``/``endswith``)."""
    return tuple(_lex()[0][name])


@lru_cache(maxsize=None)
def _alternation(name: str, min_len: int = 1, but: str | None = None) -> re.Pattern:
    """The words of the lexicon's list ``name`` (those of ``min_len`` characters or more,
    ``but`` one) as one compiled alternation: ``_has`` tests them all in one C scan."""
    words = [w for w in _lex()[0][name] if len(w) >= min_len and w != but]
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)")


@lru_cache(maxsize=1)
def _not_after_unit() -> dict[str, tuple[str, ...]]:
    return {unit: tuple(words) for unit, words in _lex()[0]["unit_not_after"].items()}


@lru_cache(maxsize=None)
def _single_chars(name: str) -> bool:
    return all(len(w) == 1 for w in _lex()[0][name])


def _has(text: str, name: str, min_len: int = 1, but: str | None = None) -> bool:
    """Whether ``text`` holds a word of the lexicon's list ``name`` (``any(w in text …)``)."""
    return _alternation(name, min_len, but).search(text) is not None


def _value(num: str, mul: str) -> float | None:
    return parse_number(num + mul)


def _in_quotes(t: "_Text", start: int) -> bool:
    """``start`` is inside quotes (text.punctuation.inside_quotes, straight quotes counted):
    never before the text's first opening mark."""
    return start > t.first_quote and inside_quotes(t.view, start, straight=True)


# the marks that open quoted text (a straight quote opens and closes)
# (looked for with str.find, a few memchr-speed scans: a class's scan of a long text costs ~60
# instructions a character)
_QUOTE_OPENERS = "".join(pair[0] for pair in QUOTE_PAIRS) + STRAIGHT_QUOTE


def _object(view: str, text: str, end: int) -> str | None:
    # a short parenthesis inside the object stays in it: 芙蓉（长沙）工匠培育基地
    m = _rx("object_run").match(view[end:end + 60])
    if not m:
        return None
    # cut on the view (simplified script), slice the text as written
    cut = _rx("object_cut").split(view[end:end + m.end()], maxsplit=1)[0]
    return text[end:end + len(cut)].strip() or None


def _object_before(view: str, text: str, start: int) -> str | None:
    """The noun phrase right before the number (创业贷款3000万元 -> 创业贷款)."""
    clause_start = _clause_start(view, start, ITEM_BREAK)
    clause = view[clause_start:start]
    currency = next((w for w in _words("currency_words") if clause.endswith(w)), "") \
        if clause.endswith(_words("currency_words")) else ""
    run = _noun_run(clause[:len(clause) - len(currency)])   # the view: traditional script segments badly
    if run is None:
        return None
    return text[clause_start + run[0]:clause_start + run[1]]


@lru_cache(maxsize=4096)
def _noun_run(phrase: str) -> tuple[int, int] | None:
    """``[start, end)`` in ``phrase`` of the run of noun tokens at its end (numerals and
    blanks after it skipped), None when it ends with no noun. A pure function of a short
    phrase (a clause's words before a number: 全年, 参保人数 recur), segmented once."""
    from ..segment import tokens

    picked = []
    for t in reversed(tokens(phrase)):
        if t.pos and (t.pos[0] == "n" or t.pos in ("vn", "j", "nz", "l")) and t.text.strip():
            picked.append(t)
        elif picked or not t.text.strip() or t.pos == "m":
            if picked:
                break
        else:
            break
    return (picked[-1].start, picked[0].end) if picked else None


def _sums_up_list(view: str, start: int, number: str, strict: bool = False) -> bool:
    """True when the number equals the count of the items listed right before it
    (心理服务清单等 5 张; 政治建设、…和文化建设六个方面). After 等 a redacted number is
    taken as a sum too; without 等 (``strict``) the counts must match exactly."""
    clause_start = _clause_start(view, start, CLAUSE_BREAK)
    listed = view[clause_start:start].rstrip().removesuffix(_lex()[0]["list_etc"])
    joiners = _words("list_joiners")
    if listed.endswith(joiners):
        return False    # …疗休养和4万名职工体检: the number opens the list's last item, it sums nothing
    # items are parted by the first joiner (、), the others join only the last two (A、B和C); a
    # 及 inside a word of the first item (涉及浦东新区、…) parts nothing
    parts = listed.split(joiners[0])
    items = len(parts) + sum(parts[-1].count(j, 1, len(parts[-1]) - 1) for j in joiners[1:]) if listed else 0
    value = parse_number(number) if not _REDACTED_NUMBER.fullmatch(number) else None
    if value is None:
        return not strict
    return items >= 2 and items == value


class _Text:
    """A text's view and its document's type, with what the kind of each of its quantities
    reads of the whole text: worked out once, when first asked, not per quantity."""

    def __init__(self, view: str, doc_type: str | None):
        self.view, self.doc_type = view, doc_type

    @cached_property
    def summary(self) -> bool:
        """Read as a summary's: its document is one, or of unknown type and the text reports."""
        return self.doc_type == "summary" or (self.doc_type is None and _reports(self.view))

    @cached_property
    def first_quote(self) -> int:
        """Where its first opening quote mark is (its length when it has none)."""
        found = [at for at in map(self.view.find, _QUOTE_OPENERS) if at >= 0]
        return min(found, default=len(self.view))

    @cached_property
    def formula_signs(self) -> bool:
        """It holds a formula sign (lexicon's ``formula_signs``)."""
        return any(map(self.view.__contains__, _words("formula_signs")))

    @cached_property
    def reports(self) -> bool:
        """It holds a report's mark at all (target_kinds.reports_anything)."""
        return reports_anything(self.view)


def _kind(t: _Text, start: int, end: int, unit: str, comparator: str, clause_start: int | None = None) -> str:
    """target, achieved, qualifier or info (GUIDELINES §5) from the quantity's neighbours,
    its clause (from ``clause_start``, when the caller has it) and the document's type (a
    summary reports: achieved)."""
    cfg, _, _ = _lex()
    view, doc_type = t.view, t.doc_type
    if comparator in ("gte", "lte") and (_is_qualifier(view, start, end) or unit in cfg["measure_units"]
                                          and view[start:end].endswith(_bound_suffixes())
                                          and _scopes_noun(view, end)):
        return "qualifier"
    if clause_start is None:
        clause_start = _clause_start(view, start, CLAUSE_BREAK)
    clause = view[clause_start:start]
    if _names_programme(view, start, end, unit):
        return "info"
    ruled = rule_kind(view, start, end, clause_start, comparator, unit, _words("measure_units"), cfg["attributive"],
                      doc_type, doc_type != "plan" and t.reports)
    if ruled is not None:
        return ruled     # 超过3%的部分: a threshold; 0.0522元/千瓦时, 按…5.79%计算: a rule's figure
    summary = t.summary
    has_done = _has(clause, "done_marks")
    breakdown = cfg["breakdown_word"]
    if breakdown in clause and not has_done \
            or view[max(0, clause_start - 4):clause_start].rstrip(chars("commas")).endswith(breakdown):
        return "info"
    if _has(clause, "info_words", 2, breakdown) \
            or (clause.endswith(cfg["there_is"]) and not clause.endswith(cfg["there_is_done"])):
        # 今年共有X家单位参保: what the summarised period brought; 目前共有困难职工X名: what there is
        if not (summary and _has(clause, "period_words") and not _has(clause, "now_words")):
            return "info"
    if summary:
        return "target" if _has(clause, "plan_words_in_summaries") else "achieved"
    if clause.rstrip().endswith(_words("stock_after")):
        return "info"   # 完善嘉定区389名劳模信息库: the people there, not a number to reach
    if _has(clause, "achieved_words", 2) or doc_type != "plan" and _has(clause, "achieved_words_outside_plans", 2) \
            or has_done:
        return "achieved"
    if clause.rstrip().endswith(_words("info_endings")) or view[end:end + 1] == DOUBLE_CLOSE:
        return "info"
    return "target"


@lru_cache(maxsize=1)
def _bound_suffixes() -> tuple[str, ...]:
    """Suffix comparators that bound (以上, 及以下 …): a measure so bounded before a noun scopes it
    (400千瓦及以上用户); a cap written before the measure does not (不高于46992.70吨标准煤)."""
    return tuple(w for w, c in _lex()[0]["suffix_comparators"].items() if c in ("gte", "lte"))


def _scopes_noun(view: str, end: int) -> bool:
    """A noun follows the measure (100兆瓦及以上的储能电站, 400千瓦及以上用户)."""
    rest = view[end:end + 2].removeprefix(_lex()[0]["attributive"])
    return bool(rest) and _CJK.match(rest) is not None and not rest.startswith(_words("not_scoped"))


def _is_qualifier(view: str, start: int, end: int) -> bool:
    """A threshold that scopes the work: ``25人以上企业``, ``建筑面积15万平方米以上的住宅小区``,
    ``（单体建筑面积2万平方米以上）``."""
    cfg = _lex()[0]
    rest = view[end:end + 6]
    if rest.lstrip(cfg["attributive"]).startswith(_words("qualifier_heads")):
        return True
    before = view[max(0, start - 6):start].rstrip(cfg["attribute_linkers"])
    if before.endswith(_words("qualifier_attributes")):
        return rest[:1] in (cfg["attributive"], *PAREN_CLOSE)
    return False


def _names_programme(view: str, start: int, end: int, unit: str) -> bool:
    """A count that names a programme or a package of measures (§5, §7): ``10 项服务职工实项目``,
    ``11件2020年服务职工的实事项目``, ``稳经济20条``, or counts the goals it lists (``4个100%目标``)."""
    cfg, _, _ = _lex()
    obj = _OBJECT_RUN.match(view, end, end + 20).group()
    if obj.endswith(_words("programme_objects")) or obj.startswith(_words("programme_objects")):
        return True
    if unit in cfg["goal_count_units"] and obj.endswith(_words("goal_objects")):
        return True       # 4个100%目标: the count of the goals listed after it
    if unit in cfg["package_units"]:
        prev = view[start - 1:start] if start else ""
        if _CJK.match(prev) and not view[max(0, start - 2):start].endswith(_words("package_verbs")) \
                and not _CJK.match(view[end:end + 1] or " "):
            return True
    return False


def _reports(view: str) -> bool:
    """A text that reports far more than it plans (了, 已, 累计 … against 要, 将, 力争 …):
    read as a summary's when the document's type is unknown."""
    cfg, _, _ = _lex()
    text = view
    for w in cfg["reported_not"]:
        text = text.replace(w, "")
    done = sum(text.count(w) for w in cfg["reported_aspect"])
    for w in cfg["planned_not"]:
        text = text.replace(w, "")
    planned = sum(text.count(w) for w in cfg["planned_aspect"])
    return done >= 3 and done > 2 * planned


def _lead(view: str, start: int, size: int = 8) -> str:
    """The last ``size`` characters before ``start`` once the blanks right before it are
    dropped (``view[:start].rstrip()[-size:]``), looked for near ``start`` first."""
    near = view[max(0, start - 2 * size):start].rstrip()
    if len(near) < size and start > 2 * size:
        near = view[:start].rstrip()   # a long run of blanks: look further
    return near[-size:]


def _clause_start(view: str, start: int, breaks: str) -> int:
    """Where the clause holding ``start`` begins: after the last of ``breaks`` before it
    (looked for near ``start`` first: the same answer without scanning a long text)."""
    return last_mark(view, breaks, start) + 1


def _line(view: str, at: int) -> tuple[int, int]:
    """[start, end) of the line holding ``at``."""
    end = view.find("\n", at)
    return view.rfind("\n", 0, at) + 1, end if end >= 0 else len(view)


def _in_formula(t: "_Text", start: int, end: int) -> bool:
    """A number in a formula or a band: next to an arithmetic sign, or on a line with two
    or more formula signs, one of them in its clause (``arithmetic_signs``, ``formula_signs``
    of the lexicon)."""
    view = t.view
    before, after = view[max(0, start - 4):start].rstrip(), view[end:end + 4].lstrip()
    if before.endswith(_words("arithmetic_signs")) or after.startswith(_words("arithmetic_signs")):
        return True
    if before[-1:] in ("x", "X") and not _LATIN.match(before[-2:-1] or " "):
        return True   # … ) x 100%: a Latin x between blanks multiplies
    if not t.formula_signs:
        return False
    lo, hi = _line(view, start)
    signs = _alternation("formula_signs")
    one = signs.search(view, lo, hi)
    if one is None:
        return False
    if _single_chars("formula_signs"):   # then the signs on the line are the class's matches
        if signs.search(view, one.end(), hi) is None:
            return False
    elif sum(view.count(sign, lo, hi) for sign in _words("formula_signs")) < 2:
        return False
    # … and its own clause holds one (水电50%，火电80% on a line that also has a formula is a share)
    c0 = last_mark(view, CLAUSE_END, start, lo) + 1
    c1 = first_mark(view, CLAUSE_END, end, hi)
    if c1 < 0:
        c1 = hi
    return signs.search(view, max(c0, lo), c1) is not None


def _table_cell(view: str, start: int, end: int) -> bool:
    """A percentage alone on its line, with a figure alone on the line before or after it
    (全厂方式⏎20%⏎100%⏎4%PN/min), or in a row of them (春秋季 - 65% 55% 80%), or a band
    ([40%,50%)): a cell of a table of figures."""
    lo, hi = _line(view, start)
    near = max(lo, start - 48), min(hi, end + 48)   # a row or a band around the figure, not the whole line
    if view.count("%", *near) + view.count("％", *near) > 1 and any(
            r.start() <= start and end <= r.end() for name in ("table_row", "interval")
            for r in _rx(name).finditer(view, *near)):
        return True
    if not _rx("table_cell").match(view[lo:hi]) or end > hi:
        return False
    prev = view[:max(0, lo - 1)].rstrip("\n").rsplit("\n", 1)[-1] if lo else ""
    nxt = view[hi + 1:].lstrip("\n").split("\n", 1)[0] if hi < len(view) else ""
    return any(line.strip() and _rx("table_cell").match(line) for line in (prev, nxt))


def _amount_of_time(view: str, start: int) -> bool:
    clause_start = _clause_start(view, start, CLAUSE_BREAK)
    return _has(view[clause_start:start], "duration_amount_words")


def _broken_down(view: str, found: list[Quantity], start: int) -> Quantity | None:
    """The quantity that the one at ``start`` is a part of: a 其中 stands between them in
    one sentence (总数X名，其中，A X名，B X名 …), or opens the sentence after the one that
    ends with it (…总规模的30%。其中，年度…上限为105亿千瓦时)."""
    word = _lex()[0]["breakdown_word"]
    if not found or view.find(word, found[0].char_end, start) < 0:
        return None   # no 其中 after the first quantity's end: nothing before it to be a part of
    sentence = _clause_start(view, start, SENTENCE_BREAK)
    at = view.rfind(word, sentence, start)
    if at < 0:
        return None
    before = [q for q in found if sentence <= q.char_start and q.char_end <= at]
    if before:
        return before[-1]
    earlier = [q for q in found if q.char_end <= at]
    if earlier and not view[sentence:at].strip() and \
            sum(view.count(c, earlier[-1].char_end, at) for c in SENTENCE_END) <= 1:
        return earlier[-1]
    return None


def parse_quantities(text: str, doc_type: str | None = None, view: str | None = None) -> list[Quantity]:
    """Every quantity of ``text`` in text order. A bug raises: ``process.py`` turns it into
    an ``extractor_failed`` warning for the task."""
    view = matching_view(text) if view is None else view   # ``view``: when the caller has it
    return over_pieces(lambda piece, piece_view: _parse(piece, doc_type, piece_view), text, view)


def _parse(text: str, doc_type: str | None, view: str | None = None) -> list[Quantity]:
    cfg, scan, _ = _lex()
    view = matching_view(text) if view is None else view
    reading = _Text(view, doc_type)
    out: list[Quantity] = []
    for m in matches(scan, view):
        a, unit = m.group("a"), m.group("unit")
        a0 = m.start("a")
        pre, start = _prefix_before(view, a0)
        end = m.end("whole")
        if out and start < out[-1].char_end:
            pre, start = None, a0   # the previous quantity ends where the prefix would start
        before = view[max(0, start - 5):start].rstrip()   # 第⏎二十一条: a line broken after 第
        after = view[end:end + 3]
        if before.endswith(_words("not_before")) or after.startswith(_words("not_after")) \
                or unit in _not_after_unit() and view.startswith(_not_after_unit()[unit], m.end("unit")):
            continue     # 两部制, 零部件, 二次设备: a word, not a count
        if _DIGIT_BEFORE.search(view, max(0, a0 - 2), a0) \
                or _LATIN.match(view[a0 - 1:a0] or " ") and not _rx("redaction").fullmatch(a):
            continue
        if _in_quotes(reading, a0):
            continue
        lead = _lead(view, start)  # the text before the quantity, up to its last word
        after_etc = lead.endswith(cfg["list_etc"])
        if (after_etc or _rx("list_marks").search(view, max(0, start - 12), start)) \
                and _sums_up_list(view, start, a, strict=not after_etc):
            continue  # 心理服务清单等 5 张: a count that sums up the list just given
        if before.endswith(DOUBLE_CLOSE) and view.startswith(_words("summary_nouns"), end):
            continue  # “基本保障”和“美好生活向往”两个层次
        if _rx("every").search(lead[-3:]):
            continue  # 每月1次: a recurring schedule
        if not a[0].isdigit() and _CN_DIGIT_AT.match(view, end):
            continue  # 四位一体, 一岗双责: a slogan
        if len(a) > 1 and all(ch in DIGIT_CHARS for ch in a):
            continue  # 一二次设备, 一一对应: digits in a row are a word, not a count
        if view.startswith(_words("slogans"), a0):
            continue  # 两个维护, 四个意识
        redacted = bool(_rx("redaction").fullmatch(a))
        if not redacted and a == cfg["article_numeral"] and not m.group("amul") and unit not in cfg["one_counts"]:
            continue  # 一批, 一个: an article, not a count (一名联络员 is one)
        if unit in cfg["duration_units"] and not _amount_of_time(view, start):
            continue  # 2小时内报送: a duration
        if _BLANK.sub("", view[end:end + 12]).startswith(_words("duration_nouns")):
            continue  # 1个工作日内提出: a duration
        if _in_formula(reading, start, end) or unit in ("%", "％") and _table_cell(view, start, end):
            continue  # ×100%, 30%≤负荷率＜35%, a column of figures
        value = None if redacted else _value(a, m.group("amul") or "")
        if not redacted and value is None:
            continue
        vmax = _value(m.group("b"), m.group("bmul") or "") if m.group("b") else None
        comparator = "eq"
        clause_start = _clause_start(view, start, CLAUSE_BREAK)
        if pre is None:
            pre_of_share = shared_prefix(view, clause_start, start)
            if pre_of_share:
                comparator = cfg["prefix_comparators"][pre_of_share]   # 不超过当月电量的1.5%
        if pre:
            comparator = cfg["prefix_comparators"][pre]
        post = m.group("post") or view[end:end + 1] in PAREN_OPEN and noted_bound(view, end)   # 5%（含）以内
        if post:
            comparator = cfg["suffix_comparators"][post]
        if m.group("yu"):
            comparator = "gte"
        if vmax is not None:
            if value is None or vmax < value:
                continue
            comparator = "range"
        # a trailing 左右 after the unit
        approx = cfg["approx_after"]
        if view.startswith(approx, end):
            comparator, end = "approx", end + len(approx)
        money = cfg["money"].get(unit)
        if money and value is not None:
            value = round(value * money, 6)
            vmax = round(vmax * money, 6) if vmax is not None else None
        if money:
            unit = cfg["money_unit"]
        if unit == "％":
            unit = "%"
        if m.group("per"):   # a rate: 0.0522元/千瓦时, 10万元/月·台
            unit += "/" + m.group("per") + (cfg["per_dot"] + m.group("per2") if m.group("per2") else "")
        obj = _object(view, text, end) if view[end:end + 1] not in PHRASE_END and end < len(view) \
            else _object_before(view, text, start)
        kind = _kind(reading, start, end, unit, comparator, clause_start)
        part_of = _broken_down(view, out, start)
        if part_of is not None:
            kind = part_of.kind     # 其中…: the parts of a quantity are of its kind
        out.append(Quantity(text[start:end], value, vmax, unit, obj, comparator, kind, start, end, redacted))
    if len(out) > 1:
        out = merge_ranges(out, text, view, lambda s0, s1, unit, comparator: _kind(reading, s0, s1, unit, comparator))
    return _with_counted_nouns(out, text, reading)


@lru_cache(maxsize=1)
def _counted_rx() -> re.Pattern:
    """A count written with a multiplier only, after the noun it counts (参保人数达500万以上)."""
    return _patterns(_lex()[0])["counted"]


def _with_counted_nouns(found: list[Quantity], text: str, t: _Text) -> list[Quantity]:
    """``found`` plus the counts that take their unit from the noun they count (§7)."""
    view = t.view
    if not any(map(view.__contains__, BIG_CHARS)):
        return found    # a few str.find scans: a class's scan costs ~60 instructions a character
    cfg = _lex()[0]
    extra = []
    for m in _counted_rx().finditer(view):
        verb = m.group("verb") or ""
        start = m.start("verb") if verb in cfg["prefix_comparators"] else m.start("a")
        end = m.end()
        if any(q.char_start < end and start < q.char_end for q in found) or _in_quotes(t, start):
            continue
        value = parse_number(m.group("a") + m.group("amul"))
        if value is None:
            continue
        comparator = cfg["prefix_comparators"].get(verb, "eq")
        if m.group("post"):
            comparator = cfg["suffix_comparators"][m.group("post")]
        if m.group("yu"):
            comparator = "gte"
        unit = cfg["count_nouns"][m.group("cnoun")]
        obj = _object_before(view, text, m.end("cnoun"))
        kind = _kind(t, start, end, unit, comparator)
        extra.append(Quantity(text[start:end], value, None, unit, obj, comparator, kind, start, end))
    return sorted(found + extra, key=lambda q: q.char_start) if extra else found
