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

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml
from ..textview import matching_view
from .labels import starts_with_label
from .period import parse_date_line, period_of_title


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


@lru_cache(maxsize=1)
def _cfg():
    cfg = load_yaml("structure/metadata.yaml")
    return {
        "issuer_line": re.compile(cfg["issuer_line"]),
        "suffixes": sorted(cfg["issuer_suffixes"], key=len, reverse=True),
        "not_issuer": tuple(cfg["not_issuer"]),
        "joiners": re.compile(cfg["issuer_joiners"]),
        "doc_number": re.compile(cfg["doc_number"]),
        "doc_number_dash": re.compile(cfg["doc_number_dash"]),
        "title_end": re.compile(_alt(cfg["title_words"]) + cfg["title_tail"] + r"[\s。]*$"),
        # a web page's own title: the document's title, a separator and the site's name(s)
        "page_title": re.compile("(?P<end>" + _alt(cfg["title_words"]) + cfg["title_tail"] + r")\s*[-_|｜－]\s*[^，。：:]{2,40}$"),
        "title_max": int(cfg["title_max_chars"]),
        "title_min": int(cfg["title_min_chars"]),
        "first_part_min": int(cfg["title_first_part_min"]),
        "title_prefix": re.compile(cfg["title_prefix"]),
        "title_number": re.compile(cfg["title_number_suffix"]),
        "attachment_label": re.compile(cfg["attachment_label"]),
        "furniture": re.compile("|".join(f"(?:{p})" for p in cfg["furniture"])),
        "issuer_field": re.compile(cfg["issuer_field"]),
        "recipients_no_colon": re.compile(cfg["recipients_no_colon"]),
        "recipients_max": int(cfg["recipients_max_chars"]),
        "doc_types": cfg["doc_types"],
        "notice_end": re.compile(_alt(cfg["notice_endings"]) + cfg["title_tail"] + r"[\s。]*$"),
        "plan_end": re.compile(_alt(cfg["doc_types"]["plan"]) + cfg["title_tail"] + r"[\s。]*$"),
        "recipients_words": tuple(cfg["recipients_words"]),
        "body_genre": cfg["body_genre"],
        "validity": re.compile(cfg["validity"]),
        "five_year": cfg["five_year_plans"],
        "holiday_context": tuple(cfg["holiday_context"]),
    }


_CJK = r"[\u4e00-\u9fff]"


def normalise_title(s: str) -> str:
    """Remove line breaks and spaces between CJK characters and digits (2019 年 -> 2019年);
    a space between two words (“国庆 中秋”) stays, one inside a broken line goes."""
    s = re.sub(r"\s*\n\s*", "", s.strip())
    s = re.sub(rf"(?<={_CJK})\s+(?=[\dA-Za-z])|(?<=[\dA-Za-z])\s+(?={_CJK})", "", s)
    s = re.sub(r"(?<=[\u4e00-\u9fff《》“”（）()、])\s+(?=[《》“”（）()、])|(?<=[《》“”（）()、])\s+(?=[\u4e00-\u9fff])", "", s)
    s = re.sub(r"\s{2,}", " ", s)
    return s.strip().rstrip("。")


def _squeeze(s: str) -> str:
    return s.replace(" ", "").replace("\u3000", "")


def _has_suffix(view: str) -> bool:
    return any(view.endswith(s) for s in _cfg()["suffixes"])


def _org_name(view: str) -> bool:
    """Is ``view`` (blanks removed) one organisation's name?"""
    c = _cfg()
    m = c["issuer_line"].match(view)
    return bool(m and m.group("name") == view and len(view) >= 3 and _has_suffix(view) and not c["title_end"].search(view)
                and not any(w in view for w in c["not_issuer"]))


def _issuer_name(line: str) -> str | None:
    """The issuer a line names (``X文件``, ``X``, joint ``X Y``), as written, else None."""
    c = _cfg()
    line = re.sub(r"^文\s*件\s*|\s*文\s*件$", "", line.strip()) or line
    view = matching_view(line.strip())
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


def _issuer_of_title(title: str) -> str | None:
    """The organisation(s) a ``X关于…`` title opens with, as written."""
    view = matching_view(title)
    m = re.match(r"^(?P<org>.{2,80}?)关于", view)
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
        if line.strip():
            out.append((pos, line.strip()))
        pos += len(line) + 1
    return out


def _unwrap(view: str) -> str:
    """A title without enclosing 《》 or a page title's 【】."""
    v = view.strip()
    if len(v) > 2 and v[0] + v[-1] in ("《》", "【】") and v.count(v[0]) == 1:
        return v[1:-1]
    return v


def _is_title(view: str) -> bool:
    c = _cfg()
    v = _unwrap(view)
    if len(v) > c["title_max"] or len(v) < c["title_min"] or re.search(r"[。！？；]", v.rstrip("。")):
        return False
    if starts_with_label(v) or re.search(r"[A-Za-z]{8}", v) or c["attachment_label"].match(v) or re.search(r"[，,]", v) \
            or v[0] in "（(、，,；;）)〕]":
        return False
    if c["furniture"].match(view) or re.search(r"[:：]$", v):
        return False
    return bool(c["title_end"].search(v) or (v.startswith("关于") and len(v) >= 8 and "，" not in v))


def _doc_type(*titles: str | None) -> str | None:
    """summary / plan / notice from the enclosed document's title, else the notice's: the
    《…》 or what 印发 names; a 关于…的通知 naming no document is a notice."""
    c = _cfg()
    types = c["doc_types"]
    for title in titles:
        if not title:
            continue
        view = matching_view(title)
        inner = re.search(r"《([^》]+)》", view) if re.search(r"印发|发布|转发|《[^》]+》$", view) else None
        issued = re.search(r"印发\s*(.{4,}?)的(?:通知|函)", view)
        probe = inner.group(1) if inner else issued.group(1) if issued else view
        if probe is view and c["notice_end"].search(view) and not c["plan_end"].search(view):
            return "notice"
        for kind in ("summary", "plan", "notice"):
            if any(w in probe for w in types[kind]):
                return kind
    return "notice" if any(titles) else None


def _doc_type_of_body(opening: str) -> str:
    """The genre an untitled document's opening paragraph names (notice when none)."""
    view = matching_view(opening)
    for kind in ("summary", "plan"):
        if any(w in view for w in _cfg()["body_genre"][kind]):
            return kind
    return "notice"


def _doc_number(ln: str, view: str) -> str | None:
    c = _cfg()
    m = c["doc_number"].search(view)
    if m and (m.group("open") or m.group("close")) and len(view) <= 40:
        org = ln[m.start("org"):m.end("org")].strip()
        return f"{org}〔{m.group('year')}〕{m.group('num')}号"
    m = c["doc_number_dash"].match(view)
    if m:
        return re.sub(r"\s+", "", ln[m.start("num"):m.end("num")])
    return None


def _date_of(view: str) -> dt.date | None:
    """A date line, also in brackets under a title: （2020年9月29日）."""
    d = parse_date_line(view)
    if d is None and len(view) > 2 and view[0] in "（(" and view[-1] in "）)":
        d = parse_date_line(view[1:-1])
    return d


def _is_furniture(view: str) -> bool:
    c = _cfg()
    return bool(c["furniture"].match(view) or c["page_title"].search(view) and not c["title_end"].search(view))


def _menu_item(line: str) -> bool:
    """A short line of a site's menu (not a label, an attachment label or a date)."""
    v = matching_view(line)
    return len(_squeeze(v)) <= 10 and not starts_with_label(v) and not _cfg()["attachment_label"].match(v) \
        and not re.search(r"\d", v) and not re.match(r"^第.{1,3}[章节条]", v)


def _title_at(header, i: int):
    """(title, last line index) of a title starting at header line ``i``: the line itself, or
    two to four lines joined when a title was broken, else None."""
    c = _cfg()
    ln = header[i][1]
    view = matching_view(ln)
    if _is_furniture(view):
        return None
    if c["attachment_label"].match(view):
        return None
    for k in (1, 2, 3, 4):
        parts = [h[1] for h in header[i:i + k]]
        if len(parts) < k:
            break
        views = [matching_view(p) for p in parts]
        if k > 1 and (any(re.search(r"[:：。；！？]", v) or c["furniture"].match(v) or _date_of(v)
                          or _doc_number(p, v) or c["attachment_label"].match(v) or re.search(r"文\s*件$", v)
                          for p, v in zip(parts, views))
                      or len(c["title_prefix"].sub("", views[0])) < c["first_part_min"]):
            break
        if k > 1 and len(_squeeze(views[0])) <= 12 and _menu_item(parts[-1]):
            continue   # a run of menu items is not a broken title
        joined = normalise_title("\n".join(parts))
        jv = matching_view(joined)
        if k == 1 and _is_title(jv) and (c["title_end"].search(_unwrap(jv)) or i + 1 >= len(header)):
            if len(_squeeze(jv)) < 14 and 0 < i < len(header) - 1 \
                    and _menu_item(header[i - 1][1]) and _menu_item(header[i + 1][1]):
                return None     # an item of a site's menu (短栏目名 between short lines)
            return joined, i
        if k > 1 and _is_title(jv) and c["title_end"].search(_unwrap(jv)):
            return joined, i + k - 1
        if len(jv) > c["title_max"]:
            break
    return None


def _strip_title(title: str) -> str:
    """The title without what a copy wrapped around it (enclosing 《》 or 【】, an attachment
    label, a site name before it, its document number in brackets after it)."""
    c = _cfg()
    v = title.strip()
    if len(v) > 2 and v[0] + v[-1] in ("《》", "【】") and v.count(v[0]) == 1:
        v = v[1:-1].strip()
    m = c["title_prefix"].match(matching_view(v))
    if m and len(v) - m.end() >= c["title_min"]:
        v = v[m.end():]
    m = c["title_number"].search(matching_view(v))
    if m and m.start() >= c["title_min"]:
        v = v[:m.start()]
    return v.strip()


def _number_in_title(title: str) -> str | None:
    m = _cfg()["title_number"].search(matching_view(title))
    return _doc_number(m.group("num"), matching_view(m.group("num"))) if m else None


def _names_orgs(view: str) -> bool:
    c = _cfg()
    parts = [p for p in re.split(r"[、，,；;\s]+", view) if p]
    return any(_has_suffix(p) or any(w in p for w in c["recipients_words"]) for p in parts)


def _recipients(header, j: int) -> tuple[str | None, int]:
    """主送机关 starting at header line ``j`` (one to four lines up to a final colon)."""
    c = _cfg()
    first = matching_view(header[j][1]) if j < len(header) else ""
    if "【" in first or not _names_orgs(re.sub(r"[:：]\s*$", "", first)):
        return None, j
    parts = []
    for k in range(j, min(j + 4, len(header))):
        ln = header[k][1]
        view = matching_view(ln)
        if re.search(r"[。！？]", view) or view.startswith(("现将", "根据", "为", "按照", "近日", "经")) \
                or _is_furniture(view) or len(_squeeze(view)) < 3:
            return None, j
        parts.append(ln)
        if re.search(r"[:：]\s*$", ln):
            joined = re.sub(r"[:：]\s*$", "", "".join(parts)).strip()
            return (joined, k) if len(joined) <= c["recipients_max"] else (None, j)
        if k == j and c["recipients_no_colon"].match(view) and len(view) <= 100 and \
                not (k + 1 < len(header) and c["recipients_no_colon"].match(matching_view(header[k + 1][1]))):
            nxt = matching_view(header[k + 1][1]) if k + 1 < len(header) else ""
            if not re.search(r"[:：]\s*$", nxt) or re.search(r"[。！？]", nxt):
                return ln.strip(), k
    return None, j


def _header(lines, limit: int, size: int = 40):
    """The lines before ``limit``, up to ``size`` of them that are not site furniture (a web
    copy's menus can run to a hundred lines above the document)."""
    out, n = [], 0
    for pos, ln in lines:
        if pos >= limit or n >= size:
            break
        out.append((pos, ln))
        if not _is_furniture(matching_view(ln)) and not _menu_item(ln):
            n += 1
    return out or lines[:12]


def parse_metadata(text: str, first_item_start: int | None = None) -> Metadata:
    """Header elements of the clean ``text``; ``first_item_start`` bounds the header."""
    c = _cfg()
    lines = _lines(text)
    limit = first_item_start if first_item_start is not None else len(text)
    header = _header(lines, limit)

    issuer = doc_number = title = attachment = recipients = None
    issue_date = None
    page_title = None        # a web page's own title line, the fallback title
    title_idx = None
    header_orgs: list[str] = []
    i = 0
    while i < len(header):
        pos, ln = header[i]
        view = matching_view(ln)
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
        if doc_number is None and (title is None or title_idx is not None and i <= title_idx + 3):
            num = _doc_number(ln, view)
            if num:
                doc_number = num
                i += 1
                continue
        if title is None and doc_number is None and len(header_orgs) < 4:
            name = _issuer_name(ln)
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
            if found:
                title, title_idx = _strip_title(found[0]), found[1]
                doc_number = doc_number or _number_in_title(found[0])
                i = found[1] + 1
                # 主送机关 after the title (a web copy puts the number or the date between)
                j = i
                while j < len(header) and j <= i + 3:
                    v = matching_view(header[j][1])
                    if c["furniture"].match(v) or _doc_number(header[j][1], v) or _date_of(v) \
                            or _strip_title(normalise_title(header[j][1])) == title:   # the title repeated
                        if doc_number is None and _doc_number(header[j][1], v):
                            doc_number = _doc_number(header[j][1], v)
                        elif issue_date is None and _date_of(v) and j == i:
                            issue_date = _date_of(v)
                        j += 1
                        continue
                    break
                if j < len(header):
                    recipients, last = _recipients(header, j)
                    if recipients:
                        i = last + 1
                continue
        if issue_date is None:
            d = _date_of(view)
            if d:
                issue_date = d
                i += 1
                continue
        if title is not None and attachment is None and i > (title_idx or 0) + 1:
            found = _title_at(header, i)
            if found and not matching_view(found[0]).startswith("关于") and not _issuer_of_title(found[0]) \
                    and not _squeeze(title).endswith(_squeeze(_strip_title(found[0]))) \
                    and not _squeeze(title).startswith(_squeeze(_strip_title(found[0]))) \
                    and _balanced(found[0]):
                attachment = _strip_title(found[0])
                i = found[1] + 1
                continue
        i += 1

    if title is None and page_title:
        title = page_title
    if header_orgs:
        issuer = " ".join(header_orgs)
    if attachment is None and title:
        m = re.search(r"(?:印发|发布)\s*《([^》]+)》", title) or re.search(r"印发\s*(.{4,}?)的通知", title)
        if m:
            attachment = normalise_title(m.group(1))
    if issuer is None and title:
        issuer = _issuer_of_title(title)

    # the signature at the end: an organisation line and/or a date line
    tail = lines[-5:] if lines else []
    for j, (pos, ln) in enumerate(tail):
        if pos < limit:
            continue
        d = _date_of(matching_view(ln))
        if d:
            if issue_date is None:
                issue_date = d
            if issuer is None and j > 0:
                issuer = _issuer_name(tail[j - 1][1])

    if issue_date is None or issuer is None:
        # a notice that encloses its plan signs before the plan: the first organisation
        # line followed by a date line, wherever it stands
        for (_, org), (_, ln) in zip(lines, lines[1:]):
            d = _date_of(matching_view(ln))
            name = _issuer_name(org)
            if d and name:
                issue_date, issuer = issue_date or d, issuer or name
                break
    if issue_date is None and title is not None:
        # a signature date alone (no organisation line above it) right after the body
        for pos, ln in lines:
            if pos >= limit:
                d = _date_of(matching_view(ln))
                if d:
                    issue_date = d
                    break
    if issuer is None:
        for _, ln in lines[:30]:
            m = c["issuer_field"].match(matching_view(ln))
            if m:
                issuer = ln[m.start("name"):m.end("name")].strip()
                break

    period = _period(text, lines, title, attachment, issue_date)
    doc_type = _doc_type(attachment, title)
    if doc_type is None and lines:
        doc_type = _doc_type_of_body(lines[0][1])
    return Metadata(
        issuer=issuer, doc_number=doc_number, title=title, attachment_title=attachment,
        recipients=recipients, issue_date=issue_date,
        period_start=period[0] if period else None, period_end=period[1] if period else None,
        doc_type=doc_type,
    )


def _period(text, lines, title, attachment, issue_date):
    """The period the plan covers: its title, a named planning period, the holidays the
    title names, the period a regulation is in force; an untitled text's opening sentence."""
    c = _cfg()
    for t in (attachment, title):
        if not t:
            continue
        view = _squeeze(matching_view(t))
        for name, (a, b) in c["five_year"].items():
            if name in view and not re.search(r"(?:19|20)\d{2}\s*年", view):
                return dt.date(a, 1, 1), dt.date(b, 12, 31)
        p = period_of_title(view)
        if p:
            return p
    for t in (attachment, title):
        if t:
            p = _holiday_period(_squeeze(matching_view(t)), issue_date)
            if p:
                return p
    view = matching_view(text)
    found = list(c["validity"].finditer(view))
    if found:
        m = found[-1]
        a, b = _ymd(m.group("a")), _ymd(m.group("b"))
        if a and b and a <= b:
            return a, b
    if not title and lines:
        first = re.split(r"[。！？]", matching_view(lines[0][1]))[0]
        years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})\s*年(?!度?\s*[-—至~])", first))
        if len(years) == 1:
            y = int(years.pop())
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
    return None


def _ymd(s: str) -> dt.date | None:
    m = re.match(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", s)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:
        return None


def _holiday_period(view: str, issue_date: dt.date | None):
    """The days of the holidays a title names when it times the work by them
    (“国庆 中秋”期间): the year from the title, else the issue date."""
    from ..extract.dates_lex import lexicon

    if not any(w in view for w in _cfg()["holiday_context"]):
        return None
    m = re.search(r"((?:19|20)\d{2})\s*年", view)
    year = int(m.group(1)) if m else (issue_date.year if issue_date else None)
    if year is None:
        return None
    lex = lexicon()
    days = []
    names = sorted(lex.holidays["holidays"], key=len, reverse=True)
    rest = view
    for name in names:
        spec = lex.holidays["holidays"][name]
        if name not in rest or spec.get("needs_after"):
            continue
        rest = rest.replace(name, "\0")
        if "fixed" in spec:
            days.append(dt.date(year, *spec["fixed"]))
        elif "lunar" in spec and year in lex.lunar:
            days.append(lex.lunar[year][spec["lunar"]])
    if not days:
        return None
    return min(days), max(days)
