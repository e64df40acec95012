"""Contents pages (目录): recognised in a PDF's lines and kept out of the text.

A contents entry is a heading followed by a leader (dots, ellipses, middle dots) and
usually its page number: ``一、背景形势 ........ 1``, ``2. 形势分析…………2``. Under a
``目录`` heading an entry may also be a heading and a page number set apart by blanks.
An entry too long for its line wraps: a line without a leader directly before an
entry belongs to it. A run of entries (at least ``min_entries`` of them, or one after
a ``目录`` heading), with its heading, is the contents block; it may go on over pages.

The block is dropped, like a running header: its lines are headings of the body
repeated with page numbers, and the outline would read each as an item (a document's
page furniture is not text; GUIDELINES §2). Patterns are in ``models/ingest/pdf.yaml``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_yaml
from ..text.punctuation import char_class
from .pdf_layout import Line, PageLines

_SENTENCE_END_AT_END = re.compile(char_class("sentence_end", wide_only=True) + "$")


@lru_cache(maxsize=1)
def _cfg():
    cfg = load_yaml("ingest/pdf.yaml")["contents"]
    return {
        "heading": re.compile(cfg["heading"], re.I),
        "entry": re.compile(cfg["entry"]),
        "bare_entry": re.compile(cfg["bare_entry"]),
        "min_entries": int(cfg["min_entries"]),
        "max_wrap_chars": int(cfg["max_wrap_chars"]),
    }


def is_contents_heading(text: str) -> bool:
    return bool(_cfg()["heading"].match(text.strip()))


def is_contents_entry(text: str, under_heading: bool = False) -> bool:
    """A contents line: a heading, a leader and maybe a page number (under a ``目录``
    heading also a heading and a page number set apart by blanks)."""
    c = _cfg()
    t = text.strip()
    return bool(c["entry"].match(t) or (under_heading and c["bare_entry"].match(t)))


def contents_lines(lines: list[Line]) -> set[int]:
    """Indexes of the lines (text lines of a document in reading order) that make up
    contents blocks."""
    c = _cfg()
    drop: set[int] = set()
    i, n = 0, len(lines)
    while i < n:
        heading = is_contents_heading(lines[i].text)
        j = i + 1 if heading else i
        entries: list[int] = []
        pending: list[int] = []          # wrapped first parts of an entry
        while j < n:
            t = lines[j].text.strip()
            if is_contents_entry(t, heading):
                entries += pending + [j]
                pending = []
            elif entries or heading:
                if len(pending) < 2 and len(t) <= c["max_wrap_chars"] and not _SENTENCE_END_AT_END.search(t):
                    pending.append(j)
                else:
                    break
            else:
                break
            j += 1
        n_entries = len(entries)
        if (heading and n_entries >= 1) or n_entries >= c["min_entries"]:
            drop.update(([i] if heading else []) + entries)
            i = entries[-1] + 1
        else:
            i += 1
    return drop


def drop_contents(pages: list[PageLines]) -> list[PageLines]:
    """Remove contents blocks from ``pages`` (in place; tables stay)."""
    flat = [(p, ln) for p in pages for ln in p.lines if ln.table_rows is None]
    drop = contents_lines([ln for _, ln in flat])
    if drop:
        gone = {id(flat[k][1]) for k in drop}
        for p in pages:
            p.lines = [ln for ln in p.lines if id(ln) not in gone]
    return pages
