"""The review site: an output folder -> static HTML pages (``notices review``).

``build_site(pred, out, lang)`` reads the current version of the output folder ``pred``
(``store.Store``) and writes to ``out``: ``index.html`` (documents with their counts, every
error and warning) and one ``doc-<doc_id>.html`` per document (clean text with every unit,
date and target highlighted by type, the task outline, a timeline of its dates, its
targets), in Chinese (``lang="zh"``, the default) or English (``"en"``). Page names come
from the ``doc_id`` only (16 hex digits; anything else is hashed), never from input
paths, so nothing is written outside ``out``; pages of documents no longer in the output
are removed. Returns the paths written.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from pathlib import Path

from ..store import NoOutputError, Store
from .labels import labels
from .pages import document_page, index_page

__all__ = ["build_site", "page_name"]

_SAFE_ID = re.compile(r"[0-9a-f]{16}")
_PAGE = re.compile(r"doc-[0-9a-fx]{16,17}\.html")


def page_name(doc_id: str) -> str:
    """The file name of a document's page: ``doc-<doc_id>.html`` for a well-formed id,
    else ``doc-x<hash of the id>.html``; never a path."""
    if _SAFE_ID.fullmatch(doc_id or ""):
        return f"doc-{doc_id}.html"
    return "doc-x" + hashlib.sha256((doc_id or "").encode("utf-8")).hexdigest()[:16] + ".html"


def load_bundles(store: Store) -> tuple[list[dict], list[dict]]:
    """(one dict per document with its tasks, units, dates, targets and errors, ordered by
    offset and given page-wide ``html_id``s; all error rows), documents ordered by title."""
    docs = store.read_table("documents").to_pylist()
    errors = store.read_table("errors").to_pylist()
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for table in ("tasks", "units", "dates", "targets"):
        for row in store.read_table(table).to_pylist():
            grouped[row["doc_id"]][table].append(row)
    errors_by_path = defaultdict(list)
    for err in errors:
        errors_by_path[err["source_path"]].append(err)
    bundles = []
    for d in docs:
        items = grouped.get(d["doc_id"], {})
        bundle = {**d, "page": page_name(d["doc_id"]), "errors": errors_by_path.get(d["source_path"], [])}
        for table, prefix in (("tasks", "task"), ("units", "unit"), ("dates", "date"), ("targets", "target")):
            rows = sorted(items.get(table, []), key=lambda r: (r["char_start"], r["char_end"]))
            bundle[table] = [{**r, "html_id": f"{prefix}-{i}"} for i, r in enumerate(rows)]
        bundles.append(bundle)
    bundles.sort(key=lambda b: (b.get("title") or "", b["doc_id"]))
    return bundles, errors


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def build_site(pred: str | Path, out: str | Path, lang: str = "zh") -> list[Path]:
    """Write the review site of output folder ``pred`` into folder ``out``, its words in
    ``lang`` (``zh``, or ``en``); the paths written."""
    labels(lang)  # an unknown language fails before anything is written
    store = Store(pred)
    if store.current is None:
        raise NoOutputError(pred)
    out = Path(out)
    data, target = Path(pred).resolve(), out.resolve()
    if target == data or data in target.parents:
        raise ValueError(f"{out}: inside the output folder {pred}; choose another folder for the report")
    with store.pinned() as snapshot:  # every table from one version, kept while it is read
        bundles, errors = load_bundles(snapshot)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for b in bundles:
        path = target / b["page"]
        assert path.parent == target  # page names are never paths
        _write(path, document_page(b, lang))
        written.append(path)
    keep = {b["page"] for b in bundles}
    for stale in target.iterdir():
        if _PAGE.fullmatch(stale.name) and stale.name not in keep:
            stale.unlink()
    _write(target / "index.html", index_page(bundles, errors, lang))
    written.append(target / "index.html")
    return written
