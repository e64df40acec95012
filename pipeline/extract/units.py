"""Units: a task's text -> the organisations named in it and the role each plays.

``parse_units(text)`` takes one task's clean text (the item after its label) and
returns ``UnitMention`` records in text order, with half-open ``[char_start, char_end)``
offsets into ``text`` and ``name == text[char_start:char_end]`` (names are sliced from
the original, so traditional script stays as written). Steps, each in its own module:
- ``units_recognize``: organisation names on the jieba segmentation of the matching
  view (heads, prefixes, shared-head lists, scopes; ``models/units/``);
- ``units_roles``: lead / partner / report_to / issuer_of_rule from the words around
  the name, or no unit at all (objects of the work, topics, employers of people);
- here: lists (``A、B等<category>`` yields the listed names; names joined by 和/及/、
  share a role), names inside “…”/《…》 dropped, one mention per (name, role) and task;
- ``units_canonical``: ``canonicalize(mentions, document_text)`` resolves abbreviations
  (``区总`` -> ``区总工会``) within the document.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from ..records import UnitMention
from ..segment import tokens
from ..text.patterns import alternation
from ..textview import matching_view, part_and_view
from .units_canonical import canonicalize, canonical_name  # noqa: F401  (public API)
from .pieces import PIECE_CHARS, over_pieces
from .units_labels import label_scopes
from .units_lexicon import head_of, lexicon, starts_with_any
from ..text.labels import starts_with_label
from ..text.punctuation import QUOTE_PAIRS, char_class, inside_quotes as _quoted
from .units_recognize import name_spans
from .units_roles import clause_bounds, role_of

ROLES = ("lead", "partner", "report_to", "issuer_of_rule")
_JOINERS = re.compile(r"\s*[和及、与]\s*")
# 等 closing a list, with an optional count before the category (等一批, 等5家)
_ETC_WORD = r"等(?:一批|一些|多家|[\d一二三四五六七八九十几数]+[家个所])?"
_ETC = re.compile(_ETC_WORD + "$")
_ETC_ANYWHERE = re.compile(_ETC_WORD)   # no list closes before the first 等 of the view


def _etc_list(view: str, start: int, names=()) -> list[tuple[int, int]]:
    """The names of ``A、B、C等<category>`` ending right before ``start``, or []. The list
    opens after a list opener (与, 会同, 盘活…) or at the clause start; at least one of
    its items must be a name by itself (a head, a fixed name) for the list to count."""
    m = _ETC.search(view, 0, start)
    if not m:
        return []
    etc = m.start()
    left, _ = clause_bounds(view, etc, etc)
    lex = lexicon()
    found = {left} | {view.rfind(w, left, etc) + len(w) for w in lex.roles["list_openers"]
                      if view.rfind(w, left, etc) >= 0}
    for seg_start in sorted(found, reverse=True):  # the nearest opener whose list reads as names
        items, pos = [], seg_start
        for part in view[seg_start:etc].split("、"):
            if not (2 <= len(part) <= 12) or re.search(r"[\s，。\d]", part):
                items = []
                break
            items.append((pos, pos + len(part)))
            pos += len(part) + 1
        if len(items) >= 2 and any(head_of(view[a:b]) or view[a:b] in lex.fixed_names or (a, b) in names
                                   for a, b in items):
            return items
    return []


def _opens_title(view: str, spans: list[tuple[int, int]], n: int) -> bool:
    """Whether name ``n`` is one of the issuers opening a title: 《, then names one after
    another (《国家发展改革委国家能源局关于…》, 《省总工会、省人社厅关于…》), then 关于/印发."""
    def adjacent(a: int, b: int) -> bool:  # nothing, blanks or one joiner between two names
        gap = view[spans[a][1]:spans[b][0]]
        return gap.strip(" \u3000") == "" or _JOINERS.fullmatch(gap) is not None

    pos = n
    while pos > 0 and adjacent(pos - 1, pos) and view[spans[pos][0] - 1:spans[pos][0]] != "《":
        pos -= 1
    if view[spans[pos][0] - 1:spans[pos][0]] != "《":
        return False
    last = n
    while last + 1 < len(spans) and adjacent(last, last + 1):
        last += 1
    end = spans[last][1]
    return starts_with_any(view[end:end + 4], lexicon().roles["title_issuer_after"]) is not None


def _opens_cited_title(view: str, spans: list[tuple[int, int]], n: int) -> bool:
    """Whether name ``n`` is one of the issuers opening a document's title written without
    《》: names one after another, then 关于 (roles.yaml ``cited_title_openers``), and the clause
    goes on to 的 and a document's kind (``cited_title_ends``)."""
    last = n
    while last + 1 < len(spans) and not view[spans[last][1]:spans[last + 1][0]].strip(" \u3000、"):
        last += 1
    return _cited_title_rx().match(view, spans[last][1]) is not None


@lru_cache(maxsize=1)
def _cited_title_rx() -> re.Pattern:
    roles = lexicon().roles
    openers, ends = alternation(roles["cited_title_openers"]), alternation(roles["cited_title_ends"])
    return re.compile(rf"(?:{openers})[^，。；;！？\n]{{1,80}}?的(?:{ends})")


def _follows_rule(view: str, start: int) -> bool:
    left, _ = clause_bounds(view, start, start)
    return any(w in view[left:start] for w in lexicon().roles["rule_openers"])


def _parent(name_view: str) -> str | None:
    """The organisation a department name belongs to: 区总工会办公室 -> 区总工会 (the
    rest must be a department: it ends in a department head, the parent in another head)."""
    lex = lexicon()
    for cut in range(len(name_view) - 1, 1, -1):
        parent, rest = name_view[:cut], name_view[cut:]
        head = head_of(parent)
        if head and head not in lex.subunit_heads and parent not in lex.bare_heads \
                and any(rest.endswith(h) for h in lex.subunit_heads) and len(rest) >= 2:
            return parent
    return None


def _completed(view: str, prev: UnitMention | None, start: int, end: int) -> str | None:
    """Canonical of a department listed after a full name (区总工会办公室、宣传教育部)."""
    if prev is None or not _JOINERS.fullmatch(view[prev.char_end:start]):
        return None
    core = view[start:end]
    lex = lexicon()
    if not any(core.endswith(h) for h in lex.subunit_heads) or core[:1] in "各区市省县全":
        return None
    if any(head_of(core[:cut]) not in (None, *lex.subunit_heads, *lex.verb_heads) for cut in range(1, len(core))):
        return None  # the name has an organisation of its own (街道办事处)
    parent = _parent(view[prev.char_start:prev.char_end])
    return parent + core if parent and not core.startswith(parent) else None


def _category_spans(view: str, spans: list[tuple[int, int]], first_etc: int = 0) -> list[tuple[int, int]]:
    """Categories that close an 等-list without being names (公安、法院等单位): their spans
    (``first_etc``: where the first 等 of ``view`` stands, ``len(view)`` when none does)."""
    out: list[tuple[int, int]] = []
    if first_etc >= len(view):
        return out
    for m in _ETC_CATEGORY().finditer(view, first_etc):
        a, b = m.start(1), m.end(1)
        if all(b <= s or e <= a for s, e in spans):
            out.append((a, b))
    return out


@lru_cache(maxsize=1)
def _ETC_CATEGORY() -> re.Pattern:
    return re.compile(_ETC_WORD + r"((?:相关|有关|各类)?(?:" + "|".join(lexicon().roles["list_categories"]) + "))")


_CJK = re.compile(r"[\u4e00-\u9fff]")
# a line broken by the copy's layout, not by the writer: long enough to be a wrapped body
# line (a column of short names, such as a site's link list, is not joined)
_WRAP_MIN_LINE = 15
_WRAP_PLAIN_LINE = 25   # without any clause mark, the line must be this long


def _wrap_breaks(text: str) -> list[int]:
    """Offsets of the line breaks of ``text`` that cut a sentence (often a word) at a PDF
    or OCR line end (``…调用，电⏎力调度机构可从``): a CJK character on either side, the
    line before long (a body line, with a clause mark or very long) and not closing a
    sentence, the line after not opening a numbered item."""
    out: list[int] = []
    if "\n" not in text:   # one line (most tasks): nothing to join, no scan for long lines
        return out
    for m in _LONG_LINE_BEFORE_CJK.finditer(text):   # the cheap tests first, in one C scan
        line, pos = m.group(1).strip(), m.end(1)
        if len(line) >= _WRAP_MIN_LINE and _CJK.match(line[-1]) \
                and (len(line) >= _WRAP_PLAIN_LINE or _CLAUSE_MARK.search(line)) \
                and not starts_with_label(text[pos + 1:pos + 13]):
            out.append(pos)
    return out


_CLAUSE_MARK = re.compile(char_class("prose_mark", wide_only=True))
# a line of at least _WRAP_MIN_LINE characters, then a line break and a CJK character
_LONG_LINE_BEFORE_CJK = re.compile(r"(?m)^([^\n]{%d,})\n(?=[\u4e00-\u9fff])" % _WRAP_MIN_LINE)


def _parse(text: str, toks=None, view: str | None = None) -> list[UnitMention]:
    """Organisations of ``text`` (``view``: its matching view); names are read with the wrap
    line breaks joined (a name cut by one, 电⏎力调度机构, is the whole name: its offsets
    span the break and its ``name`` is written without it)."""
    view = matching_view(text) if view is None else view
    breaks = _wrap_breaks(text)
    if not breaks:
        return _parse_lines(text, toks, view)
    lines = list(zip([-1, *breaks], [*breaks, len(text)]))   # the lines between the breaks
    joined = "".join([text[a + 1:b] for a, b in lines])
    joined_view = joined if view == text else "".join([view[a + 1:b] for a, b in lines])
    shift = [b - k for k, b in enumerate(breaks)]   # offset in ``joined`` of the character after break k

    def at(j: int) -> int:   # offset in ``text`` of the character at ``j`` in ``joined``
        return j + bisect_right(shift, j)

    return [UnitMention(u.name, u.role, at(u.char_start), at(u.char_end - 1) + 1, u.canonical)
            for u in _parse_lines(joined, None, joined_view)]


def _parse_lines(text: str, toks, view: str) -> list[UnitMention]:
    toks = tokens(view) if toks is None else toks
    names = name_spans(view, toks)
    etc = _ETC_ANYWHERE.search(view)   # 等-lists and their categories only from the first 等 on
    first_etc = etc.start() if etc else len(view)
    categories = set(_category_spans(view, names, first_etc))
    spans = sorted(set(names) | categories)
    if not spans:
        return []
    out: list[UnitMention] = []
    seen: set[tuple[str, str]] = set()

    def add(a: int, b: int, role: str, canonical: str | None = None) -> None:
        key = (text[a:b], role)
        if key not in seen:
            seen.add(key)
            out.append(UnitMention(text[a:b], role, a, b, canonical))

    opener = _QUOTE_OPENER.search(view)   # no name before the first opening mark is quoted
    first_opener = opener.start() if opener else len(view)
    for n, (start, end) in enumerate(spans):
        if start > first_opener and _quoted(view, start):
            # a name inside “…” or 《…》 is part of a title or slogan, unless it opens the
            # title of the rule the task follows (根据《市总工会关于…的通知》)
            if _opens_title(view, spans, n) and _follows_rule(view, start):
                add(start, end, "issuer_of_rule")
            continue
        if _opens_cited_title(view, spans, n):
            # 国家发展改革委关于印发…的通知（…号）: the issuer of a document the task cites
            if _follows_rule(view, start):
                add(start, end, "issuer_of_rule")
            continue
        listed = _etc_list(view, start, names) if start > first_etc else []
        if listed:
            # 与复旦、同济、烟草集团等区域内工会: the listed names act, the category does not
            role = role_of(view, listed[0][0], end)
            if role is not None:
                out = [u for u in out if u.char_start < listed[0][0]]
                seen = {(u.name, u.role) for u in out}
                for a, b in listed:
                    add(a, b, role)
            continue
        if (start, end) in categories:
            continue
        prev = out[-1] if out else None
        gap = view[prev.char_end:start] if prev else ""
        after_joiner = prev is not None and _JOINERS.fullmatch(gap) is not None
        if after_joiner and not gap.strip() == "与":
            role = prev.role  # names joined by 和/及/、 share the role of the first
        else:
            joined = n + 1 < len(spans) and view[end:spans[n + 1][0]].strip() in ("与", "和", "同")
            role = role_of(view, start, end, joined_to_name=joined)
        if role is None:
            continue
        add(start, end, role, _completed(view, prev, start, end) if after_joiner else None)
    return out


_QUOTE_OPENER = re.compile("[" + re.escape("".join(pair[0] for pair in QUOTE_PAIRS)) + "]")
_LIST_PART = re.compile(r"[^\s；;，,、/／｜]+(?:[、][^\s；;，,、/／｜]+)*")
_NAME_LIKE = re.compile(r"^[\u4e00-\u9fff（）()A-Za-z0-9]{2,25}$")


def names_in_list(text: str, start: int, end: int, role: str, view: str | None = None) -> list[UnitMention]:
    """The organisations listed in ``text[start:end]`` (a 牵头单位 cell or label), all
    with ``role``. A part (split at blanks and ；，/｜) in which the recogniser finds
    nothing, yet looks like a name, is taken whole: the list says it is one. ``view``:
    ``matching_view(text)`` when the caller has it."""
    view = matching_view(text) if view is None else view
    out: list[UnitMention] = []
    for m in _LIST_PART.finditer(text, start, end):
        part, part_view = part_and_view(text, view, m.start(), m.end())
        found = [UnitMention(u.name, role, u.char_start + m.start(), u.char_end + m.start(), u.canonical)
                 for u in _parse(part, None, part_view)]
        # an item of a 、 list the recogniser passed over is a name all the same
        for item in re.finditer(r"[^、]+", m.group()):
            a, b = m.start() + item.start(), m.start() + item.end()
            if _NAME_LIKE.match(item.group()) and not any(u.char_start < b and a < u.char_end for u in found):
                found.append(UnitMention(item.group(), role, a, b))
        out += sorted(found, key=lambda u: u.char_start)
    return out


def unique(mentions: list[UnitMention]) -> list[UnitMention]:
    """The first mention of each (name, role), in the order given."""
    seen: set[tuple[str, str]] = set()
    out = []
    for u in mentions:
        if (u.name, u.role) not in seen:
            seen.add((u.name, u.role))
            out.append(u)
    return out


def _with_labels(text: str, toks, view: str) -> list[UnitMention]:
    scopes = label_scopes(view)
    found = _parse(text, toks, view)
    if not scopes:
        return found
    out = [u for u in found if not any(s.label_start <= u.char_start < s.end for s in scopes)]
    for s in scopes:
        out += names_in_list(text, s.start, s.end, s.role, view)
    return unique(sorted(out, key=lambda u: u.char_start))


def parse_units(text: str, tokens_of_view=None, view: str | None = None) -> list[UnitMention]:
    """Organisations of one task's ``text`` with their roles, in text order. ``view``:
    ``matching_view(text)``, ``tokens_of_view``: ``segment.tokens(view)``, when the caller
    has them. A bug raises: ``process.py`` turns it into an ``extractor_failed`` warning for the task."""
    if not isinstance(text, str) or not text:
        return []
    view = matching_view(text) if view is None else view
    if len(text) > PIECE_CHARS:   # tokens are per piece then; one mention per (name, role)
        return unique(over_pieces(lambda piece, piece_view: _with_labels(piece, None, piece_view), text, view))
    return _with_labels(text, tokens_of_view, view)
