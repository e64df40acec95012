"""Metadata: clean text -> the GB/T 9704-2012 header elements of a notice (GUIDELINES §1, §7).

``parse_metadata(text, first_item_start)`` reads the header (the text before the
first numbered item, or the first lines when there is none) and the signature at the
end, and returns a ``Metadata``: issuer (发文机关: the red header, else the organisation
a ``X关于…`` title opens with, else the signature, else a database copy's 发布部门
field), doc_number (发文字号, brackets as 〔〕), title (line breaks and CJK–digit spaces
removed, a title broken over two or three lines joined, enclosing 《》 dropped),
attachment_title (the enclosed plan's own heading, else what a 印发 title names),
recipients (主送机关, without the final colon; a line of 各… organisations when a web copy
lost the colon), issue_date (成文日期), period_start/period_end (the period the plan
covers: its title, a named planning period, holidays the title names, else the period a
regulation says it is in force) and doc_type. Site furniture (column names, breadcrumbs,
page titles, 发布时间 lines) is never a title, issuer or recipient. Nothing found gives
None, never a guess. Patterns and word lists are in ``models/structure/metadata.yaml``.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml
from ..textview import matching_view
from ..text.edges import chars, either, holds_all, lines_with, required_chars
from .infobox import info_box, placeless
from ..text.labels import starts_with_label
from ..text.punctuation import char_class, without_mark_blanks
from .period import date_line_edges, doc_type_of, doc_type_of_body, parse_date_line, plan_period


_PLAIN = threading.local()   # .on: the document being parsed has no character to map; .titles: see _title_at


def _view(s: str) -> str:
    """``matching_view(s)``: ``s`` itself when ``s`` is read from a document being parsed
    that has no character to map (most notices; every string read here is part of it)."""
    return s if getattr(_PLAIN, "on", False) else matching_view(s)


def _balanced(s: str) -> bool:
    return all(s.count(a) == s.count(b) for a, b in ("《》", "〈〉", "（）", "()", "“”", "【】"))


@dataclass(frozen=True)
class Metadata:
    issuer: str | None = None
    doc_number: str | None = None
    title: str | None = None
    attachment_title: str | None = None
    recipients: str | None = None
    issue_date: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    doc_type: str | None = None


def _alt(words) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"


def _any_of(words) -> re.Pattern:
    """A pattern found in a text when any of ``words`` is (none: never found)."""
    return re.compile(_alt(words) if words else r"(?!)")


def _org_heads() -> dict:
    """The organisation heads (models/text/org_heads.yaml)."""
    return load_yaml("text/org_heads.yaml")


@lru_cache(maxsize=1)
def _cfg():
    cfg = load_yaml("structure/metadata.yaml")
    return {
        "issuer_line": re.compile(cfg["issuer_line"]),
        "suffixes": tuple(sorted(_org_heads()["heads"], key=len, reverse=True)),
        "not_issuer": _any_of(cfg["not_issuer"]),
        "joiners": re.compile(cfg["issuer_joiners"]),
        "doc_number": re.compile(cfg["doc_number"]),
        "doc_number_dash": re.compile(cfg["doc_number_dash"]),
        "order_number": re.compile(cfg["order_number"]),
        "title_end": re.compile(_alt(cfg["title_words"]) + cfg["title_tail"] + r"[\s。]*$"),
        # a web page's own title: the document's title, a separator and the site's name(s)
        "page_title": re.compile("(?P<end>" + _alt(cfg["title_words"]) + cfg["title_tail"] + r")\s*[-_|｜－]\s*[^，。：:]{2,40}$"),
        "title_max": int(cfg["title_max_chars"]),
        "dated_line": re.compile(cfg["title_not_part"]),
        "title_qualifier": re.compile(cfg["title_qualifier_line"]),
        "title_min": int(cfg["title_min_chars"]),
        "first_part_min": int(cfg["title_first_part_min"]),
        "title_prefix": re.compile(cfg["title_prefix"]),
        "title_number": re.compile(cfg["title_number_suffix"]),
        "attachment_label": re.compile(cfg["attachment_label"]),
        "furniture": re.compile("|".join(f"(?:{p})" for p in cfg["furniture"])),
        "issuer_field": re.compile(cfg["issuer_field"]),
        "recipients_no_colon": re.compile(cfg["recipients_no_colon"]),
        "recipients_max": int(cfg["recipients_max_chars"]),
        "recipients_lines": int(cfg["recipients_max_lines"]),
        "recipients_stop": re.compile(cfg["recipients_stop"]),
        "recipients_not_openers": tuple(cfg["recipients_not_openers"]),
        "run_on": re.compile(cfg["run_on_title"]),
        "cited_openers": tuple(cfg["run_on_cited_openers"]),
        "recipients_words": _any_of(cfg["recipients_words"]),
        "bounds": {name: int(n) for name, n in cfg["bounds"].items()},   # how far each reader looks
        "file_word": re.compile(cfg["file_word"]),
        "file_end": re.compile(cfg["file_end"]),
        "issuing": re.compile(cfg["issuing"]),
        "enclosed_title": tuple(map(re.compile, cfg["enclosed_title"])),
        "enclosing_sentence": tuple(map(re.compile, cfg["enclosing_sentence"])),
    }


@lru_cache(maxsize=1)
def _needs() -> dict[str, str]:
    """The characters every match of a searched pattern holds (edges.py): a line without one
    of them is not searched (the document number's search backtracks at every character)."""
    c = _cfg()
    return {name: required_chars(c[name]) for name in ("doc_number", "title_number", "dated_line", "file_word")}


def _title_number(view: str) -> re.Match | None:
    """The document number written after a title (``title_number``), or None."""
    return _cfg()["title_number"].search(view) if holds_all(view, _needs()["title_number"]) else None


_CJK = r"[\u4e00-\u9fff]"
_ORG_ABOUT = re.compile(r"^(?P<org>.{2,80}?)关于")
_SENTENCE_INSIDE = re.compile(char_class("sentence_end", wide_only=True))   # marks: text/punctuation.yaml
_FULL_STOP = re.compile(char_class("stops", wide_only=True))
_LATIN_WORD = re.compile(r"[A-Za-z]{8}")
_COMMA = re.compile(r"[，,]")
_COLON_END = re.compile(r"[:：]$")
_DIGIT_OR_COLON_END = re.compile(r"\d|[:：]\s*$")
_ARTICLE_LIKE = re.compile(r"^第.{1,3}[章节条]")
_ABOUT = "关于"      # the word that opens a title (关于…的通知)


_LINE_BREAK = re.compile(r"\s*\n\s*")
_CJK_DIGIT_BLANK = re.compile(rf"(?<={_CJK})\s+(?=[\dA-Za-z])|(?<=[\dA-Za-z])\s+(?={_CJK})")
_MARK_BLANK = re.compile(r"(?<=[\u4e00-\u9fff《》“”（）()、])\s+(?=[《》“”（）()、])|(?<=[《》“”（）()、])\s+(?=[\u4e00-\u9fff])")
_BLANK_RUN = re.compile(r"\s{2,}")
_ANY_BLANK = re.compile(r"\s")


def normalise_title(s: str) -> str:
    """Remove line breaks and spaces between CJK characters and digits (2019 年 -> 2019年);
    a space between two words (“国庆 中秋”) stays, one inside a broken line goes."""
    s = s.strip()
    if _ANY_BLANK.search(s) is not None:    # (each rule removes or narrows blanks only)
        s = _LINE_BREAK.sub("", s)
        s = _CJK_DIGIT_BLANK.sub("", s)
        s = without_mark_blanks(_MARK_BLANK.sub("", s))
        s = _BLANK_RUN.sub(" ", s)
    return s.strip().rstrip("。")


def _squeeze(s: str) -> str:
    return s.replace(" ", "").replace("\u3000", "")


def _has_suffix(view: str) -> bool:
    return view.endswith(_cfg()["suffixes"])


def _org_name(view: str) -> bool:
    """Is ``view`` (blanks removed) one organisation's name?"""
    c = _cfg()
    m = c["issuer_line"].match(view)
    return bool(m and m.group("name") == view and len(view) >= 3 and _has_suffix(view) and not c["title_end"].search(view)
                and not c["not_issuer"].search(view))


@lru_cache(maxsize=4096)     # asked of a header line by the header, the title and the menu readers
def _issuer_name(line: str) -> str | None:
    """The issuer a line names (``X文件``, ``X``, joint ``X Y``), as written, else None."""
    c = _cfg()
    line = (c["file_word"].sub("", line.strip()) if holds_all(line, _needs()["file_word"]) else line.strip()) or line
    view = _view(line.strip())
    squeezed = _squeeze(view)
    m = c["issuer_line"].match(squeezed)
    if m and _org_name(m.group("name")):
        name = _squeeze(line.strip())[: len(m.group("name"))]
        return name
    # joint issuers on one line: 海南省农业农村厅 海南省财政厅
    parts = [p for p in c["joiners"].split(view.strip()) if p]
    if len(parts) > 1 and all(_org_name(p) for p in parts):
        return line.strip()
    return None


def _signers(lines, k: int) -> str | None:
    """The organisations signing above the date line ``lines[k]``: one to ``signers_max`` name
    lines (joint issuers sign one under the other), top first, joined by a space; else None."""
    most = _cfg()["bounds"]["signers_max"]
    names = []
    j = k - 1
    while j >= 0 and len(names) < most:
        name = _issuer_name(lines[j][1])
        if not name:
            break
        names.insert(0, name)
        j -= 1
    return " ".join(names) or None


def _issuer_of_title(title: str) -> str | None:
    """The organisation(s) a ``X关于…`` title opens with, as written."""
    view = _view(title)
    m = _ORG_ABOUT.match(view)
    if not m:
        return None
    org = m.group("org")
    parts = [p for p in _cfg()["joiners"].split(org) if p]
    if parts and all(_org_name(p) for p in parts):
        return title[: m.end("org")].strip()
    return None


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            out.append((pos, stripped))
        pos += len(line) + 1
    return out


def _unwrap(view: str) -> str:
    """A title without enclosing 《》 or a page title's 【】, and without a number after it."""
    v = view.strip()
    if len(v) > 2 and v[0] + v[-1] in ("《》", "【】") and v.count(v[0]) == 1:
        v = v[1:-1]
    m = _title_number(v)
    if m and m.start() >= _cfg()["title_min"]:
        v = v[:m.start()]    # …的通知 新监能市场〔2025〕24号
    return v


def _is_title(view: str) -> bool:
    c = _cfg()
    v = _unwrap(view)
    if len(v) > c["title_max"] or len(v) < c["title_min"] or _SENTENCE_INSIDE.search(v.rstrip("。")):
        return False
    if starts_with_label(v) or _LATIN_WORD.search(v) or c["attachment_label"].match(v) or _COMMA.search(v) \
            or v[0] in "（(、，,；;）)〕]":
        return False
    if c["furniture"].match(view) or _COLON_END.search(v):
        return False
    return bool(c["title_end"].search(v) or (v.startswith(_ABOUT) and len(v) >= 8 and "，" not in v))


def _doc_number(ln: str, view: str) -> str | None:
    c = _cfg()
    # the number stands alone on its line (in brackets at most), not inside a sentence
    # (a longer line is not searched: the search backtracks at every character)
    m = c["doc_number"].search(view) \
        if len(view) <= c["bounds"]["doc_number_line_chars"] and holds_all(view, _needs()["doc_number"]) else None
    if m and (m.group("open") or m.group("close")) \
            and len(view[:m.start()].strip(" （(【[")) == 0 and len(view[m.end():].strip(" ）)】]")) <= 2:
        org = ln[m.start("org"):m.end("org")].strip()
        return f"{org}〔{m.group('year')}〕{m.group('num')}号"
    m = c["doc_number_dash"].match(view) or c["order_number"].match(view)
    if m:
        return re.sub(r"\s+", "", ln[m.start("num"):m.end("num")])
    return None


_OPEN, _CLOSE = "（(", "）)"     # a date in brackets


@lru_cache(maxsize=4096)
def _date_of(view: str) -> dt.date | None:
    """A date line, also in brackets under a title: （2020年9月29日）."""
    d = parse_date_line(view)
    if d is None and len(view) > 2 and view[0] in _OPEN and view[-1] in _CLOSE:
        d = parse_date_line(view[1:-1])
    return d


def _printed_date(view: str, last: bool) -> bool:
    """Is the date line ``view`` a printer's or a site's date (2025/5/19, 2024-03-12 09:30,
    …年…月…日星期二: ``furniture``) amid the text, no signature's? As the text's ``last`` line it
    is the signature's (its callers also take it under an organisation signing)."""
    return not last and _cfg()["furniture"].match(view) is not None


@lru_cache(maxsize=1)
def _date_edges():
    """(first, last): the characters a line ``_date_of`` reads can start and end with."""
    first, last = date_line_edges()
    return either(first, chars(_OPEN)), either(last, chars(_CLOSE))


def _maybe_dates(lines) -> list[int]:
    """The indexes of ``lines`` that may be date lines, in order (``_date_of`` of the others is
    None: their first or last character is none a date line can have), found in one scan."""
    return lines_with([ln for _, ln in lines], *_date_edges(), view_of=_view)


@lru_cache(maxsize=4096)     # asked of each header line by the header, the title and the 主送机关 readers
def _is_furniture(view: str) -> bool:
    c = _cfg()
    return bool(c["furniture"].match(view) or c["page_title"].search(view) and not c["title_end"].search(view))


@lru_cache(maxsize=4096)
def _menu_item(line: str) -> bool:
    """A short line of a site's menu (not a label, an attachment label or a date)."""
    v = _view(line)
    return len(_squeeze(v)) <= 10 and not starts_with_label(v) and not _cfg()["attachment_label"].match(v) \
        and not _DIGIT_OR_COLON_END.search(v) and not _ARTICLE_LIKE.match(v) and not _issuer_name(line)


@lru_cache(maxsize=4096)
def _debris(line: str) -> bool:
    """Site furniture or a short menu item (字体 小|中|大, Aa) that is not a 主送机关 line."""
    v = _view(line)
    return _is_furniture(v) or _menu_item(line) and not re.search(r"[:：]\s*$", v) \
        and not _cfg()["recipients_no_colon"].match(v)    # 各有关单位 that lost its colon


def _content_lines(header, a: int, b: int) -> int:
    """How many lines of ``header[a:b]`` are not site furniture or menu debris."""
    return sum(1 for _, ln in header[a:b] if not _debris(ln))


def _title_at(header, i: int):
    """(title, last line index) of a title starting at header line ``i``: the line itself, or
    two to four lines joined when a title was broken, else None."""
    memo = getattr(_PLAIN, "titles", None)    # the document's: asked again of the same line
    if memo is None:
        return _find_title_at(header, i)
    key = (id(header), i)
    if key not in memo:
        memo[key] = _find_title_at(header, i)
    return memo[key]


def _find_title_at(header, i: int):
    c = _cfg()
    ln = header[i][1]
    view = _view(ln)
    if _is_furniture(view):
        return None
    if c["attachment_label"].match(view):
        return None
    for k in (1, 2, 3, 4):
        parts = [h[1] for h in header[i:i + k]]
        if len(parts) < k:
            break
        views = [_view(p) for p in parts]
        if k > 1 and (any(map(_no_title_part, parts))
                      or len(c["title_prefix"].sub("", views[0])) < c["first_part_min"]):
            break
        if k > 1 and len(_squeeze(views[0])) <= 12 and _menu_item(parts[-1]):
            continue   # a run of menu items is not a broken title
        joined = normalise_title("\n".join(parts))
        jv = _view(joined)
        if k == 1 and _is_title(jv) and (c["title_end"].search(_unwrap(jv)) or i + 1 >= len(header)):
            if len(_squeeze(jv)) < 14 and 0 < i < len(header) - 1 \
                    and _menu_item(header[i - 1][1]) and _menu_item(header[i + 1][1]):
                return None     # an item of a site's menu (短栏目名 between short lines)
            return _qualified(header, joined, i)
        if k > 1 and _is_title(jv) and c["title_end"].search(_unwrap(jv)):
            return _qualified(header, joined, i + k - 1)
        if len(jv) > c["title_max"]:
            break
    return None


def _qualified(header, title: str, last: int) -> tuple[str, int]:
    """(title, last line index) with the lines right under it that only qualify it in
    brackets (（试行）, （2019年修订版）) joined to it, without their blanks."""
    qualifier = _cfg()["title_qualifier"]
    while last + 1 < len(header) and qualifier.match(_view(header[last + 1][1])):
        last += 1
        title += _squeeze(header[last][1].strip())
    return title, last


@lru_cache(maxsize=4096)
def _no_title_part(line: str) -> bool:
    """A header line that is no part of a title broken over lines (a sentence mark, site
    furniture, a date, a document number, an attachment label, ``X文件``)."""
    c, v = _cfg(), _view(line)
    return bool(_TITLE_BREAKER.search(v) or c["furniture"].match(v) or _date_of(v)
                or holds_all(v, _needs()["dated_line"]) and c["dated_line"].search(v)
                or _doc_number(line, v) or c["attachment_label"].match(v) or c["file_end"].search(v))


_TITLE_BREAKER = re.compile(char_class("colons") + "|" + char_class("sentence_end", wide_only=True))   # a colon or a sentence end


def _strip_title(title: str) -> str:
    """The title without what a copy wrapped around it (enclosing 《》 or 【】, an attachment
    label, a site name before it, its document number in brackets after it)."""
    c = _cfg()
    v = title.strip()
    if len(v) > 2 and v[0] + v[-1] in ("《》", "【】") and v.count(v[0]) == 1:
        v = v[1:-1].strip()
    m = c["title_prefix"].match(_view(v))
    if m and len(v) - m.end() >= c["title_min"]:
        v = v[m.end():]
    m = _title_number(_view(v))
    if m and m.start() >= c["title_min"]:
        v = v[:m.start()]
    return v.strip()


def _number_in_title(title: str) -> str | None:
    m = _title_number(_view(title))
    return _doc_number(m.group("num"), _view(m.group("num"))) if m else None


def _names_orgs(view: str) -> bool:
    c = _cfg()
    parts = [p for p in re.split(r"[、，,；;\s]+", view) if p]
    return any(_has_suffix(p) or c["recipients_words"].search(p) for p in parts)


def _recipients(header, j: int) -> tuple[str | None, int]:
    """主送机关 starting at header line ``j``: the lines up to the one that ends in the final
    colon (a long list wraps over many lines; the colon may stand alone on the last line)."""
    c = _cfg()
    first = _view(header[j][1]) if j < len(header) else ""
    if "【" in first or not _names_orgs(re.sub(r"[:：]\s*$", "", first)):
        return None, j
    parts = []
    for k in range(j, min(j + c["recipients_lines"], len(header))):    # a PDF copy wraps a long list
        ln = header[k][1]
        view = _view(ln)
        closing = re.fullmatch(r"\s*[:：]\s*", view) is not None and k > j
        if not closing and (c["recipients_stop"].search(view) or view.startswith(c["recipients_not_openers"])
                            or _is_furniture(view) or len(_squeeze(view)) < 3 or _doc_number(ln, view)
                            or _ABOUT in view):     # a title, never a 主送机关
            if k > j and c["recipients_no_colon"].match(_view(header[j][1])) \
                    and not re.search(r"[，、,]\s*$", header[j][1]):
                return header[j][1].strip(), j     # a complete list of organisations that lost its colon
            return None, j
        parts.append(ln)
        if re.search(r"[:：]\s*$", ln):
            joined = re.sub(r"[:：]\s*$", "", "".join(p.strip() for p in parts)).strip()
            return (joined, k) if len(joined) <= c["recipients_max"] else (None, j)
        if k == j and c["recipients_no_colon"].match(view) and len(view) <= 100 \
                and not re.search(r"[，、,]\s*$", view) \
                and not (k + 1 < len(header) and c["recipients_no_colon"].match(_view(header[k + 1][1]))) \
                and not _colon_below(header, k + 1, j + c["recipients_lines"]):
            return ln.strip(), k     # a complete list of organisations that lost its colon
    return None, j


def _past_title(header, i: int, title: str):
    """The first line from ``header[i]`` on, within three lines of content, that is not what a
    copy prints between a title and its 主送机关: debris, the title again (or repeated), furniture,
    a document number, a date. With the first document number on the way and a date on line
    ``i`` itself (the title's own date line), or None."""
    c = _cfg()
    j, number, date = i, None, None
    while j < len(header) and _content_lines(header, i, j) <= 3:
        ln = header[j][1]
        v = _view(ln)
        if _debris(ln):
            j += 1
            continue
        again = _title_again(header, j, title)
        if again is not None:
            j = again + 1
            continue
        num, d = _doc_number(ln, v), _date_of(v)
        if c["furniture"].match(v) or num or d \
                or _strip_title(normalise_title(ln)) == title:   # the title repeated
            if number is None and num:
                number = num
            elif d and j == i:
                date = d
            j += 1
            continue
        break
    return j, number, date


def _colon_below(header, a: int, b: int) -> bool:
    """Does a line of ``header[a:b]`` end in a colon before any sentence ends (the list goes on)?"""
    for _, ln in header[a:b]:
        view = _view(ln)
        if _FULL_STOP.search(view) or _is_furniture(view):
            return False
        if re.search(r"[:：]\s*$", view):
            return True
    return False


def _run_on_title(header) -> str | None:
    """The title inside a header whose line breaks a copy lost (X文件…〔2025〕84号X关于…的通知各市…：…)."""
    for _, ln in header[:3]:
        if len(ln) <= _cfg()["title_max"]:
            continue
        for m in _cfg()["run_on"].finditer(_view(ln[:400])):    # the title stands at the top
            t = m.group("t")
            if "《" in t[:t.index(_ABOUT)] or t.startswith(_cfg()["cited_openers"]):
                continue     # a document the text cites, not its own title
            return normalise_title(ln[m.start("t"):m.end("t")])
    return None


def _header(lines, limit: int):
    """The lines before ``limit``, up to ``header_lines`` of them that are not site furniture
    (a web copy's menus can run to a hundred lines above the document), ``header_scan_lines``
    lines in all (bounds in metadata.yaml)."""
    bounds = _cfg()["bounds"]
    size, most = bounds["header_lines"], bounds["header_scan_lines"]
    out, n = [], 0
    for pos, ln in lines[:most]:
        if pos >= limit or n >= size:
            break
        out.append((pos, ln))
        if not _is_furniture(_view(ln)) and not _menu_item(ln):
            n += 1
    return out or lines[:bounds["header_fallback_lines"]]


def _title_again(header, i: int, title: str) -> int | None:
    """The last line of ``title`` written again from header line ``i`` (alone or after its
    issuers), else None."""
    found = _title_at(header, i)
    if found is None:
        return None
    again, t = _squeeze(_strip_title(found[0])), _squeeze(title)
    return found[1] if again == t or again.endswith(t) or t.endswith(again) and len(again) >= 8 else None


def _checked_box(box: dict[str, str]) -> dict:
    """The info box's values that read as what their labels say (see infobox.py)."""
    c, out = _cfg(), {}
    if "issuer" in box:
        v = _squeeze(box["issuer"])
        m = c["issuer_line"].match(_view(v))
        if m and m.group("name") == _view(v) and _has_suffix(_view(v)):
            out["issuer"] = v
    if "doc_number" in box:
        num = _doc_number(box["doc_number"], _view(box["doc_number"]))
        if num:
            out["doc_number"] = num
    if "issue_date" in box and _date_of(_view(box["issue_date"])):
        out["issue_date"] = _date_of(_view(box["issue_date"]))
    if "title" in box:
        t = _strip_title(normalise_title(box["title"]))
        if _is_title(_view(t)) and c["title_end"].search(_view(t)):
            out["title"] = t
    return out


def parse_metadata(text: str, first_item_start: int | None = None, view: str | None = None) -> Metadata:
    """Header elements of the clean ``text``; ``first_item_start`` bounds the header;
    ``view``: ``matching_view(text)`` when the caller has it."""
    view = matching_view(text) if view is None else view
    before = getattr(_PLAIN, "on", False), getattr(_PLAIN, "titles", None)
    _PLAIN.on = view == text
    _PLAIN.titles = {}      # _title_at of this document's header lines (the header outlives it)
    try:
        return _parse_metadata(text, first_item_start, view)
    finally:
        _PLAIN.on, _PLAIN.titles = before


def _parse_metadata(text: str, first_item_start: int | None, text_view: str) -> Metadata:
    c = _cfg()
    lines = _lines(text)
    limit = first_item_start if first_item_start is not None else len(text)
    header = _header(lines, limit)
    bounds = c["bounds"]
    box, box_values = info_box([(p, ln) for p, ln in lines[:bounds["info_box_lines"]] if p < limit], _view)
    box = _checked_box(box)

    issuer = doc_number = title = attachment = recipients = None
    issue_date = None
    page_title = None        # a web page's own title line, the fallback title
    title_number = None      # a number written after the title on its line
    page_idx = -1            # the header line where a listing's title with its number ends
    title_idx = None
    header_orgs: list[str] = []
    i = 0
    while i < len(header):
        pos, ln = header[i]
        view = _view(ln)
        if pos in box_values:       # a value of the site's info box, read below
            i += 1
            continue
        if _is_furniture(view):
            m = c["page_title"].search(view)
            if page_title is None and m and _is_title(view[:m.end("end")]):
                page_title = _strip_title(normalise_title(ln[:m.end("end")]))
            if title is None and not doc_number:
                header_orgs = []     # what stood above was the site's, not the document's
            i += 1
            continue
        if title is None and doc_number is None and _squeeze(view) == "文件":
            i += 1
            continue
        if doc_number is None and (title is None or title_idx is not None and _content_lines(header, title_idx + 1, i) <= 3):
            num = _doc_number(ln, view)
            if num:
                doc_number = num
                i += 1
                if recipients is None and i < len(header):
                    # a web copy's number under its page title, then the 主送机关; or a copy
                    # whose title the red header's picture took with it (number, then 主送机关)
                    recipients, last = _recipients(header, i)
                    if recipients:
                        i = last + 1
                continue
        if title is None and doc_number is None and len(header_orgs) < 8:
            name = _issuer_name(ln)
            found = _title_at(header, i) if name else None
            if found and found[1] > i and _ABOUT in _view(found[0]):
                rest = _title_at(header, i + 1)
                joint = len([p for p in c["joiners"].split(_view(ln).strip()) if p]) > 1
                if rest is None or rest[1] > i + 1 and joint:
                    # 国家发展改革委 国家能源局 / 关于… (a title broken after its issuers): the
                    # line opens the title; one organisation above a whole title line is the header
                    name = None
            if name is None and i + 1 < len(header) and len(_squeeze(ln)) <= 12:
                # a spaced-out header broken over two lines: 广 西 壮 族 自 治 区 / 能 源 局 文 件
                name2 = _issuer_name(_squeeze(ln) + _squeeze(header[i + 1][1]))
                if name2:
                    header_orgs.append(name2)
                    i += 2
                    continue
            if name:
                header_orgs.append(name)
                i += 1
                continue
            if _squeeze(view) == "文件":
                i += 1
                continue
        if title is None:
            found = _title_at(header, i)
            if found and _number_in_title(found[0]):
                # a listing's heading: the title with its number (…的通知(发改能源规〔2020〕816号));
                # the article's own title may follow, else this one is the title
                title_number = title_number or _number_in_title(found[0])
                if page_title is None:
                    page_title, page_idx = _strip_title(found[0]), found[1]
                i = found[1] + 1
                continue
            if found:
                title, title_idx = _strip_title(found[0]), found[1]
                i = found[1] + 1
                # 主送机关 after the title (a web copy puts the number or the date between)
                j, num, date = _past_title(header, i, title)
                doc_number, issue_date = doc_number or num, issue_date or date
                if j < len(header):
                    recipients, last = _recipients(header, j)
                    if recipients:
                        i = last + 1
                continue
        again = _title_again(header, i, title) if title is not None and recipients is None else None
        if again is not None and again + 1 < len(header):
            # a web copy prints its title twice (the box's 名称 or the page's, then the
            # document's own, maybe with its issuers before 关于): 主送机关 follows (after the
            # number or the date printed under the title again)
            j, num, date = _past_title(header, again + 1, title)
            doc_number, issue_date = doc_number or num, issue_date or date
            recipients, last = _recipients(header, j) if j < len(header) else (None, j)
            i = last + 1 if recipients else again + 1
            continue
        if issue_date is None:
            d = _date_of(view)
            if d:
                issue_date = d
                i += 1
                continue
        if title is not None and attachment is None and i > (title_idx or 0) + 1:
            found = _title_at(header, i)
            # (a cited notice 《X关于…的通知》 is no enclosed plan: test the title without its 《》;
            # under an attachment label, 关于…的若干意见 is the enclosure's own heading)
            if found and (not _view(_strip_title(found[0])).startswith(_ABOUT)
                          or c["attachment_label"].match(_view(header[i - 1][1]))) \
                    and not _issuer_of_title(_strip_title(found[0])) \
                    and not _squeeze(title).endswith(_squeeze(_strip_title(found[0]))) \
                    and not _squeeze(title).startswith(_squeeze(_strip_title(found[0]))) \
                    and _balanced(found[0]):
                attachment = _strip_title(found[0])
                i = found[1] + 1
                continue
        i += 1

    doc_number = doc_number or title_number or box.get("doc_number")
    if title is None and box.get("title"):
        title = box["title"]
    if title is None and page_title is None:
        title = _run_on_title(header)
    if page_title and title and _squeeze(title) in _squeeze(page_title) and _squeeze(title) != _squeeze(page_title) \
            and c["issuing"].search(page_title):
        title, attachment = page_title, attachment or title   # what followed was the enclosed plan's heading
        if recipients is None and 0 <= page_idx < len(header) - 1:
            recipients = _recipients(header, page_idx + 1)[0]    # the 主送机关 under the listing's title
    if title is None and page_title:
        title = page_title
        for j in range(page_idx + 1, len(header)):     # the 主送机关 under the title (not a box's label)
            v = _view(header[j][1])
            if _FULL_STOP.search(v):
                break
            if re.search(r"[:：]\s*$", v) and not _is_furniture(v):
                recipients = _recipients(header, j)[0]
                break
    if header_orgs:
        issuer = " ".join(header_orgs)
    if attachment is None and title:
        # 印发《X》的通知 -> X; 印发《A》《B》补充规则的通知 names more than one 《》: all of it
        m = next(filter(None, (rx.search(title) for rx in c["enclosed_title"])), None)
        if m:
            attachment = normalise_title(m.group(1))
    if attachment is None:
        opening = text_view[:limit]
        m = next(filter(None, (rx.search(opening) for rx in c["enclosing_sentence"])), None)
        if m:
            attachment = normalise_title(text[m.start(1):m.end(1)])
    from_title = issuer is None and title is not None
    if issuer is None and title:
        issuer = _issuer_of_title(title)
    if box.get("issuer") and (issuer is None or box["issuer"].endswith(issuer) or from_title and placeless().match(issuer)):
        issuer = box["issuer"]       # the site's box names the issuer in full (市工信局 -> 天津市工信局)

    # the signature at the end: an organisation line and/or a date line
    tail = lines[-bounds["signature_lines"]:] if lines else []
    for j, (pos, ln) in enumerate(tail):
        if pos < limit:
            continue
        view = _view(ln)
        d = _date_of(view)
        if d is None:
            continue
        printed = _printed_date(view, j == len(tail) - 1)
        signers = _signers(lines, len(lines) - len(tail) + j) if j > 0 and (issuer is None or printed) else None
        if printed and signers is None:
            continue    # a printer's or a site's date amid the text, no organisation signing above it
        if issue_date is None:
            issue_date = d
        if issuer is None:
            issuer = signers

    dated = _maybe_dates(lines) if issue_date is None or issuer is None else []   # (both loops below)
    if issue_date is None or issuer is None:
        # a notice that encloses its plan signs before the plan: the first organisation
        # line followed by a date line, wherever it stands
        for k in dated:
            if k < 1:
                continue
            d = _date_of(_view(lines[k][1]))
            name = _signers(lines, k) if d else None
            if d and name:
                issue_date, issuer = issue_date or d, issuer or name
                break
    if issue_date is None and title is not None:
        # a signature date alone (no organisation line above it) right after the body
        for k in dated:
            pos, ln = lines[k]
            if pos >= limit:
                view = _view(ln)
                d = _date_of(view)
                if d and not _printed_date(view, k == len(lines) - 1):
                    issue_date = d
                    break
    if issuer is None:
        for _, ln in lines[:bounds["issuer_field_lines"]]:
            m = c["issuer_field"].match(_view(ln))
            if m:
                issuer = ln[m.start("name"):m.end("name")].strip()
                break

    issue_date = issue_date or box.get("issue_date")
    period = plan_period(text, [ln for _, ln in lines], title, attachment, issue_date, text_view)
    doc_type = doc_type_of(attachment, title)
    if doc_type is None and lines:
        doc_type = doc_type_of_body(lines[0][1])
    return Metadata(
        issuer=issuer, doc_number=doc_number, title=_said_once(title), attachment_title=attachment,
        recipients=recipients, issue_date=issue_date,
        period_start=period[0] if period else None, period_end=period[1] if period else None,
        doc_type=doc_type,
    )


def _said_once(title: str | None) -> str | None:
    """A title written twice in a row (a copy that repeats the heading, joined into one line by
    a PDF or web reader): once."""
    if title and len(title) % 2 == 0 and len(title) >= 8 and title[:len(title) // 2] == title[len(title) // 2:]:
        return title[:len(title) // 2]
    return title
