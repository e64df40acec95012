"""Units: a task's text -> the organisations named in it and the role each plays.

``parse_units(text)`` recognises organisation names on the jieba segmentation: a token
ending in an organisation head (``models/units/lexicon.yaml``: 总工会, 工会, 局, 办, 部门…)
extended to the left over name tokens and prefixes (各, 相关, 直属, 区…) up to a verb,
preposition or punctuation, with adjacent names merged (``区总工会宣传教育部``) and
shared-head lists kept whole (``各镇、街道总工会``). The role comes from the words
around the name: 根据/按照…通知/要求 -> issuer_of_rule, 报送至/上报/向…申报 ->
report_to, 会同/联合/与…/…配合 -> partner, else lead. Objects of the work (``新增20家
工会联合会``, ``组建…工会``) are not units. ``canonicalize(mentions, document_text)``
resolves abbreviations (区总 -> 区总工会). Offsets are half-open into ``text``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..lexicon import load_yaml
from ..segment import tokens
from ..textview import matching_view


@dataclass(frozen=True)
class UnitMention:
    name: str
    role: str
    char_start: int
    char_end: int
    canonical: str | None = None


_NAME_POS = {"n", "nt", "ns", "nz", "j", "nr", "ng", "an", "vn", "f", "s", "b"}


@lru_cache(maxsize=1)
def _lex():
    cfg = load_yaml("units/lexicon.yaml")
    heads = sorted(cfg["heads"], key=len, reverse=True)
    stop = set()
    for key in ("rule_openers", "report_before", "partner_before", "partner_pairs", "object_before", "lead_before"):
        stop.update(cfg[key])
    stop.update(["深化", "充分发挥", "发挥", "举办", "领会", "发动", "动员", "集约成", "推进", "加强", "覆盖",
                 "联系", "所在", "全部", "部分", "各类", "一批"])
    cfg = {**cfg, "stop_words": stop}
    cfg["list_members"] = frozenset(cfg["list_members"])
    cfg["not_names"] = tuple(cfg["not_names"])
    return cfg, heads, set(cfg["bare_heads"]), frozenset(cfg["prefixes"])


@lru_cache(maxsize=1)
def _head_last_chars() -> frozenset[str]:
    return frozenset(h[-1] for h in _lex()[1])


@lru_cache(maxsize=1)
def _heads_by_last_char() -> dict[str, tuple[str, ...]]:
    """Multi-character heads by their last character, for heads jieba split over tokens."""
    out: dict[str, list[str]] = {}
    for h in _lex()[1]:
        if len(h) >= 2:
            out.setdefault(h[-1], []).append(h)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=65536)
def _head_of(word: str) -> str | None:
    _, heads, _, _ = _lex()
    return next((h for h in heads if word.endswith(h)), None)


def _spans(view: str, toks=None) -> list[tuple[int, int]]:
    """Name spans: runs of name tokens that end in an organisation head."""
    cfg, _, bare, prefixes = _lex()
    toks = tokens(view) if toks is None else toks
    last_chars = _head_last_chars()
    spans = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.text[-1:] not in last_chars:  # fast path: most tokens cannot end a name
            i += 1
            continue
        head = _head_of(t.text)
        if head is None:
            # a head that jieba split over tokens: 中原/护理/院
            head = next((h for h in _heads_by_last_char().get(t.text[-1:], ())
                         if len(h) > len(t.text) and view.endswith(h, 0, t.end)), None)
            if head is None or (i + 1 < len(toks) and _head_of(toks[i + 1].text)):
                i += 1
                continue
        elif any(t.text.endswith(w) for w in cfg["not_names"]) or (t.pos not in _NAME_POS and t.text != head) \
                or t.pos in ("vd", "d", "p") or (t.pos == "v" and t.text != head) \
                or (t.text == head and head in bare and t.pos.startswith("v")):
            i += 1
            continue
        # extend right over further org tokens (区总工会 宣传教育部)
        j = i
        while j + 1 < len(toks) and _head_of(toks[j + 1].text) and toks[j + 1].pos in ("nt", "n", "nz"):
            j += 1
        # a parenthesised scope right after the name: 直属工会（街镇、委局、公司）
        end = toks[j].end
        m = re.match(r"[（(][^）)]{1,20}[）)]", view[end:])
        if m and _head_of(view[end + m.end() - 1:end + m.end()]) is None and "、" in m.group():
            end += m.end()
        # extend left over name tokens and prefixes
        k = i
        while k > 0:
            prev = toks[k - 1]
            if prev.text in cfg["stop_words"] or (k >= 2 and toks[k - 2].pos == "m" and not prev.text.startswith(("各", "相关"))):
                break
            if prev.pos == "v" and k == i and k >= 2 and toks[k - 2].pos in _NAME_POS and len(prev.text) == 2 \
                    and len(toks[i].text) >= 3 and not _member(toks[i].text, cfg):
                k -= 1  # 劳动争议/调解/委员会: a verb inside the name, right before its head
                continue
            if prev.text in prefixes or prev.text in cfg["list_members"] or prev.text in ("X", "x") or \
                    (prev.pos in _NAME_POS and prev.text not in ("工作", "劳模", "干部", "党员")):
                k -= 1
                continue
            if prev.text == "、" and k >= 2 and _member(toks[k - 2].text, cfg) \
                    and any(toks[k].text.startswith(m) for m in cfg["list_members"]):
                k -= 2  # shared-head list: 各镇、街道总工会; 各委、局、公司工会
                continue
            if _member(prev.text, cfg):
                k -= 1  # 各县（市、区）总工会
                continue
            if prev.text in "（）()" and k >= 2:
                k -= 1
                continue
            break
        start = toks[k].start
        # drop a leading 请 / 由 and dangling punctuation
        while start < end and view[start] in "请由、（）() ":
            start += 1
        name = view[start:end]
        if len(name) >= 2 and not (name in bare and True):
            spans.append((start, end))
        i = j + 1
    # a list of names sharing one head yields one span: keep the longest of nested spans
    spans = [sp for sp in spans if not any(o != sp and o[0] <= sp[0] and sp[1] <= o[1] for o in spans)]
    # of two overlapping spans the longer wins
    spans = [sp for sp in spans if not any(o != sp and o[0] < sp[1] and sp[0] < o[1]
                                           and (o[1] - o[0], -o[0]) > (sp[1] - sp[0], -sp[0]) for o in spans)]
    return spans


def _role(view: str, start: int, end: int) -> str | None:
    """The role from the clause around the name, or None when the name is an object."""
    cfg, _, _, _ = _lex()
    clause_start = max(view.rfind(c, 0, start) for c in "。；;，,\n") + 1
    before = view[clause_start:start]
    nxt = [view.find(c, end) for c in "。；;，,\n"]
    clause_end = min([n for n in nxt if n >= 0], default=len(view))
    after = view[end:clause_end]
    if re.match(r"第?[一二三四五六七八九十\d]+(?:大|届|次)", after) or \
            re.match(r"[\u4e00-\u9fff]{0,4}?(?:" + "|".join(cfg["person_titles"]) + ")", after):
        return None
    if any(w in before for w in cfg["rule_openers"]) and any(w in after for w in cfg["rule_closers"]):
        return "issuer_of_rule"
    if re.match(r"[\u4e00-\u9fff]{0,3}?(?:" + "|".join(cfg["rule_after"]) + ")", after):
        return "issuer_of_rule"
    if any(before.endswith(w) for w in cfg["object_before"]) or re.search(r"\d+\s*[家个]\s*$", before) \
            or re.match(r"\s*(?:对|针对)", before):
        return None
    if re.search(r"经\s*$", before) and any(after.startswith(w) for w in cfg["report_via_jing"]):
        return "report_to"
    if any(after.startswith(w) for w in cfg["topic_after"]) or re.match(r"第?[一二三四五六七八九十\d]+(?:大|届|次)", after):
        return None
    if any(before.endswith(w) for w in cfg["report_before"]):
        return "report_to"
    if re.search(r"向\s*$", before) and any(w in after[:10] for w in cfg["report_via_xiang"]):
        return "report_to"
    if any(w in before[-6:] for w in cfg["partner_before"]):
        return "partner"
    if re.search(r"(?:^|[^\u4e00-\u9fff]|[要将])?(?:与|同)\s*$", before) and not re.search(r"(?:参与|共同)\s*$", before):
        return "partner"
    if re.search(r"(?:和|及)\s*$", before) and "联席" in after:
        return "partner"
    if re.match(r"\s*(?:积极|主动|认真|全力|大力)?(?:" + "|".join(cfg["partner_after"]) + ")", after):
        return "partner"
    if re.match(r"(?:[和及、与][^，。；]{0,12})?的?(?:" + "|".join(cfg["partner_support"]) + ")", after):
        return "partner"
    if re.match(r"\s*[和与同][^，。；]{0,8}?(?:" + "|".join(cfg["partner_joint"]) + ")", after):
        return "partner"
    opens = before.strip() == "" or any(before.endswith(w) for w in cfg["lead_before"])
    acts = any(after.lstrip().startswith(w) for w in cfg["actor_after"])
    return "lead" if opens or acts else None


def _member(word: str, cfg) -> bool:
    """A kind-of-unit word that can stand in a shared-head list (镇, 各镇, 委局)."""
    return word in cfg["list_members"] or (word.startswith("各") and word[1:] in cfg["list_members"])


def _etc_list(view: str, start: int, cfg) -> list[tuple[int, int]]:
    """The names of ``A、B、C等<category>`` ending right before ``start``, or []."""
    if not view[:start].endswith("等"):
        return []
    clause_start = max(view.rfind(c, 0, start) for c in "。；;，,\n") + 1
    found = [view.rfind(w, clause_start, start) + len(w) for w in cfg["list_openers"]
             if view.rfind(w, clause_start, start) >= 0]
    for seg_start in sorted(found):  # the opener whose list reads as names (同济 holds a 同)
        items, pos = [], seg_start
        for part in view[seg_start:start - 1].split("、"):
            if not (2 <= len(part) <= 12) or re.search(r"[\s，。\d]", part):
                items = []
                break
            items.append((pos, pos + len(part)))
            pos += len(part) + 1
        if len(items) >= 2:
            return items
    return []


def _quoted(view: str, pos: int) -> bool:
    before = view[:pos]
    return before.count("“") > before.count("”") or before.count("《") > before.count("》")


def parse_units(text: str, tokens_of_view=None) -> list[UnitMention]:
    """Organisations of ``text`` with their roles, in text order; never raises.
    ``tokens_of_view``: the segmentation of ``matching_view(text)`` when the caller has it."""
    try:
        view = matching_view(text)
        cfg, _, bare, prefixes = _lex()
        out, seen = [], set()
        for start, end in _spans(view, tokens_of_view):
            name = text[start:end]
            core = view[start:end]
            if core in bare or core in ("各", "相关"):
                continue
            if _quoted(view, start):
                continue  # a name inside “…” or 《…》 is part of a title or slogan
            role = _role(view, start, end)
            if out and re.fullmatch(r"\s*[和及、]\s*", view[out[-1].char_end:start]):
                role = out[-1].role
            if role is None:
                continue
            listed = _etc_list(view, start, cfg)
            if listed:
                # 与复旦、同济、烟草集团等区域内工会: the listed names act, the category does not
                out = [u for u in out if u.char_start < listed[0][0]]
                for a, b in listed:
                    if (text[a:b], role) not in seen:
                        seen.add((text[a:b], role))
                        out.append(UnitMention(text[a:b], role, a, b, text[a:b]))
                continue
            key = (name, role)
            if key in seen:
                continue
            seen.add(key)
            out.append(UnitMention(name, role, start, end, name))
        return out
    except Exception:  # pragma: no cover - a bug must not lose the notice
        return []


def canonicalize(mentions: list[UnitMention], document_text: str) -> list[UnitMention]:
    """Set ``canonical``: abbreviations (区总 -> 区总工会) resolved within the document."""
    cfg, _, _, _ = _lex()
    abbr = cfg["abbreviations"]
    out = []
    for m in mentions:
        canon = m.name
        view = matching_view(m.name)
        for short, full in sorted(abbr.items(), key=lambda kv: -len(kv[0])):
            if view.startswith(short) and not view.startswith(full):
                canon = full + m.name[len(short):]
                break
        out.append(replace(m, canonical=canon))
    return out
