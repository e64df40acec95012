"""A document's dates -> an inline SVG timeline (no script, no external resources).

``timeline_svg(dates, period)`` takes date mentions as dicts with ``html_id`` (the element id
of the mention in the page, e.g. ``"date-3"``), ``text``, ``start``, ``end`` (``datetime.date``
or None) and ``kind`` (deadline, start, period, point), and the plan period
``(period_start, period_end)`` (either may be None). It returns ``(svg, placed, unplaced)``:
one row per mention that has a date — a bar for a period, a dot for a point, a flag at
the end for a deadline, an arrow from the start for a start — each a ``<g class="tl-item
tl-KIND" data-item=ID>`` linking to the mention; the plan period as a shaded band; month
(or quarter, or year) ticks. Mentions with neither start nor end are returned unplaced.
"""
from __future__ import annotations

import datetime as dt
import html

from .labels import labels, value

WIDTH, LABEL, RIGHT, TOP, ROW = 960, 230, 24, 34, 22
_ONE = dt.timedelta(days=1)


def _esc(s) -> str:
    return html.escape(str(s), quote=True)


def _ticks(lo: dt.date, hi: dt.date) -> list[tuple[dt.date, str]]:
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = 1 if months <= 18 else 3 if months <= 48 else 12
    d = dt.date(lo.year, lo.month, 1)
    if d < lo:
        d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    ticks = []
    while d <= hi:
        if (d.month - 1) % step == 0:
            ticks.append((d, f"{d.year}" if step == 12 else f"{d.year}-{d.month:02d}"))
        d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return ticks


def _span(item: dict) -> tuple[dt.date, dt.date] | None:
    s, e = item.get("start"), item.get("end")
    if s is None and e is None:
        return None
    return (s or e, e or s)


def timeline_svg(dates: list[dict], period: tuple[dt.date | None, dt.date | None] = (None, None),
                 lang: str = "zh") -> tuple[str, list[dict], list[dict]]:
    """(SVG markup, mentions drawn, mentions without any date); its words in ``lang``."""
    w = labels(lang)
    placed = sorted((d for d in dates if _span(d)), key=_span)
    unplaced = [d for d in dates if not _span(d)]
    if not placed:
        return "", [], unplaced
    p_lo, p_hi = period
    days = [x for d in placed for x in _span(d)] + [x for x in (p_lo, p_hi) if x]
    lo, hi = min(days), max(days) + _ONE
    if (hi - lo).days < 30:
        lo, hi = lo - dt.timedelta(days=15), hi + dt.timedelta(days=15)
    span_days = (hi - lo).days
    plot_w = WIDTH - LABEL - RIGHT
    height = TOP + ROW * len(placed) + 12

    def x(d: dt.date) -> float:
        return round(LABEL + plot_w * (d - lo).days / span_days, 1)

    out = [f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{_esc(w["timeline_aria"])}">']
    if p_lo and p_hi and p_lo <= p_hi:
        out.append(f'<rect class="tl-band" x="{x(max(p_lo, lo))}" y="{TOP - 6}" '
                   f'width="{max(1.0, x(min(p_hi + _ONE, hi)) - x(max(p_lo, lo)))}" height="{height - TOP}">'
                   f'<title>{_esc(w["meta"]["period"])} {p_lo.isoformat()} – {p_hi.isoformat()}</title></rect>')
    for d, label in _ticks(lo, hi):
        out.append(f'<line class="tl-tick" x1="{x(d)}" y1="{TOP - 10}" x2="{x(d)}" y2="{height - 6}"/>')
        if x(d) < WIDTH - RIGHT - 40:  # no label cut off at the right edge
            out.append(f'<text class="tl-tick-label" x="{x(d) + 2}" y="{TOP - 14}">{label}</text>')
    for row, item in enumerate(placed):
        s, e = _span(item)
        y = TOP + row * ROW + ROW // 2
        kind = item["kind"]
        when = s.isoformat() if s == e else f"{s.isoformat()} – {e.isoformat()}"
        if item.get("start") is None:
            when = w["by"].format(date=e.isoformat())
        elif item.get("end") is None:
            when = w["from"].format(date=s.isoformat())
        text = _esc(item["text"])
        label = text if len(item["text"]) <= 16 else _esc(item["text"][:15] + "…")
        out.append(f'<g class="tl-item tl-{_esc(kind)}" data-item="{_esc(item["html_id"])}">'
                   f'<a href="#{_esc(item["html_id"])}"><title>{text} · {_esc(value(w, "date_kind", kind))} · {_esc(when)}</title>'
                   f'<text class="tl-label" x="{LABEL - 8}" y="{y + 4}" text-anchor="end">{label}</text>')
        if item.get("start") is None:       # deadline (or an open end): a flag on the day
            out.append(f'<line class="tl-mark" x1="{x(e + _ONE)}" y1="{y - 8}" x2="{x(e + _ONE)}" y2="{y + 8}"/>'
                       f'<path class="tl-mark" d="M{x(e + _ONE)} {y - 8} l-9 4 l9 4 z"/>')
        elif item.get("end") is None:       # start: an arrow to the right
            out.append(f'<circle class="tl-mark" cx="{x(s)}" cy="{y}" r="4"/>'
                       f'<line class="tl-arrow" x1="{x(s)}" y1="{y}" x2="{min(x(s) + 40, WIDTH - RIGHT)}" y2="{y}"/>')
        elif s == e:                        # one day
            out.append(f'<circle class="tl-mark" cx="{x(s) + 0.5 * (x(s + _ONE) - x(s))}" cy="{y}" r="5"/>')
        else:
            out.append(f'<rect class="tl-mark" x="{x(s)}" y="{y - 6}" width="{max(2.0, x(e + _ONE) - x(s))}" '
                       f'height="12" rx="3"/>')
        out.append("</a></g>")
    out.append("</svg>")
    return "".join(out), placed, unplaced
