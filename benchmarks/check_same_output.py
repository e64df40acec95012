"""Same output before and after a speed change: a fingerprint of everything the pipeline writes.

``--save FILE`` writes the fingerprint, ``--against FILE`` compares with a saved one and
exits 1 at the first difference (printing it). The fingerprint is one JSON line per item:
- every row of every table (``processed_at`` / ``at`` dropped, rows sorted) after a full
  ``run`` over the sample notices and built variants of them: traditional script,
  full-width digits, CRLF, hard-wrapped lines with indentation (a PDF's page layout),
  web debris around the text, a numbered copy (as the throughput corpus builds), a
  truncated copy, a body without numbered items, an empty file;
- ``clean()`` of every variant (text and raw offsets);
- the extractors on every input of the spec corpora in ``tests/specs``.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/check_same_output.py --save /tmp/ref.jsonl
    PYTHONPATH=$PWD .venv/bin/python benchmarks/check_same_output.py --against /tmp/ref.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
SPECS = ROOT / "tests" / "specs"


def _wrap(text: str, width: int = 38) -> str:
    out = []
    for line in text.splitlines():
        chunks = [line[i:i + width] for i in range(0, len(line), width)] or [""]
        out.extend("\u3000\u3000" + c + "  " for c in chunks)
    return "\n".join(out)


def variants() -> dict[str, str]:
    """Name -> raw text of each input file."""
    import zhconv

    out: dict[str, str] = {}
    for p in sorted(RAW.glob("*.txt")):
        text, key = p.read_text(encoding="utf-8"), p.stem[:3]
        out[f"{key}_orig"] = text
        out[f"{key}_trad"] = zhconv.convert(text, "zh-hant")
        out[f"{key}_fullwidth"] = text.translate({c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)})
        out[f"{key}_crlf"] = text.replace("\n", "\r\n")
        out[f"{key}_wrapped"] = _wrap(text)
        out[f"{key}_web"] = ("首页 > 工作动态 > 通知公告\n发布时间：2021-09-30 来源：区总工会\n"
                             + text.replace("\n", "\n- 3 -\n", 3) + "\n打印本页 关闭窗口\n")
        out[f"{key}_numbered"] = text + f"\n（编号{key}）\n"
        out[f"{key}_half"] = text[: len(text) // 2]
        out[f"{key}_flat"] = "".join(c for c in text if not c.isdigit() and c not in "一二三四五六七八九十、．.")
    out["empty"] = "  \n\u3000\n"
    return out


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "_asdict"):
        return _plain(value._asdict())
    if hasattr(value, "__dataclass_fields__"):
        return _plain({k: getattr(value, k) for k in value.__dataclass_fields__})
    return value


def _cases(name: str) -> list[dict]:
    """The cases of ``tests/specs/<name>`` (one JSON object a line; blank lines skipped, as the tests do)."""
    return [json.loads(line) for line in (SPECS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def fingerprint() -> list[str]:
    from pipeline.clean import clean
    from pipeline.extract.dates import parse_dates
    from pipeline.extract.targets import parse_quantities
    from pipeline.extract.units import canonicalize, parse_units
    from pipeline.runner import run
    from pipeline.store import Store
    from pipeline.records import TABLES
    from pipeline.structure.outline import parse_outline

    lines: list[str] = []
    texts = variants()
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in", Path(tmp) / "out"
        src.mkdir()
        for name, text in texts.items():
            (src / f"{name}.txt").write_text(text, encoding="utf-8")
        run([src], out, workers=1, err=open("/dev/null", "w"), batch_docs=7)
        store = Store(out)
        for table in TABLES:
            rows = store.read_table(table).to_pylist()
            for r in rows:
                r.pop("processed_at", None)
                r.pop("at", None)
                if "source_path" in r:
                    r["source_path"] = Path(r["source_path"]).name
                if table == "errors":
                    r["message"] = r["message"].replace(str(src), "")
            enc = sorted(json.dumps(_plain(r), ensure_ascii=False, sort_keys=True) for r in rows)
            lines += [f"{table}\t{e}" for e in enc]
    for name, text in texts.items():
        ct = clean(text)
        lines.append(f"clean\t{name}\t" + json.dumps([ct.text, list(ct.raw_offsets)], ensure_ascii=False))
    for case in _cases("dates.jsonl"):
        ctx = case.get("context") or {}
        ref = dt.date.fromisoformat(ctx["reference"]) if ctx.get("reference") else None
        per = tuple(map(dt.date.fromisoformat, ctx["period"])) if ctx.get("period") else None
        got = parse_dates(case["input"], reference=ref, period=per)
        lines.append("dates\t" + json.dumps([case["input"], _plain(got)], ensure_ascii=False))
    for case in _cases("targets.jsonl"):
        got = parse_quantities(case["input"], **(case.get("context") or {}))
        lines.append("targets\t" + json.dumps([case["input"], _plain(got)], ensure_ascii=False))
    for case in _cases("units.jsonl"):
        got = canonicalize(parse_units(case["input"]), case["input"])
        lines.append("units\t" + json.dumps([case["input"], _plain(got)], ensure_ascii=False))
    for case in _cases("outline.jsonl"):
        got = parse_outline(clean(case["input"]).text)
        lines.append("outline\t" + json.dumps([case["input"], _plain(got.tasks)], ensure_ascii=False))
    return lines


def main() -> int:
    ap = argparse.ArgumentParser()
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", type=Path)
    g.add_argument("--against", type=Path)
    args = ap.parse_args()
    lines = fingerprint()
    if args.save:
        args.save.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} lines -> {args.save}")
        return 0
    ref = args.against.read_text(encoding="utf-8").splitlines()
    for i, (a, b) in enumerate(zip(ref, lines)):
        if a != b:
            print(f"line {i + 1} differs:\n  was: {a[:600]}\n  now: {b[:600]}")
            return 1
    if len(ref) != len(lines):
        print(f"{len(ref)} lines before, {len(lines)} now")
        return 1
    print(f"same output ({len(lines)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
