"""Write renderings of the sample notices (data/raw/*.txt) in another format.

    python -m tests.render_samples pdf OUT_DIR      # OUT_DIR/<stem>.pdf for every notice

``make eval-formats`` scores these renderings against the same gold as the text
versions (the evaluation matches a rendering to its gold file by stem).
"""
from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import RAW_DIR

RENDERERS = ("pdf",)


def render(fmt: str, out_dir: Path) -> list[Path]:
    if fmt not in RENDERERS:
        raise SystemExit(f"unknown format {fmt!r}: use one of {', '.join(RENDERERS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted(RAW_DIR.glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        if fmt == "pdf":
            from tests.pdf_build import Layout, notice_pdf
            data = notice_pdf(text, Layout(header=None))
        dest = out_dir / f"{src.stem}.{fmt}"
        dest.write_bytes(data)
        written.append(dest)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    for p in render(sys.argv[1], Path(sys.argv[2])):
        print(p)
