"""Evaluation: predicted tables vs the gold annotations (GUIDELINES §6 file shape).

Matching, per document (gold ``file`` = the input file's name):
- tasks by ``path``; section and title accuracy on matched tasks;
- units, dates and targets as multisets per task path (items of an unmatched task
  all count as misses or false alarms):
  units on ``name`` (+ role accuracy on matched names), dates on ``(start, end)`` and
  on ``(start, end, kind)``, targets on ``(value, unit)`` (+ F1 on kind=target alone,
  kind and comparator accuracy on matched pairs);
- metadata: accuracy per field, and over all fields.
``evaluate(gold_dir, store)`` returns a plain dict (``--json`` writes it).
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

    def add(self, gold: list, pred: list) -> list[tuple[int, int]]:
        """Count a multiset match of keys; returns matched (gold index, pred index) pairs."""
        g_by = defaultdict(list)
        for i, k in enumerate(gold):
            g_by[k].append(i)
        pairs = []
        for j, k in enumerate(pred):
            if g_by.get(k):
                pairs.append((g_by[k].pop(0), j))
        self.tp += len(pairs)
        self.fp += len(pred) - len(pairs)
        self.fn += len(gold) - len(pairs)
        return pairs

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


def evaluate(gold_dir: str | Path, store: Store) -> dict:
    pred = _pred_by_doc(store)
    pred_by_stem = {Path(name).stem: doc for name, doc in pred.items()}
    tasks, units, dates, dates_kind, targets, targets_t = (_PRF() for _ in range(6))
    section_acc, title_acc, role_acc, kind_acc, comp_acc = (_Acc() for _ in range(5))
    meta_acc = {f: _Acc() for f in META_FIELDS}
    missing_docs = []
    for gf in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        # the gold names the text file; a PDF/DOCX/HTML rendering of it matches by stem
        doc = pred.get(gold["file"]) or pred_by_stem.get(Path(gold["file"]).stem)
        if doc is None:
            missing_docs.append(gold["file"])
            doc = {"meta": {}, "tasks": []}
        for f in META_FIELDS:
            meta_acc[f].add(_iso(doc["meta"].get(f)) == gold["meta"].get(f))
        g_tasks = {tuple(t["path"]): t for t in gold["tasks"]}
        p_tasks = {}
        for t in doc["tasks"]:
            p_tasks.setdefault(tuple(t["path"]), t)
        tasks.add(list(g_tasks), list(p_tasks))
        for path in set(g_tasks) | set(p_tasks):
            g = g_tasks.get(path, {"units": [], "dates": [], "targets": []})
            p = p_tasks.get(path, {"units": [], "dates": [], "targets": []})
            if path in g_tasks and path in p_tasks:
                section_acc.add(g.get("section") == p.get("section"))
                title_acc.add(g.get("title") == p.get("title"))
            for gi, pj in units.add([u["name"] for u in g["units"]], [u["name"] for u in p["units"]]):
                role_acc.add(g["units"][gi]["role"] == p["units"][pj]["role"])
            dates.add([(d["start"], d["end"]) for d in g["dates"]],
                      [(_iso(d["start"]), _iso(d["end"])) for d in p["dates"]])
            dates_kind.add([(d["start"], d["end"], d["kind"]) for d in g["dates"]],
                           [(_iso(d["start"]), _iso(d["end"]), d["kind"]) for d in p["dates"]])
            gk = [(_num(t["value"]), t["unit"]) for t in g["targets"]]
            pk = [(_num(t["value"]), t["unit"]) for t in p["targets"]]
            for gi, pj in targets.add(gk, pk):
                kind_acc.add(g["targets"][gi]["kind"] == p["targets"][pj]["kind"])
                comp_acc.add(g["targets"][gi]["comparator"] == p["targets"][pj]["comparator"])
            targets_t.add([k for k, t in zip(gk, g["targets"]) if t["kind"] == "target"],
                          [k for k, t in zip(pk, p["targets"]) if t["kind"] == "target"])
    meta_all = _Acc()
    for a in meta_acc.values():
        meta_all.ok += a.ok
        meta_all.n += a.n
    return {
        "documents_missing": missing_docs,
        "metadata": {"all": meta_all.result(), **{f: a.result() for f, a in meta_acc.items()}},
        "tasks": {**tasks.result(), "section_accuracy": section_acc.result(), "title_accuracy": title_acc.result()},
        "units": {**units.result(), "role_accuracy": role_acc.result()},
        "dates": {**dates.result(), "with_kind": dates_kind.result()},
        "targets": {**targets.result(), "kind_target": targets_t.result(),
                    "kind_accuracy": kind_acc.result(), "comparator_accuracy": comp_acc.result()},
    }


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
