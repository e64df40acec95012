"""Text with spans -> escaped HTML with nested highlight elements (displaCy's look).

``highlight(text, spans)`` takes the clean text and ``Span`` records with half-open
``[start, end)`` character offsets into it and returns HTML in which every character of
``text`` appears exactly once, escaped, and every valid span is one element carrying its
``id`` (the first piece) — spans that cross another one are split, the later pieces
marked ``hl-cont`` and without the id, so the markup always nests. Spans outside the text
or empty are dropped (``highlight`` reports them in its second return value).
Attribute values and text are escaped with ``html.escape``; nothing from the document
is ever emitted unescaped.
"""
from __future__ import annotations

import html
from collections import defaultdict
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    tag: str          # "span" or "mark"
    classes: str      # CSS classes, e.g. "hl hl-unit"
    id: str           # element id of the first piece, e.g. "unit-3"
    attrs: tuple = () # extra (name, value) attributes, e.g. (("data-label", "UNIT lead"),)


def _open(span: Span, first: bool) -> str:
    classes = span.classes if first else span.classes + " hl-cont"
    parts = [f'<{span.tag} class="{html.escape(classes)}"']
    if first and span.id:
        parts.append(f' id="{html.escape(span.id)}"')
    for name, value in span.attrs:
        parts.append(f' {name}="{html.escape(str(value))}"')
    return "".join(parts) + ">"


def highlight(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """(HTML of ``text`` with ``spans`` as nested elements, the spans dropped as invalid)."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    dropped = [s for s in spans if not (0 <= s.start < s.end <= len(text))]
    # outer (longer) spans open first at the same offset, so nested spans stay inside
    order = sorted(range(len(valid)), key=lambda i: (valid[i].start, -valid[i].end, i))
    opens_at: dict[int, list[int]] = defaultdict(list)
    for i in order:
        opens_at[valid[i].start].append(i)
    bounds = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    out: list[str] = []
    stack: list[int] = []
    for n, pos in enumerate(bounds):
        ending = [k for k, i in enumerate(stack) if valid[i].end == pos]
        if ending:
            low = ending[0]
            reopen = [i for i in stack[low:] if valid[i].end != pos]
            out.extend(f"</{valid[i].tag}>" for i in reversed(stack[low:]))
            del stack[low:]
            for i in reopen:
                out.append(_open(valid[i], first=False))
                stack.append(i)
        for i in opens_at.get(pos, ()):
            out.append(_open(valid[i], first=True))
            stack.append(i)
        if n + 1 < len(bounds):
            out.append(html.escape(text[pos:bounds[n + 1]], quote=False))
    out.extend(f"</{valid[i].tag}>" for i in reversed(stack))
    return "".join(out), dropped
