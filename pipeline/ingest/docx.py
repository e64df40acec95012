"""DOCX reader: a Word file's bytes -> its raw text (paragraphs and tables in order).

``read_docx(data, source)`` returns the body of the document as lines:

* every paragraph is a line, prefixed with the label Word draws from its list
  numbering (``一、`` ``（一）`` ``1.``; see ``docx_numbering.py``), so the outline finds
  items whose numbers are not in the text; a line break inside a paragraph is a line
  break; text boxes anchored in a paragraph come as lines before it;
* every table is one line per row in pipe form (``table_text.py``): merged cells
  expanded over the grid (``gridSpan`` -> first column then empty cells, ``vMerge``
  continue -> the text of the cell above), nested tables flattened into their cell;
* paragraphs and tables keep their document order; content controls, tracked
  insertions and smart tags are read through; deleted text, field instructions,
  headers, footers, footnotes and comments are not part of the text.

The container is checked before anything is inflated (``docx_zip.py``); hostile or
unreadable files raise NoticeError (``corrupt``, ``zip_bomb``, ``encrypted``,
``legacy_doc``, ``ole_unsupported``, ``unsupported``).
"""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from .docx_numbering import ListNumbering
from .docx_zip import DOCUMENT_XML, check_package, default_limits, read_capped
from .errors import NoticeError
from ..text.table_text import MAX_COLUMNS, cell_text, grid_lines

_RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_FALLBACK = f"{{{_MC}}}Fallback"
_ALTERNATE = f"{{{_MC}}}AlternateContent"

W_P, W_TBL, W_TR, W_TC, W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
W_TXBX = qn("w:txbxContent")
# containers whose children are read as if they stood in their parent
_BLOCK_WRAPPERS = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins"), qn("w:moveTo")}
_INLINE_WRAPPERS = _BLOCK_WRAPPERS | {qn("w:hyperlink"), qn("w:smartTag"), qn("w:fldSimple"),
                                      qn("w:dir"), qn("w:bdo"), qn("w:rubyBase")}
_RUN_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:cr"): "\n",
             qn("w:br"): "\n", qn("w:noBreakHyphen"): "-", qn("w:softHyphen"): ""}
_DRAWINGS = {qn("w:drawing"), qn("w:pict"), qn("w:object"), _ALTERNATE}


def read_docx(data: bytes, source: str) -> str:
    """The raw text of the DOCX ``data`` (``source`` names the file in errors)."""
    limits = default_limits()
    zf = check_package(data, source, limits)
    # the cap is checked on the really inflated bytes before python-docx parses the part
    read_capped(zf, DOCUMENT_XML, limits.max_document_xml_bytes, source)
    doc = _open(data, source)
    part = doc.part
    try:
        numbering_el = part.part_related_by(_RT_NUMBERING).element
    except (KeyError, AttributeError):
        numbering_el = None
    try:
        styles_el = part.part_related_by(_RT_STYLES).element
    except (KeyError, AttributeError):
        styles_el = None
    walker = _Walker(ListNumbering(numbering_el, styles_el))
    body = doc.element.body
    return "\n".join(walker.blocks(body)) if body is not None else ""


def _open(data: bytes, source: str):
    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "not a Word file" in str(exc):
            raise NoticeError("unsupported", f"{source}: not a Word document (a macro file or template?)") from None
        raise NoticeError("corrupt", f"{source}: damaged DOCX: {exc}") from None
    except Exception as exc:  # python-docx / lxml errors on a damaged package
        raise NoticeError("corrupt", f"{source}: damaged DOCX: {type(exc).__name__}: {exc}") from None


class _Walker:
    """Walks body elements in document order; owns the numbering counters."""

    def __init__(self, numbering: ListNumbering):
        self.numbering = numbering

    def blocks(self, parent) -> list[str]:
        """Lines of the block-level children of ``parent`` (body, cell, text box, sdt)."""
        lines: list[str] = []
        for el in parent:
            if el.tag == W_P:
                lines.extend(self.paragraph(el))
            elif el.tag == W_TBL:
                lines.extend(grid_lines(self.table_rows(el)))
            elif el.tag in _BLOCK_WRAPPERS:
                lines.extend(self.blocks(el))
        return lines

    def paragraph(self, p) -> list[str]:
        """Lines of one paragraph: its text boxes' lines, then label + text (split at breaks)."""
        boxes: list = []
        text = "".join(_inline_text(p, boxes))
        lines = [line for box in boxes for line in self.blocks(box)]
        label = self.numbering.label(p)
        lines.extend(((label or "") + text).split("\n"))
        return lines

    def cell_paragraphs(self, parent) -> list[str]:
        """Paragraph texts of a cell, nested tables flattened cell by cell."""
        out: list[str] = []
        for el in parent:
            if el.tag == W_P:
                out.extend(self.paragraph(el))
            elif el.tag == W_TBL:
                for row in _children(el, W_TR):
                    for tc in _children(row, W_TC):
                        out.extend(self.cell_paragraphs(tc))
            elif el.tag in _BLOCK_WRAPPERS:
                out.extend(self.cell_paragraphs(el))
        return out

    def table_rows(self, tbl) -> list[list[str]]:
        """The table's rows as cell texts over its grid, merges expanded."""
        grid = tbl.find(qn("w:tblGrid"))
        width = min(len(grid.findall(qn("w:gridCol"))) if grid is not None else 0, MAX_COLUMNS)
        rows: list[list[str]] = []
        above: list[str] = []
        for tr in _children(tbl, W_TR):
            tr_pr = tr.find(qn("w:trPr"))
            row = [""] * min(max(_int_val(tr_pr, "w:gridBefore") or 0, 0), MAX_COLUMNS)
            for tc in _children(tr, W_TC):
                if len(row) >= MAX_COLUMNS:
                    break
                tc_pr = tc.find(qn("w:tcPr"))
                span = min(max(_int_val(tc_pr, "w:gridSpan") or 1, 1), MAX_COLUMNS)
                col = len(row)
                if _continues(tc_pr, "w:vMerge"):
                    self.cell_paragraphs(tc)   # keeps numbering counters in step
                    text = above[col] if col < len(above) else ""
                elif _continues(tc_pr, "w:hMerge"):
                    text = ""
                else:
                    text = cell_text(self.cell_paragraphs(tc))
                row.append(text)
                row.extend([""] * (span - 1))
            row.extend([""] * min(max(_int_val(tr_pr, "w:gridAfter") or 0, 0), MAX_COLUMNS))
            row = row[:MAX_COLUMNS]
            rows.append(row)
            above = row
        width = max([width] + [len(r) for r in rows])
        return [r + [""] * (width - len(r)) for r in rows]


def _children(el, tag):
    """Children of ``el`` with ``tag``, looking through content controls and custom XML."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _int_val(pr, tag: str) -> int | None:
    child = pr.find(qn(tag)) if pr is not None else None
    if child is None:
        return None
    try:
        return int(child.get(qn("w:val")))
    except (TypeError, ValueError):
        return None


def _continues(tc_pr, tag: str) -> bool:
    """True for a merge element without val or with val="continue" (the merged-into cells)."""
    if tc_pr is None:
        return False
    merge = tc_pr.find(qn(tag))
    return merge is not None and merge.get(qn("w:val"), "continue") == "continue"


def _inline_text(el, boxes: list):
    """Yield the text pieces of a paragraph (or inline container); collect text boxes."""
    for child in el:
        tag = child.tag
        if tag == W_R:
            for piece in child:
                kind = piece.tag
                if kind in _RUN_TEXT:
                    fixed = _RUN_TEXT[kind]
                    yield (piece.text or "") if fixed is None else fixed
                elif kind in _DRAWINGS:
                    boxes.extend(_text_boxes(piece))
        elif tag in _INLINE_WRAPPERS:
            yield from _inline_text(child, boxes)
        elif tag == qn("w:ruby"):
            base = child.find(qn("w:rubyBase"))
            if base is not None:
                yield from _inline_text(base, boxes)
        elif tag in _DRAWINGS:
            boxes.extend(_text_boxes(child))


def _text_boxes(el) -> list:
    """Outermost text-box contents under ``el``, skipping mc:Fallback copies."""
    out = []
    for box in el.iter(W_TXBX):
        anc, keep = box.getparent(), True
        while anc is not None and anc is not el:
            if anc.tag in (_FALLBACK, W_TXBX):
                keep = False
                break
            anc = anc.getparent()
        if keep:
            out.append(box)
    return out
