"""PDF ingest speed: pages/s of the PDF reader next to pypdfium2's raw text extraction of
the same file (and pdfplumber's ``extract_text`` for reference), measured in one run.

The PDFs are renderings of the sample notices (tests/pdf_build.py): all five notices,
one with a task-breakdown table over two pages, repeated to reach ``--pages``.

    .venv/bin/python benchmarks/bench_pdf.py [--pages 200] [--plumber] [--ocr-pages 2]

Each side is timed as the best of three passes (the machine is shared). OCR speed is
measured once on the first ``--ocr-pages`` pages of the scan in tests/data/pdf (hf06),
with the engine loaded beforehand; 0 skips it.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from pipeline.ingest.pdf import read_pdf  # noqa: E402
from tests.pdf_build import notice_pdf  # noqa: E402
from tests.test_ingest_pdf import TABLE_INTRO, breakdown_table  # noqa: E402


def corpus(pages: int) -> list[bytes]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    files = [notice_pdf(t) for t in texts] + [notice_pdf(TABLE_INTRO, tables={6: breakdown_table()})]
    out, n = [], 0
    while n < pages:
        for f in files:
            out.append(f)
            n += len(pdfium.PdfDocument(f))
    return out


def raw_pdfium(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        page.get_textpage().get_text_bounded()
    return len(pdf)


def plumber(data: bytes) -> int:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def timed(fn, files, repeat: int = 3) -> tuple[float, int]:
    """Best of ``repeat`` passes over ``files``: (seconds, pages)."""
    best, pages = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        pages = sum(fn(f) for f in files)
        best = min(best, time.perf_counter() - t0)
    return best, pages


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--plumber", action="store_true", help="also time pdfplumber extract_text")
    ap.add_argument("--ocr-pages", type=int, default=2, help="pages of the scan to OCR (0: none)")
    args = ap.parse_args()
    files = corpus(args.pages)
    read_pdf(files[0], "warm-up.pdf")
    raw_pdfium(files[0])
    t_raw, pages = timed(raw_pdfium, files)
    t_ours, _ = timed(lambda f: read_pdf(f, "bench.pdf").n_pages, files)
    print(f"{len(files)} PDFs, {pages} pages")
    print(f"pypdfium2 raw text     {pages / t_raw:8.1f} pages/s")
    print(f"notices PDF reader     {pages / t_ours:8.1f} pages/s  ({t_raw / t_ours:.2f}x of raw)")
    if args.plumber:
        t_pl, _ = timed(plumber, files, repeat=1)
        print(f"pdfplumber extract_text {pages / t_pl:7.1f} pages/s")
    if args.ocr_pages:
        ocr_speed(args.ocr_pages)


def ocr_speed(n: int) -> None:
    from pipeline import config
    from pipeline.ingest import ocr

    if not ocr.available():
        print("OCR                    not installed (pip install 'notices[ocr]')")
        return
    scan = pdfium.PdfDocument(str(ROOT / "tests" / "data" / "pdf" / "hf06_p1-2.pdf"))
    doc = pdfium.PdfDocument.new()
    doc.import_pages(scan, list(range(min(n, len(scan)))))
    buf = io.BytesIO()
    doc.save(buf)
    ocr.available()                      # load the engine before timing
    with config.using(config.Limits(timeout_s=3600)):
        t0 = time.perf_counter()
        got = read_pdf(buf.getvalue(), "scan.pdf")
        dt = time.perf_counter() - t0
    print(f"OCR (scan, {got.n_pages} pages)   {got.n_pages / dt:8.2f} pages/s  ({dt / got.n_pages:.1f} s a page, "
          f"confidence {got.ocr_confidence})")


if __name__ == "__main__":
    main()
