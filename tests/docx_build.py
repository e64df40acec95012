"""Build DOCX test files with python-docx, including real Word list numbering.

* ``docx_from_lines(lines)``: one paragraph per line, text as written.
* ``docx_with_list_numbering(lines)``: the top-level and second-level labels of a
  notice (``一、`` / ``1、`` ``（一）`` …) are removed from the text and given back as
  Word list numbering (``numbering.xml`` written through python-docx's oxml): top-level
  paragraphs get it from a ``Heading 1`` style carrying a ``w:numPr``, second-level
  paragraphs from their own ``w:numPr``; whether the second level restarts under each
  top-level item is taken from the notice itself.
* ``add_list(doc, levels)``, ``number_paragraph``, ``number_style``: the numbering
  primitives, usable on their own.
"""
from __future__ import annotations

import io
import re

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.text.labels import match_label

CN_DIGITS = "零一二三四五六七八九"
_ARTEFACT = re.compile(r"^\s*(\[bookmark:[^\]]*\])?\s*")


def to_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_from_lines(lines: list[str]) -> bytes:
    """A DOCX with one paragraph per line."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return to_bytes(document)


def cn_value(label: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 12 -> 12."""
    if label.isdigit():
        return int(label)
    if "十" in label:
        tens, _, ones = label.partition("十")
        return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)
    return CN_DIGITS.index(label.replace("〇", "零").replace("○", "零"))


def add_list(document, levels: list[dict]) -> str:
    """Add an abstract list with ``levels`` (dicts: fmt, text, start, restart, suff, pstyle) and a
    ``w:num`` using it; returns the numId."""
    numbering = document.part.numbering_part.element
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=-1) + 1
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{lv.get("start", 1)}"/>'
        f'<w:numFmt w:val="{lv["fmt"]}"/>'
        + (f'<w:lvlRestart w:val="{lv["restart"]}"/>' if lv.get("restart") is not None else "")
        + (f'<w:pStyle w:val="{lv["pstyle"]}"/>' if lv.get("pstyle") else "")
        + (f'<w:suff w:val="{lv["suff"]}"/>' if lv.get("suff") else "")
        + f'<w:lvlText w:val="{lv["text"]}"/><w:lvlJc w:val="left"/>'
        + "</w:lvl>"
        for i, lv in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                         f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)   # schema order: every abstractNum before the nums
    else:
        numbering.append(abstract)
    return str(numbering.add_num(abstract_id).numId)


def number_paragraph(paragraph, num_id: str, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = int(num_id)


def number_style(style, num_id: str, ilvl: int | None = 0) -> None:
    """Give a paragraph style list numbering; ``ilvl=None`` leaves the level to the list's
    ``w:pStyle`` binding (how Word links heading styles to a multilevel list)."""
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = int(num_id)


def _level_def(written: str, label: str, level: int) -> dict:
    """numFmt and lvlText from a label as written (``（一）`` at level 1 -> ``（%2）``)."""
    fmt = "decimal" if label.isdigit() else "chineseCounting"
    head, _, tail = written.partition(label)
    return {"fmt": fmt, "text": f"{head}%{level + 1}{tail}", "start": cn_value(label)}


def _simulate(values: list[tuple[int, int]], starts: tuple[int, int], restart: bool) -> list[int]:
    counters: dict[int, int] = {}
    out = []
    for level, _ in values:
        counters[level] = counters[level] + 1 if level in counters else starts[level]
        if level == 0 and restart:
            counters.pop(1, None)
        out.append(counters[level])
    return out


def docx_of_lines(lines: list[str]) -> bytes:
    """A DOCX with one paragraph per line, labels written as text (as most DOCX notices are)."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return to_bytes(document)


def docx_with_list_numbering(lines: list[str]) -> bytes:
    """A DOCX whose first two numbering levels are Word list numbering, not text."""
    found = []   # (line index, level, head, rest-after-label, written label, label)
    styles: list[str] = []
    for i, line in enumerate(lines):
        m = _ARTEFACT.match(line)
        rest = line[m.end():]
        lab = match_label(rest)
        if lab is None or lab.inline:
            continue
        if lab.style not in styles:
            styles.append(lab.style)
        level = styles.index(lab.style)
        if level < 2:
            found.append((i, level, m.group(1) or "", rest[lab.end:], rest[:lab.end].strip(), lab.label))
    if len(styles) < 2:
        raise ValueError("the notice needs two numbering levels")
    defs = [next(_level_def(f[4], f[5], lvl) for f in found if f[1] == lvl) for lvl in (0, 1)]
    values = [(f[1], cn_value(f[5])) for f in found]
    starts = (defs[0]["start"], defs[1]["start"])
    restart = next((r for r in (True, False)
                    if _simulate(values, starts, r) == [v for _, v in values]), None)
    if restart is None:
        raise ValueError("Word numbering cannot reproduce this notice's numbers")
    if not restart:
        defs[1]["restart"] = 0

    document = docx.Document()
    num_id = add_list(document, defs)
    heading = document.styles["Heading 1"]
    number_style(heading, num_id, 0)
    by_line = {f[0]: f for f in found}
    for i, line in enumerate(lines):
        f = by_line.get(i)
        if f is None:
            document.add_paragraph(line)
            continue
        _, level, head, rest, _, _ = f
        if level == 0:
            document.add_paragraph(head + rest, style=heading)
        else:
            number_paragraph(document.add_paragraph(head + rest), num_id, 1)
    return to_bytes(document)
