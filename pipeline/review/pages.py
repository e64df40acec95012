"""Review pages as HTML strings: the index and one page per document (pure functions).

``document_page(doc)`` and ``index_page(docs, errors)`` take plain dicts (rows of the
output tables as ``Store.read_table(...).to_pylist()`` gives them; a document bundle has
``tasks``, ``units``, ``dates``, ``targets`` and ``errors`` lists added) and return a whole
HTML page, its words in ``lang`` (``labels.py``: Chinese by default, or English). Every
value that comes from a document goes through ``html.escape``; the pages carry a
Content-Security-Policy that forbids scripts and any external resource, and the
stylesheet is inlined, so a page opens from disk with no network.
"""
from __future__ import annotations

import html
from importlib import resources

from .highlight import Span, highlight
from .labels import labels, value
from .timeline import timeline_svg

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
KINDS = ("unit", "date", "target")


def e(value) -> str:
    """Any value as escaped HTML text (None as empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _css() -> str:
    return resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")


def _page(title: str, body: str, w: dict) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"{w['html_lang']}\"><head><meta charset=\"utf-8\">"
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


def _path(task: dict, w: dict) -> str:
    return ".".join(task.get("path") or []) or w["whole_text"]


def _spans(doc: dict, w: dict) -> list[Span]:
    spans = [Span(t["char_start"], t["char_end"], "span", "task", t["html_id"], ()) for t in doc["tasks"]]
    for u in doc["units"]:
        tip = u["name"] + (f" = {u['canonical']}" if u.get("canonical") and u["canonical"] != u["name"] else "")
        role = value(w, "role", u["role"])
        spans.append(Span(u["char_start"], u["char_end"], "mark", "hl hl-unit", u["html_id"],
                          (("data-kind", "unit"), ("data-label", f"{w['unit']} {role}"), ("title", f"{tip} · {role}"))))
    for d in doc["dates"]:
        when = f"{d.get('start') or '…'} – {d.get('end') or '…'}"
        kind = value(w, "date_kind", d["kind"])
        spans.append(Span(d["char_start"], d["char_end"], "mark", "hl hl-date", d["html_id"],
                          (("data-kind", "date"), ("data-label", f"{w['date']} {kind}"), ("title", f"{kind} · {when}"))))
    for g in doc["targets"]:
        tip = " ".join(str(x) for x in (value(w, "comparator", g["comparator"]), _num(g.get("value")),
                                        g.get("unit") or "", g.get("object") or "") if x)
        kind = value(w, "target_kind", g["kind"])
        spans.append(Span(g["char_start"], g["char_end"], "mark", "hl hl-target", g["html_id"],
                          (("data-kind", "target"), ("data-label", f"{w['target']} {kind}"), ("title", f"{kind} · {tip}"))))
    return spans


def _meta(doc: dict, w: dict) -> str:
    keys = ["issuer", "doc_number", "recipients", "issue_date", "doc_type", "attachment_title", "source_path", "doc_id"]
    shown = {**doc, "doc_type": value(w, "doc_type", doc.get("doc_type"))}
    items = [f"<dt>{e(w['meta'][key])}</dt><dd>{e(shown.get(key))}</dd>" for key in keys if doc.get(key)]
    if doc.get("period_start") or doc.get("period_end"):
        items.insert(4, f"<dt>{e(w['meta']['period'])}</dt>"
                        f"<dd>{e(doc.get('period_start'))} – {e(doc.get('period_end'))}</dd>")
    return '<dl class="meta">' + "".join(items) + "</dl>"


def _outline(doc: dict, w: dict) -> str:
    counts = {t["task_id"]: {k: 0 for k in KINDS} for t in doc["tasks"]}
    for kind in KINDS:
        for item in doc[kind + "s"]:
            if item["task_id"] in counts:
                counts[item["task_id"]][kind] += 1
    rows = [[f'<a href="#{t["html_id"]}">{e(_path(t, w))}</a>', e(t.get("section")),
             f'<a href="#{t["html_id"]}">{e(t.get("title") or t["text"][:40])}</a>',
             *(str(counts[t["task_id"]][k]) for k in KINDS)] for t in doc["tasks"]]
    return _table(_heads(w, ("task", "path"), ("section", ""), ("title", ""), ("units", "num"), ("dates", "num"),
                         ("targets", "num")), rows, "outline-table")


def _heads(w: dict, *cols: tuple[str, str]) -> list[tuple[str, str]]:
    """(label in the page's language, css class) of each (column key, css class)."""
    return [(w["cols"][key], css) for key, css in cols]


def _targets(doc: dict, w: dict) -> str:
    if not doc["targets"]:
        return f'<p class="muted">{e(w["no_targets"])}</p>'
    path_of = {t["task_id"]: (t["html_id"], _path(t, w)) for t in doc["tasks"]}
    rows = []
    for g in doc["targets"]:
        tid, path = path_of.get(g["task_id"], ("", ""))
        rows.append([f'<a href="#{g["html_id"]}">{e(g["text"])}</a>', _num(g.get("value")), _num(g.get("value_max")),
                     e(g.get("unit")), e(g.get("object")), e(value(w, "comparator", g["comparator"])),
                     e(value(w, "target_kind", g["kind"])), f'<a href="#{tid}">{e(path)}</a>' if tid else ""])
    return _table(_heads(w, ("text", ""), ("value", "num"), ("max", "num"), ("unit", ""), ("object", ""),
                         ("comparator", ""), ("kind", ""), ("task", "path")), rows, "targets-table")


def _errors(rows: list[dict], with_path: bool, w: dict) -> str:
    if not rows:
        return f'<p class="muted">{e(w["none"])}</p>'
    head = [("file", "")] if with_path else []
    return _table(_heads(w, *head, ("level", "nowrap"), ("error", ""), ("message", "")),
                  [([e(r["source_path"])] if with_path else [])
                   + [e(value(w, "level", r.get("level"))), e(r["error"]), e(r["message"])] for r in rows],
                  "errors-table")


def document_page(doc: dict, lang: str = "zh") -> str:
    """The page of one document bundle (items must carry ``html_id``), in ``lang``."""
    w = labels(lang)
    title = doc.get("title") or doc.get("attachment_title") or doc["doc_id"]
    text_html, dropped = highlight(doc["text"], _spans(doc, w))
    svg, placed, unplaced = timeline_svg(doc["dates"], (doc.get("period_start"), doc.get("period_end")), lang)
    legend = "".join(f'<span class="key key-{k}">{e(w[k])} {len(doc[k + "s"])}</span>' for k in KINDS)
    parts = [
        f'<nav><a href="index.html">{e(w["all_documents"])}</a></nav>',
        f"<header><h1>{e(title)}</h1>{_meta(doc, w)}</header>",
        f'<h2 id="outline">{e(w["outline"].format(n=len(doc["tasks"])))}</h2>', _outline(doc, w),
        f'<h2 id="timeline">{e(w["timeline"].format(placed=len(placed), n=len(doc["dates"])))}</h2>',
        svg or f'<p class="muted">{e(w["no_dates"])}</p>',
    ]
    if unplaced:
        parts.append(f'<p class="muted">{e(w["unplaced"])}'
                     + "、".join(f'<a href="#{d["html_id"]}">{e(d["text"])}</a>' for d in unplaced) + "</p>")
    parts += [f'<h2 id="targets">{e(w["targets"].format(n=len(doc["targets"])))}</h2>', _targets(doc, w),
              f'<h2 id="text">{e(w["text"])}</h2>', f'<p class="legend">{legend}</p>',
              f'<div class="doc-text">{text_html}</div>']
    if dropped:
        parts.append(f'<p class="muted">{e(w["dropped"].format(n=len(dropped)))}</p>')
    parts += [f'<h2 id="errors">{e(w["errors"].format(n=len(doc["errors"])))}</h2>', _errors(doc["errors"], False, w)]
    return _page(f"{title} · {w['site']}", "\n".join(parts), w)


def index_page(docs: list[dict], errors: list[dict], lang: str = "zh") -> str:
    """The index: one row per document bundle (with ``page``), then every error row, in ``lang``."""
    w = labels(lang)
    rows = []
    for d in docs:
        title = d.get("title") or d.get("attachment_title") or d["doc_id"]
        rows.append([f'<a href="{e(d["page"])}">{e(title)}</a>', e(d.get("issuer")), e(d.get("doc_number")),
                     e(d.get("issue_date")), e(value(w, "doc_type", d.get("doc_type"))),
                     *(str(len(d[k])) for k in ("tasks", "units", "dates", "targets", "errors"))])
    totals = {k: sum(len(d[k]) for d in docs) for k in ("tasks", "units", "dates", "targets")}
    summary = w["summary"].format(docs=len(docs), errors=len(errors), **totals)
    body = "\n".join([
        f"<header><h1>{e(w['site'])}</h1>", f'<p class="muted">{e(summary)}</p></header>',
        f"<h2>{e(w['documents'])}</h2>",
        _table(_heads(w, ("title", ""), ("issuer", ""), ("number", "nowrap"), ("issued", "nowrap"), ("type", ""),
                      ("tasks", "num"), ("units", "num"), ("dates", "num"), ("targets", "num"), ("errors", "num")),
               rows, "documents-table"),
        f"<h2>{e(w['errors'].format(n=len(errors)))}</h2>", _errors(errors, True, w),
    ])
    return _page(w["site"], body, w)
