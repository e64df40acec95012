"""Date normalisation alone: the gold date spans of the annotated notices, ours next to JioNLP's.

Each gold date's text (``10月15日前``, ``“双节”期间``, ``X月``) is normalised by itself,
with what the document gives (the gold's issue date, plan period, doc number and title,
and the notice's text for the year of its other dates), and scored exactly on
``(start, end)``: a span counts when the parser returns one interval equal to the gold's
(``null`` where the gold has null). For us ``parse_dates(text, years=...)``; for JioNLP
``jio.parse_time(text, time_base)`` with the issue date as its base (else the period's
first day, else 1 January of the doc number's year), its answer read with the
guidelines' conventions: a deadline's start and a start's end are null (JioNLP fills
them with the base date or ±inf), and a gold null is met when JioNLP finds nothing.

JioNLP is installed only for this benchmark, in its own venv (it pins its own
dependencies); without it the script prints our figure and says JioNLP was skipped:

    python3 -m venv /tmp/jio-venv && /tmp/jio-venv/bin/pip install jionlp
    PYTHONPATH=. .venv/bin/python benchmarks/date_spans.py [--gold data/gold --raw data/raw]
    [--jio-python /tmp/jio-venv/bin/python] [--show]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
from pathlib import Path

from pipeline import parse_dates
from pipeline.extract.dates_year import document_years
from pipeline.textview import matching_view

ROOT = Path(__file__).resolve().parent.parent

_JIO = r"""
import json, sys
out, sys.stdout = sys.stdout, sys.stderr     # jionlp prints a banner when imported
import jionlp as jio
sys.stdout = out
res = []
for text, base in json.load(sys.stdin):
    try:
        kw = {"time_base": {"year": base[0], "month": base[1], "day": base[2]}} if base else {}
        r = jio.parse_time(text, **kw)
        res.append(r.get("time") if isinstance(r, dict) else None)
    except Exception:
        res.append(None)
json.dump(res, sys.stdout)
"""


def _d(s):
    return dt.date.fromisoformat(s) if s else None


def gold_spans(gold_dir: Path, raw_dir: Path) -> list[dict]:
    """Every gold date with the document context it is normalised in."""
    spans = []
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        meta = gold["meta"]
        raw = raw_dir / gold["file"]
        text = raw.read_text(encoding="utf-8", errors="replace") if raw.exists() else ""
        period = (_d(meta["period_start"]), _d(meta["period_end"])) if meta.get("period_start") else None
        years = document_years(matching_view(text), issue_date=_d(meta.get("issue_date")), period=period,
                               doc_number=meta.get("doc_number"), title=meta.get("title"),
                               doc_type=meta.get("doc_type"))
        base = years.issue_date or (period[0] if period else None) or \
            (dt.date(years.doc_number_year, 1, 1) if years.doc_number_year else None)
        for task in gold["tasks"]:
            for d in task["dates"]:
                spans.append({"doc": gold["file"], "text": d["text"], "start": d["start"], "end": d["end"],
                              "kind": d["kind"], "years": years, "base": base})
    return spans


def ours(span: dict) -> tuple:
    got = parse_dates(span["text"], years=span["years"])
    if len(got) != 1:
        return ("<%d found>" % len(got),)
    d = got[0]
    return (d.start and d.start.isoformat(), d.end and d.end.isoformat())


def _day(s):
    return None if not s or "inf" in s else s[:10]


def jio_answers(spans: list[dict], python: str) -> list[tuple] | None:
    if not os.path.exists(python):
        return None
    payload = json.dumps([(s["text"], [s["base"].year, s["base"].month, s["base"].day] if s["base"] else None)
                          for s in spans])
    try:
        res = subprocess.run([python, "-c", _JIO], input=payload, capture_output=True, text=True, timeout=600)
        answers = json.loads(res.stdout)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    out = []
    for s, a in zip(spans, answers):
        if not a:
            out.append((None, None) if s["start"] is None and s["end"] is None else ("<none>",))
            continue
        start, end = _day(a[0]), _day(a[1])
        if s["kind"] == "deadline":
            start = None       # JioNLP starts a deadline at its base date (or -inf)
        elif s["kind"] == "start":
            end = None         # and ends a start at its base date (or inf)
        out.append((start, end))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(ROOT / "data" / "gold"))
    ap.add_argument("--raw", default=str(ROOT / "data" / "raw"))
    ap.add_argument("--jio-python", default=os.environ.get("JIO_PYTHON", "/tmp/jio-venv/bin/python"))
    ap.add_argument("--show", action="store_true", help="list every span and both answers")
    args = ap.parse_args()
    spans = gold_spans(Path(args.gold), Path(args.raw))
    mine = [ours(s) for s in spans]
    jio = jio_answers(spans, args.jio_python)
    ok = lambda got, s: got == (s["start"], s["end"])
    n = len(spans)
    if args.show:
        for i, s in enumerate(spans):
            print(f"{s['doc'][:12]:12} {s['text']:24} gold {s['start']}..{str(s['end']):10}  ours {'ok' if ok(mine[i], s) else mine[i]}"
                  + (f"  jio {'ok' if ok(jio[i], s) else jio[i]}" if jio else ""))
    print(f"gold date spans: {n}")
    print(f"ours   exact (start, end): {sum(ok(g, s) for g, s in zip(mine, spans)) / n:.3f}")
    if jio is None:
        print(f"JioNLP skipped: no working {args.jio_python} with jionlp (install it in its own venv, see the doc)")
    else:
        print(f"JioNLP exact (start, end): {sum(ok(g, s) for g, s in zip(jio, spans)) / n:.3f}")


if __name__ == "__main__":
    main()
