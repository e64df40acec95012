"""Evaluation: predicted tables vs the gold annotations (GUIDELINES §6 file shape).

Matching, per document (gold ``file`` = the input file's name):
- tasks by ``path``; section and title accuracy on matched tasks;
- units, dates and targets as multisets per task path (items of an unmatched task
  all count as misses or false alarms):
  units on ``name`` (+ role accuracy on matched names), dates on ``(start, end)`` and
  on ``(start, end, kind)``, targets on ``(value, unit)`` (+ F1 on kind=target alone,
  kind and comparator accuracy on matched pairs);
- metadata: accuracy per field, and over all fields.
``evaluate(gold_dir, store)`` returns a plain dict (``--json`` writes it): the scores over
all notices, the same per notice, and every missed, extra or wrong item (``--misses``).
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

from .store import Store

META_FIELDS = ("issuer", "doc_number", "title", "attachment_title", "recipients", "issue_date",
               "period_start", "period_end", "doc_type")


def _iso(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    return v


def _num(v):
    return None if v is None else round(float(v), 6)


class _PRF:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, gold: list, pred: list, gold_tie: list | None = None,
            pred_tie: list | None = None) -> list[tuple[int, int]]:
        """Count a multiset match of keys; returns matched (gold index, pred index) pairs.

        Where a key occurs more than once on both sides (the same unit named twice in a task,
        once as lead and once as report_to), ``gold_tie``/``pred_tie`` (the role, the kind)
        decide which items pair: same key and same tie first, then same key. The counts do not
        depend on it; the accuracy of the tie field does."""
        pairs = []
        used_g, used_p = set(), set()
        passes = [True, False] if gold_tie is not None and pred_tie is not None else [False]
        for tied in passes:
            g_by = defaultdict(list)
            for i, k in enumerate(gold):
                if i not in used_g:
                    g_by[(k, gold_tie[i]) if tied else k].append(i)
            for j, k in enumerate(pred):
                key = (k, pred_tie[j]) if tied else k
                if j not in used_p and g_by.get(key):
                    i = g_by[key].pop(0)
                    pairs.append((i, j))
                    used_g.add(i)
                    used_p.add(j)
        pairs.sort(key=lambda ij: ij[1])
        self.tp += len(pairs)
        self.fp += len(pred) - len(pairs)
        self.fn += len(gold) - len(pairs)
        return pairs

    def absorb(self, other: "_PRF") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def result(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


class _Acc:
    def __init__(self):
        self.ok = self.n = 0

    def add(self, good: bool):
        self.n += 1
        self.ok += int(bool(good))

    def absorb(self, other: "_Acc") -> None:
        self.ok, self.n = self.ok + other.ok, self.n + other.n

    def result(self):
        return {"accuracy": round(self.ok / self.n, 4) if self.n else None, "n": self.n}


def _pred_by_doc(store: Store) -> dict[str, dict]:
    docs = store.read_table("documents").to_pylist()
    tasks = store.read_table("tasks").to_pylist()
    by_task: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for table in ("units", "dates", "targets"):
        for row in store.read_table(table).to_pylist():
            by_task[row["task_id"]][table].append(row)
    out = {}
    for d in docs:
        out[Path(d["source_path"]).name] = {"meta": d, "tasks": []}
    doc_names = {d["doc_id"]: Path(d["source_path"]).name for d in docs}
    for t in sorted(tasks, key=lambda t: t["char_start"]):
        name = doc_names.get(t["doc_id"])
        if name:
            items = by_task.get(t["task_id"], {})
            out[name]["tasks"].append({**t, "units": items.get("units", []), "dates": items.get("dates", []),
                                       "targets": items.get("targets", [])})
    return out


class _Scores:
    """Every counter of the evaluation, for one document or for all of them."""

    def __init__(self):
        self.tasks, self.units, self.dates, self.dates_kind, self.targets, self.targets_t = (_PRF() for _ in range(6))
        self.section, self.title, self.role, self.kind, self.comparator = (_Acc() for _ in range(5))
        self.meta = {f: _Acc() for f in META_FIELDS}

    def absorb(self, other: "_Scores") -> None:
        """Add another document's counters to these (the totals are the sum of the notices)."""
        for name, mine in vars(self).items():
            theirs = getattr(other, name)
            if isinstance(mine, dict):
                for key, counter in mine.items():
                    counter.absorb(theirs[key])
            else:
                mine.absorb(theirs)

    def report(self) -> dict:
        meta_all = _Acc()
        for a in self.meta.values():
            meta_all.ok += a.ok
            meta_all.n += a.n
        return {
            "metadata": {"all": meta_all.result(), **{f: a.result() for f, a in self.meta.items()}},
            "tasks": {**self.tasks.result(), "section_accuracy": self.section.result(),
                      "title_accuracy": self.title.result()},
            "units": {**self.units.result(), "role_accuracy": self.role.result()},
            "dates": {**self.dates.result(), "with_kind": self.dates_kind.result()},
            "targets": {**self.targets.result(), "kind_target": self.targets_t.result(),
                        "kind_accuracy": self.kind.result(), "comparator_accuracy": self.comparator.result()},
        }


def _misses(sink: list, doc: str, field: str, path, gold: list, pred: list, pairs) -> None:
    """Record the gold items ``pairs`` left unmatched (missed) and the predicted ones (extra)."""
    g_done = {gi for gi, _ in pairs}
    p_done = {pj for _, pj in pairs}
    for i, g in enumerate(gold):
        if i not in g_done:
            sink.append({"doc": doc, "field": field, "task": path, "kind": "missed", "gold": g, "pred": None})
    for j, p in enumerate(pred):
        if j not in p_done:
            sink.append({"doc": doc, "field": field, "task": path, "kind": "extra", "gold": None, "pred": p})


def _wrong(sink: list, doc: str, field: str, path, gold, pred, about) -> None:
    if gold != pred:
        sink.append({"doc": doc, "field": field, "task": path, "kind": "wrong", "gold": gold, "pred": pred,
                     "about": about})


def evaluate(gold_dir: str | Path, store: Store) -> dict:
    """Scores over all gold documents (``metadata``, ``tasks``, ``units``, ``dates``, ``targets``),
    the same per document (``per_notice``) and every missed, extra or wrong item (``misses``)."""
    pred = _pred_by_doc(store)
    pred_by_stem = {Path(name).stem: doc for name, doc in pred.items()}
    total = _Scores()
    per_notice: dict[str, dict] = {}
    misses: list[dict] = []
    missing_docs = []
    for gf in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        name = gold["file"]
        # the gold names the text file; a PDF/DOCX/HTML rendering of it matches by stem
        doc = pred.get(name) or pred_by_stem.get(Path(name).stem)
        if doc is None:
            missing_docs.append(name)
            doc = {"meta": {}, "tasks": []}
        s = _Scores()
        for f in META_FIELDS:
            got, want = _iso(doc["meta"].get(f)), gold["meta"].get(f)
            s.meta[f].add(got == want)
            _wrong(misses, name, f"meta.{f}", None, want, got, None)
        g_tasks = {tuple(t["path"]): t for t in gold["tasks"]}
        p_tasks = {}
        for t in doc["tasks"]:
            p_tasks.setdefault(tuple(t["path"]), t)
        pairs = s.tasks.add(list(g_tasks), list(p_tasks))
        _misses(misses, name, "tasks", None, [list(k) for k in g_tasks], [list(k) for k in p_tasks], pairs)
        for path in sorted(set(g_tasks) | set(p_tasks)):
            g = g_tasks.get(path, {"units": [], "dates": [], "targets": []})
            p = p_tasks.get(path, {"units": [], "dates": [], "targets": []})
            where = list(path)
            if path in g_tasks and path in p_tasks:
                s.section.add(g.get("section") == p.get("section"))
                s.title.add(g.get("title") == p.get("title"))
                _wrong(misses, name, "task.section", where, g.get("section"), p.get("section"), None)
                _wrong(misses, name, "task.title", where, g.get("title"), p.get("title"), None)
            gu, pu = [u["name"] for u in g["units"]], [u["name"] for u in p["units"]]
            pairs = s.units.add(gu, pu, [u["role"] for u in g["units"]], [u["role"] for u in p["units"]])
            _misses(misses, name, "units", where, [f"{u['name']} ({u['role']})" for u in g["units"]],
                    [f"{u['name']} ({u['role']})" for u in p["units"]], pairs)
            for gi, pj in pairs:
                s.role.add(g["units"][gi]["role"] == p["units"][pj]["role"])
                _wrong(misses, name, "unit.role", where, g["units"][gi]["role"], p["units"][pj]["role"], gu[gi])
            gd = [(d["start"], d["end"]) for d in g["dates"]]
            pd = [(_iso(d["start"]), _iso(d["end"])) for d in p["dates"]]
            pairs = s.dates.add(gd, pd, [d["kind"] for d in g["dates"]], [d["kind"] for d in p["dates"]])
            _misses(misses, name, "dates", where,
                    [f"{d.get('text', '')} {d['start']}..{d['end']} {d['kind']}" for d in g["dates"]],
                    [f"{d.get('text', '')} {k[0]}..{k[1]} {d['kind']}" for k, d in zip(pd, p["dates"])], pairs)
            for gi, pj in pairs:
                _wrong(misses, name, "date.kind", where, g["dates"][gi]["kind"], p["dates"][pj]["kind"],
                       g["dates"][gi].get("text"))
            s.dates_kind.add([(d["start"], d["end"], d["kind"]) for d in g["dates"]],
                             [(_iso(d["start"]), _iso(d["end"]), d["kind"]) for d in p["dates"]])
            gk = [(_num(t["value"]), t["unit"]) for t in g["targets"]]
            pk = [(_num(t["value"]), t["unit"]) for t in p["targets"]]
            pairs = s.targets.add(gk, pk, [(t["kind"], t["comparator"]) for t in g["targets"]],
                                  [(t["kind"], t["comparator"]) for t in p["targets"]])
            _misses(misses, name, "targets", where,
                    [f"{t.get('text', '')} {k[0]} {k[1]} {t['kind']}" for k, t in zip(gk, g["targets"])],
                    [f"{t.get('text', '')} {k[0]} {k[1]} {t['kind']}" for k, t in zip(pk, p["targets"])], pairs)
            for gi, pj in pairs:
                gt, pt = g["targets"][gi], p["targets"][pj]
                s.kind.add(gt["kind"] == pt["kind"])
                s.comparator.add(gt["comparator"] == pt["comparator"])
                _wrong(misses, name, "target.kind", where, gt["kind"], pt["kind"], gt.get("text"))
                _wrong(misses, name, "target.comparator", where, gt["comparator"], pt["comparator"], gt.get("text"))
            s.targets_t.add([k for k, t in zip(gk, g["targets"]) if t["kind"] == "target"],
                            [k for k, t in zip(pk, p["targets"]) if t["kind"] == "target"])
        per_notice[name] = s.report()
        total.absorb(s)
    return {"documents_missing": missing_docs, **total.report(), "per_notice": per_notice, "misses": misses}


# (column, path into a report, kind) of the per-notice table
PER_NOTICE_COLUMNS = (
    ("meta", ("metadata", "all"), "acc"), ("tasks", ("tasks",), "f1"),
    ("title", ("tasks", "title_accuracy"), "acc"), ("units", ("units",), "f1"),
    ("role", ("units", "role_accuracy"), "acc"), ("dates", ("dates",), "f1"),
    ("+kind", ("dates", "with_kind"), "f1"), ("targets", ("targets",), "f1"),
    ("kind=t", ("targets", "kind_target"), "f1"), ("t.kind", ("targets", "kind_accuracy"), "acc"),
)


def per_notice_rows(report: dict) -> list[tuple[str, ...]]:
    """One row per gold notice: its name and the figures of ``PER_NOTICE_COLUMNS``
    (``-`` where the notice has nothing of that kind, in gold or output)."""
    rows = []
    for name, r in report["per_notice"].items():
        cells = [name]
        for _, keys, kind in PER_NOTICE_COLUMNS:
            v = r
            for k in keys:
                v = v[k]
            if kind == "acc":
                cells.append("-" if v["accuracy"] is None else f"{v['accuracy']:.2f}")
            else:
                empty = v["tp"] + v["fp"] + v["fn"] == 0
                cells.append("-" if empty else f"{v['f1']:.2f}")
        rows.append(tuple(cells))
    return rows


def miss_lines(report: dict, field: str | None = None) -> list[str]:
    """Every missed, extra or wrong item as one line: notice, task path, field, what."""
    out = []
    for m in report["misses"]:
        if field and not m["field"].startswith(field):
            continue
        task = "/".join(m["task"]) if m["task"] else "-"
        if m["kind"] == "wrong":
            about = f" [{m['about']}]" if m.get("about") else ""
            what = f"gold {m['gold']!r} pred {m['pred']!r}{about}"
        else:
            what = repr(m["gold"] if m["kind"] == "missed" else m["pred"])
        out.append(f"{m['doc']}\t{task}\t{m['field']}\t{m['kind']}\t{what}")
    return out


def rows_for_table(report: dict) -> list[tuple[str, str, str, str, str]]:
    """(field, precision, recall, F1 / accuracy, n) rows for printing."""
    def prf(name, r):
        return (name, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
                f"tp={r['tp']} fp={r['fp']} fn={r['fn']}")

    def acc(name, r):
        a = r["accuracy"]
        return (name, "", "", "-" if a is None else f"{a:.3f}", f"n={r['n']}")

    rows = [acc("metadata (all fields)", report["metadata"]["all"])]
    rows += [acc(f"  meta.{f}", report["metadata"][f]) for f in META_FIELDS]
    rows += [prf("tasks", report["tasks"]), acc("  task section", report["tasks"]["section_accuracy"]),
             acc("  task title", report["tasks"]["title_accuracy"])]
    rows += [prf("units (name)", report["units"]), acc("  unit role", report["units"]["role_accuracy"])]
    rows += [prf("dates (start, end)", report["dates"]), prf("dates (+kind)", report["dates"]["with_kind"])]
    rows += [prf("targets (value, unit)", report["targets"]), prf("targets kind=target", report["targets"]["kind_target"]),
             acc("  target kind", report["targets"]["kind_accuracy"]),
             acc("  target comparator", report["targets"]["comparator_accuracy"])]
    return rows
