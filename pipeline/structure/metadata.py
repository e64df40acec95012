"""Metadata: clean text -> the GB/T 9704-2012 header elements of a notice (GUIDELINES §1).

``parse_metadata(text, first_item_start)`` reads the header (the text before the
first numbered item, or the first lines when there is none) and the signature at the
end, and returns a ``Metadata``: issuer (发文机关), doc_number (发文字号, brackets as
〔〕), title (line breaks and CJK–digit spaces removed), attachment_title (the
enclosed plan's own heading, else the 《…》 of a 印发 title), recipients (主送机关,
without the final colon), issue_date (成文日期, Arabic or Chinese numerals),
period_start/period_end (the period the plan covers, from its title) and doc_type.
Patterns and word lists are in ``models/structure/metadata.yaml``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_yaml
from ..textview import matching_view
from .period import parse_date_line, period_of_title


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


@lru_cache(maxsize=1)
def _cfg():
    cfg = load_yaml("structure/metadata.yaml")
    suffixes = sorted(cfg["issuer_suffixes"], key=len, reverse=True)
    words = sorted(cfg["title_words"], key=len, reverse=True)
    return {
        "issuer_line": re.compile(cfg["issuer_line"]),
        "suffixes": suffixes,
        "doc_number": re.compile(cfg["doc_number"]),
        "title_end": re.compile("(?:" + "|".join(map(re.escape, words)) + r")[\s。]*$"),
        "doc_types": cfg["doc_types"],
    }


_CJK = r"[\u4e00-\u9fff]"


def normalise_title(s: str) -> str:
    """Remove line breaks and spaces between CJK characters and digits (2019 年 -> 2019年)."""
    s = re.sub(r"\s*\n\s*", "", s.strip())
    s = re.sub(rf"(?<={_CJK})\s+(?=[\dA-Za-z])|(?<=[\dA-Za-z])\s+(?={_CJK})", "", s)
    s = re.sub(rf"(?<={_CJK})\s+(?={_CJK})", "", s)
    return s.strip().rstrip("。")


def _issuer_name(line: str) -> str | None:
    c = _cfg()
    m = c["issuer_line"].match(line.replace(" ", "").replace("\u3000", ""))
    if not m:
        return None
    name = m.group("name")
    view = matching_view(name)
    if any(view.endswith(s) for s in c["suffixes"]) and not c["title_end"].search(view):
        return name
    return None


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line.strip()))
        pos += len(line) + 1
    return out


def _is_title(view: str) -> bool:
    c = _cfg()
    if len(view) > 80 or re.search(r"[。！？；]", view.rstrip("。")):
        return False
    return bool(view.startswith("关于") or c["title_end"].search(view))


def _doc_type(*titles: str | None) -> str | None:
    types = _cfg()["doc_types"]
    for title in titles:
        if not title:
            continue
        view = matching_view(title)
        inner = re.search(r"《([^》]+)》", view)
        probe = inner.group(1) if inner else view
        for kind in ("summary", "plan", "notice"):
            if any(w in probe for w in types[kind]):
                return kind
    return "notice" if any(titles) else None


def parse_metadata(text: str, first_item_start: int | None = None) -> Metadata:
    """Header elements of the clean ``text``; ``first_item_start`` bounds the header."""
    c = _cfg()
    lines = _lines(text)
    limit = first_item_start if first_item_start is not None else len(text)
    header = [(pos, ln) for pos, ln in lines if pos < limit][:40] or lines[:12]

    issuer = doc_number = title = attachment = recipients = None
    issue_date = None
    title_idx = number_idx = None
    skip = 0
    for i, (pos, ln) in enumerate(header):
        if skip:
            skip -= 1
            continue
        view = matching_view(ln)
        if doc_number is None:
            m = c["doc_number"].search(view)
            if m and len(view) <= 40:
                doc_number = f"{ln[m.start('org'):m.end('org')]}〔{m.group('year')}〕{m.group('num')}号"
                number_idx = i
                continue
        if issuer is None and title is None and i < 6:
            name = _issuer_name(ln)
            if name:
                issuer = name
                continue
        if title is None and _is_title(view) and (c["title_end"].search(view) or i + 1 >= len(header)):
            title, title_idx = normalise_title(ln), i
            continue
        if title is None and issuer is not None or title is None and view.startswith("关于"):
            # a title wrapped over two or three lines
            for k in (2, 3):
                parts = [h[1] for h in header[i:i + k]]
                joined = "".join(parts)
                if len(parts) == k and not re.search(r"[:：。]", "".join(parts[:-1])) and _is_title(matching_view(joined)) \
                        and c["title_end"].search(matching_view(joined)):
                    title, title_idx, skip = normalise_title("\n".join(parts)), i + k - 1, k - 1
                    break
            if title is not None:
                continue
        # 主送机关: the line after the title (web pages put the 发文字号 between them)
        right_after_title = i == title_idx + 1 if title_idx is not None else False
        if title_idx is not None and i == title_idx + 2 and number_idx == title_idx + 1:
            right_after_title = True
        if title is not None and recipients is None and right_after_title and re.search(r"[:：]\s*$", ln) \
                and len(ln) <= 120 and not view.startswith(("现将", "根据", "为")) and not re.search(r"[。！？]", view):
            recipients = re.sub(r"[:：]\s*$", "", ln).strip()
            continue
        if issue_date is None:
            d = parse_date_line(view)
            if d:
                issue_date = d
                continue
        if title is not None and attachment is None and i > (title_idx or 0) + 1 and _is_title(view) \
                and not view.startswith("关于"):
            attachment = normalise_title(ln)

    if attachment is None and title:
        m = re.search(r"印发\s*《([^》]+)》", title)
        if m:
            attachment = normalise_title(m.group(1))
    if title is None and lines:
        # no title-shaped line: fall back to the first line of the text
        title = normalise_title(lines[0][1]) if len(lines[0][1]) <= 80 else None

    # the signature at the end: an organisation line and/or a date line
    tail = lines[-4:] if lines else []
    for j, (pos, ln) in enumerate(tail):
        if pos < limit:
            continue
        d = parse_date_line(matching_view(ln))
        if d:
            if issue_date is None:
                issue_date = d
            if issuer is None and j > 0:
                issuer = _issuer_name(tail[j - 1][1])

    if issue_date is None:
        # a notice that encloses its plan signs before the plan: the first organisation
        # line followed by a date line, wherever it stands
        for (_, org), (_, ln) in zip(lines, lines[1:]):
            d = parse_date_line(matching_view(ln))
            if d and _issuer_name(org):
                issue_date, issuer = d, issuer or _issuer_name(org)
                break

    period = period_of_title(matching_view(attachment or title or ""))
    if period is None and title and attachment:
        period = period_of_title(matching_view(title))
    return Metadata(
        issuer=issuer, doc_number=doc_number, title=title, attachment_title=attachment,
        recipients=recipients, issue_date=issue_date,
        period_start=period[0] if period else None, period_end=period[1] if period else None,
        doc_type=_doc_type(attachment, title),
    )
