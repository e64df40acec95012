"""Records of one notice, normalised for comparing two renderings of it (txt, docx, html).

``record_tuples(result)`` keeps what a reader must not change: document metadata,
tasks (path, section, title), and the units, dates and targets of each task keyed by
the task's path. Offsets, doc_id and the text itself are left out: a rendering may
place the same words at other offsets.
"""
from __future__ import annotations


def record_tuples(result) -> dict[str, list]:
    rows = result.rows
    path = {t.task_id: tuple(t.path) for t in rows["tasks"]}
    return {
        "documents": [(d.issuer, d.doc_number, d.title, d.attachment_title, d.recipients, d.issue_date,
                       d.period_start, d.period_end, d.doc_type) for d in rows["documents"]],
        "tasks": [(tuple(t.path), t.section, t.title) for t in rows["tasks"]],
        "units": sorted(((path[u.task_id], u.name, u.canonical, u.role) for u in rows["units"]), key=repr),
        "dates": sorted(((path[d.task_id], d.text, d.start, d.end, d.kind) for d in rows["dates"]), key=repr),
        "targets": sorted(((path[t.task_id], t.text, t.value, t.value_max, t.unit, t.object, t.comparator, t.kind)
                           for t in rows["targets"]), key=repr),
        "errors": [e.error for e in rows["errors"]],
    }
