"""A government site's info box above a web copy (GUIDELINES §1, §7 web copies):

    索 引 号 ：
    11120000MB1896646L/2022-00071
    发 布 机 构 ：
    天津市工业和信息化局
    发 文 字 号 ：津工信电力〔2022〕37号

``info_box(lines)`` takes ``(offset, line)`` pairs (the header's lines) and returns
``({field: value}, value_lines)``: the value of each field whose label it finds (``issuer``,
``doc_number``, ``issue_date``, ``title``) as written (after the colon, or the next line when
the label stands alone), and the offsets of the lines that hold only an issuer, number or date
(they are the box's, not the document's header; the 名称 line is also the document's title). The caller checks each value. Labels are data (``info_box`` in
``models/structure/metadata.yaml``), matched with blanks removed.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_yaml
from ..textview import matching_view
from ..text.edges import chars, either, first_class, lines_with

_BLANKS = re.compile(r"[ \t\u3000\u00a0]+")


@lru_cache(maxsize=1)
def _labels():
    fields = load_yaml("structure/metadata.yaml")["info_box"]["labels"]
    return [(f, re.compile(rf"^[【\[]?(?:{rx})(?:[】\]][:：]?|[:：])(?P<value>.*)$")) for f, rx in fields.items()]


@lru_cache(maxsize=1)
def _label_starts():
    """The characters a line holding a field label can start with (edges.py), and the blanks
    (removed before a label is matched)."""
    return either(*(first_class(rx) for _, rx in _labels()), chars(" \t\u3000\u00a0"))


_ANY_LABEL = re.compile(r"^[【\[]?[\u4e00-\u9fff]{1,6}(?:[】\]][:：]?|[:：])$")   # 主题： 有效性： alone


@lru_cache(maxsize=1)
def placeless():
    """A name written without its place (市工业和信息化局): the box's full name replaces it."""
    return re.compile(load_yaml("structure/metadata.yaml")["info_box"]["placeless"])


def info_box(lines, view_of=matching_view) -> tuple[dict[str, str], set[int]]:
    """The fields of an info box in ``lines`` ((offset, line) each), read on ``view_of(line)``
    (the line's matching view), and the offsets of the lines holding a value alone."""
    out: dict[str, str] = {}
    value_lines: set[int] = set()
    starts = set(lines_with([ln for _, ln in lines], _label_starts(), view_of=view_of)) if lines else set()
    for k, (_, ln) in enumerate(lines):
        if k not in starts:
            continue                     # (a line no label can start)
        view = _BLANKS.sub("", view_of(ln))
        for field, rx in _labels():
            m = rx.match(view)
            if not m or field in out:
                continue
            value = _value_as_written(ln, m.group("value"))
            if not value and k + 1 < len(lines):
                nxt = lines[k + 1][1].strip()
                if not _ANY_LABEL.match(_BLANKS.sub("", view_of(nxt))):
                    value = nxt
                    if field != "title":     # the 名称 line is the document's title as well
                        value_lines.add(lines[k + 1][0])
            if value:
                out[field] = value
            break
    return out, value_lines


def _value_as_written(line: str, squeezed_value: str) -> str:
    """The value part of ``line`` as written (the label was matched with blanks removed)."""
    if not squeezed_value:
        return ""
    n = len(squeezed_value)
    s = line.strip()
    # walk back from the end over n non-blank characters
    i, seen = len(s), 0
    while i > 0 and seen < n:
        i -= 1
        if not _BLANKS.match(s[i]):
            seen += 1
    return s[i:].strip()
