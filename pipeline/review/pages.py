"""Review pages as HTML strings: the index and one page per document (pure functions).

``document_page(doc)`` and ``index_page(docs, errors)`` take plain dicts (rows of the
output tables as ``Store.read_table(...).to_pylist()`` gives them; a document bundle has
``tasks``, ``units``, ``dates``, ``targets`` and ``errors`` lists added) and return a whole
HTML page. Every value that comes from a document goes through ``html.escape``; the
pages carry a Content-Security-Policy that forbids scripts and any external resource, and
the stylesheet is inlined, so a page opens from disk with no network.
"""
from __future__ import annotations

import html
from importlib import resources

from .highlight import Span, highlight
from .timeline import timeline_svg

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
KINDS = ("unit", "date", "target")


def e(value) -> str:
    """Any value as escaped HTML text (None as empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _css() -> str:
    return resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{_css()}</style></head>\n<body>\n{body}\n</body></html>\n")


def _table(headers: list[tuple[str, str]], rows: list[list[str]], table_id: str) -> str:
    """headers: (label, css class); rows: cells already escaped HTML."""
    head = "".join(f'<th class="{c}">{e(h)}</th>' for h, c in headers)
    body = "".join("<tr>" + "".join(f'<td class="{c}">{cell}</td>' for (_, c), cell in zip(headers, r)) + "</tr>"
                   for r in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _num(v) -> str:
    if v is None:
        return ""
    return e(int(v) if float(v).is_integer() else v)


def _path(task: dict) -> str:
    return ".".join(task.get("path") or []) or "(whole text)"


def _spans(doc: dict) -> list[Span]:
    spans = [Span(t["char_start"], t["char_end"], "span", "task", t["html_id"], ()) for t in doc["tasks"]]
    for u in doc["units"]:
        tip = u["name"] + (f" = {u['canonical']}" if u.get("canonical") and u["canonical"] != u["name"] else "")
        spans.append(Span(u["char_start"], u["char_end"], "mark", "hl hl-unit", u["html_id"],
                          (("data-kind", "unit"), ("data-label", f"UNIT {u['role']}"), ("title", f"{tip} · {u['role']}"))))
    for d in doc["dates"]:
        when = f"{d.get('start') or '…'} – {d.get('end') or '…'}"
        spans.append(Span(d["char_start"], d["char_end"], "mark", "hl hl-date", d["html_id"],
                          (("data-kind", "date"), ("data-label", f"DATE {d['kind']}"), ("title", f"{d['kind']} · {when}"))))
    for g in doc["targets"]:
        tip = " ".join(str(x) for x in (g["comparator"], _num(g.get("value")), g.get("unit") or "", g.get("object") or "") if x)
        spans.append(Span(g["char_start"], g["char_end"], "mark", "hl hl-target", g["html_id"],
                          (("data-kind", "target"), ("data-label", f"TARGET {g['kind']}"), ("title", f"{g['kind']} · {tip}"))))
    return spans


def _meta(doc: dict) -> str:
    fields = [("issuer", "issuer"), ("number", "doc_number"), ("recipients", "recipients"),
              ("issued", "issue_date"), ("type", "doc_type"), ("enclosed plan", "attachment_title"),
              ("source", "source_path"), ("doc_id", "doc_id")]
    items = [f"<dt>{label}</dt><dd>{e(doc.get(key))}</dd>" for label, key in fields if doc.get(key)]
    if doc.get("period_start") or doc.get("period_end"):
        items.insert(4, f"<dt>period</dt><dd>{e(doc.get('period_start'))} – {e(doc.get('period_end'))}</dd>")
    return '<dl class="meta">' + "".join(items) + "</dl>"


def _outline(doc: dict) -> str:
    counts = {t["task_id"]: {k: 0 for k in KINDS} for t in doc["tasks"]}
    for kind in KINDS:
        for item in doc[kind + "s"]:
            if item["task_id"] in counts:
                counts[item["task_id"]][kind] += 1
    rows = [[f'<a href="#{t["html_id"]}">{e(_path(t))}</a>', e(t.get("section")),
             f'<a href="#{t["html_id"]}">{e(t.get("title") or t["text"][:40])}</a>',
             *(str(counts[t["task_id"]][k]) for k in KINDS)] for t in doc["tasks"]]
    return _table([("task", "path"), ("section", ""), ("title", ""), ("units", "num"), ("dates", "num"),
                   ("targets", "num")], rows, "outline-table")


def _targets(doc: dict) -> str:
    if not doc["targets"]:
        return '<p class="muted">No targets.</p>'
    path_of = {t["task_id"]: (t["html_id"], _path(t)) for t in doc["tasks"]}
    rows = []
    for g in doc["targets"]:
        tid, path = path_of.get(g["task_id"], ("", ""))
        rows.append([f'<a href="#{g["html_id"]}">{e(g["text"])}</a>', _num(g.get("value")), _num(g.get("value_max")),
                     e(g.get("unit")), e(g.get("object")), e(g["comparator"]), e(g["kind"]),
                     f'<a href="#{tid}">{e(path)}</a>' if tid else ""])
    return _table([("text", ""), ("value", "num"), ("max", "num"), ("unit", ""), ("object", ""),
                   ("comparator", ""), ("kind", ""), ("task", "path")], rows, "targets-table")


def _errors(rows: list[dict], with_path: bool) -> str:
    if not rows:
        return '<p class="muted">None.</p>'
    head = [("file", "")] if with_path else []
    return _table(head + [("error", ""), ("message", "")],
                  [([e(r["source_path"])] if with_path else []) + [e(r["error"]), e(r["message"])] for r in rows],
                  "errors-table")


def document_page(doc: dict) -> str:
    """The page of one document bundle (items must carry ``html_id``)."""
    title = doc.get("title") or doc.get("attachment_title") or doc["doc_id"]
    text_html, dropped = highlight(doc["text"], _spans(doc))
    svg, placed, unplaced = timeline_svg(doc["dates"], (doc.get("period_start"), doc.get("period_end")))
    legend = "".join(f'<span class="key key-{k}">{k.upper()} {len(doc[k + "s"])}</span>' for k in KINDS)
    parts = [
        '<nav><a href="index.html">← all documents</a></nav>',
        f"<header><h1>{e(title)}</h1>{_meta(doc)}</header>",
        f'<h2 id="outline">Outline: {len(doc["tasks"])} task(s)</h2>', _outline(doc),
        f'<h2 id="timeline">Timeline: {len(placed)} of {len(doc["dates"])} date(s)</h2>',
        svg or '<p class="muted">No dates.</p>',
    ]
    if unplaced:
        parts.append('<p class="muted">Not on the timeline (no calendar date): '
                     + "、".join(f'<a href="#{d["html_id"]}">{e(d["text"])}</a>' for d in unplaced) + "</p>")
    parts += [f'<h2 id="targets">Targets: {len(doc["targets"])}</h2>', _targets(doc),
              '<h2 id="text">Text</h2>', f'<p class="legend">{legend}</p>',
              f'<div class="doc-text">{text_html}</div>']
    if dropped:
        parts.append(f'<p class="muted">{len(dropped)} item(s) with offsets outside the text were not highlighted.</p>')
    parts += [f'<h2 id="errors">Errors and warnings: {len(doc["errors"])}</h2>', _errors(doc["errors"], False)]
    return _page(f"{title} · notices review", "\n".join(parts))


def index_page(docs: list[dict], errors: list[dict]) -> str:
    """The index: one row per document bundle (with ``page``), then every error row."""
    rows = []
    for d in docs:
        title = d.get("title") or d.get("attachment_title") or d["doc_id"]
        rows.append([f'<a href="{e(d["page"])}">{e(title)}</a>', e(d.get("issuer")), e(d.get("doc_number")),
                     e(d.get("issue_date")), e(d.get("doc_type")),
                     *(str(len(d[k])) for k in ("tasks", "units", "dates", "targets", "errors"))])
    totals = {k: sum(len(d[k]) for d in docs) for k in ("tasks", "units", "dates", "targets")}
    summary = (f"{len(docs)} document(s), " + ", ".join(f"{v} {k}" for k, v in totals.items())
               + f", {len(errors)} error/warning row(s).")
    body = "\n".join([
        "<header><h1>notices review</h1>", f'<p class="muted">{e(summary)}</p></header>',
        "<h2>Documents</h2>",
        _table([("title", ""), ("issuer", ""), ("number", "nowrap"), ("issued", "nowrap"), ("type", ""), ("tasks", "num"),
                ("units", "num"), ("dates", "num"), ("targets", "num"), ("errors", "num")], rows, "documents-table"),
        f"<h2>Errors and warnings: {len(errors)}</h2>", _errors(errors, True),
    ])
    return _page("notices review", body)
