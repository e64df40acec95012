"""Write renderings of the annotated notices (data/raw/*.txt) in another format.

    python -m tests.render_samples pdf OUT_DIR      # OUT_DIR/<stem>.pdf for every notice
    python -m tests.render_samples docx OUT_DIR     # top two label levels as Word list numbering
    python -m tests.render_samples html OUT_DIR     # inside a saved government web page

``make eval-formats`` scores these renderings against the same gold as the text
versions (the evaluation matches a rendering to its gold file by stem).
"""
from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import RAW_DIR

RENDERERS = ("pdf", "docx", "html")


def render(fmt: str, out_dir: Path, files: list[Path] | None = None) -> list[Path]:
    """``files`` (default: every annotated notice of data/raw) rendered as ``fmt`` into ``out_dir``."""
    if fmt not in RENDERERS:
        raise SystemExit(f"unknown format {fmt!r}: use one of {', '.join(RENDERERS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for src in files if files is not None else sorted(RAW_DIR.glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        if fmt == "pdf":
            from tests.pdf_build import notice_pdf
            data = notice_pdf(text)
        elif fmt == "docx":
            from tests.docx_build import docx_of_lines, docx_with_list_numbering
            try:
                data = docx_with_list_numbering(text.splitlines())
            except ValueError:   # one numbering level, or numbers Word's lists cannot count
                data = docx_of_lines(text.splitlines())
        else:
            from tests.html_build import government_page
            lines = text.splitlines()
            first = next(i for i, line in enumerate(lines) if line.strip())
            head = lines[first].strip()
            if len(head) <= 60 and not any(mark in head for mark in "。，,:："):   # the notice's title
                data = government_page(lines[first + 1:], head, "trs").encode("utf-8")
            else:   # a notice without a title (it opens with its text): the page's title is generic
                data = government_page(lines[first:], None, "trs").encode("utf-8")
        dest = out_dir / f"{src.stem}.{fmt}"
        dest.write_bytes(data)
        written.append(dest)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    for p in render(sys.argv[1], Path(sys.argv[2])):
        print(p)
