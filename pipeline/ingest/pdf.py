"""PDF reader: bytes -> text in reading order, the offset where each page begins, warnings.

pypdfium2 reads every page's text segments with their positions (fast: hundreds of
pages a second); pdfplumber is brought in only for pages that draw ruling lines, to
find their tables. ``pdf_layout`` puts the lines in reading order (two columns
included), drops running headers, footers and page numbers, and re-joins wrapped
lines into paragraphs; tables are written as pipe rows (``table_text``), a table
continued on the next page as one table.

Pages that are pictures of text (a scan, a scanned cover) are read by OCR
(``pdf_ocr``, ``ocr``) unless it is off (``limits.ocr``); their lines join the
text-layer pipeline above. ``text_source`` says where the text came from.

Errors (``NoticeError``): ``encrypted``, ``corrupt`` (truncated or damaged beyond
repair), ``too_many_pages``, ``no_text_layer`` (a scan that OCR did not read, or with
OCR off: the page count is in the message; a text layer of page furniture only, such as a
scanner app's watermark over the page images, makes a scan too), ``ocr_unavailable`` (a scan, and the
``[ocr]`` extra is missing). Picture pages left unread in a document that has text are
named in a warning, and so are pages read as empty whose content does not parse
(``_damaged``: pdfium reads a damaged page as a blank one).
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass

from .. import config
from ..lexicon import load_yaml
from . import ocr as ocr_mod
from .errors import NoticeError
from .pdf_ocr import OcrOutcome, image_share, is_picture_page, ocr_pages
from .pdf_contents import drop_contents
from .pdf_layout import Line, PageLines, Seg, char_width, chars_to_segments, drop_furniture, lines_to_blocks, lines_to_text, \
    segments_to_lines
from .pdf_tables import TableGrid, cells_from_edges, continue_table, grids_from_cells, page_may_hold_table, \
    tables_on_page

MAX_PAGES_DEFAULT = 2000


@dataclass(frozen=True)
class PdfText:
    text: str
    page_starts: tuple[int, ...]
    n_pages: int
    warnings: tuple[str, ...] = ()
    text_source: str = "text_layer"          # text_layer, ocr or mixed
    ocr_confidence: float | None = None      # mean confidence of the OCR'd pages


def _open(data: bytes, source: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise NoticeError("encrypted", f"{source}: the PDF is encrypted (password protected)") from None
        raise NoticeError("corrupt", f"{source}: not a readable PDF, truncated or damaged ({msg})") from None


def _page_segments(page) -> list[Seg]:
    """The page's characters (pdfium stream order, with their boxes) as segments."""
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        if n <= 0:
            return []
        text = tp.get_text_range(0, n)
        if len(text) != n:          # characters outside the BMP: no 1:1 index map
            text = "".join(tp.get_text_range(i, 1)[:1] or " " for i in range(n))
        return chars_to_segments(text, _loose_boxes(tp, n))
    finally:
        tp.close()


def _loose_boxes(tp, n: int) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every character: pdfium's loose boxes (font ascent to
    descent), read through the C call directly (the wrapper costs more than the call)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    rect = pdfium_c.FS_RECTF()
    ref, raw, get = ctypes.byref(rect), tp.raw, pdfium_c.FPDFText_GetLooseCharBox
    out = []
    for i in range(n):
        get(raw, i, ref)
        out.append((rect.left, rect.bottom, rect.right, rect.top))
    return out


def _path_boxes(page) -> list[tuple[float, float, float, float]]:
    import pypdfium2.raw as pdfium_c

    return [obj.get_bounds() for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3)]


def _ruling_edges(page) -> list[dict] | None:
    """The page's straight path segments as pdfplumber edge dicts (y down); None when
    some paths sit inside form objects (their coordinates need the form's matrix:
    pdfplumber reads those pages itself)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    edges: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()

    def add(a: tuple[float, float], b: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = a, b
        if abs(y0 - y1) <= 1.0 and abs(x1 - x0) > 1.0:
            lo, hi = sorted((x0, x1))
            top = height - (y0 + y1) / 2
            edges.append({"x0": lo, "x1": hi, "top": top, "bottom": top, "width": hi - lo, "height": 0.0,
                          "orientation": "h"})
        elif abs(x0 - x1) <= 1.0 and abs(y1 - y0) > 1.0:
            lo, hi = sorted((height - y0, height - y1))
            xm = (x0 + x1) / 2
            edges.append({"x0": xm, "x1": xm, "top": lo, "bottom": hi, "width": 0.0, "height": hi - lo,
                          "orientation": "v"})

    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=3):
        if obj.level > 0:
            return None
        m = obj.get_matrix()
        start = prev = None
        for k in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            pt = m.on_point(x.value, y.value)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                continue
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                add(prev, pt)
            prev = pt
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                add(prev, start)
                prev = start
    return edges


def _find_tables(data: bytes, page_indexes: list[int], segs_by_page: dict[int, list[Seg]],
                 char_ws: dict[int, float]) -> dict[int, list[TableGrid]]:
    if not page_indexes:
        return {}
    import pdfplumber

    found: dict[int, list[TableGrid]] = {}
    with pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in page_indexes]) as pdf:
        for i, pl_page in zip(page_indexes, pdf.pages):
            found[i] = tables_on_page(pl_page, segs_by_page[i], char_ws[i])
    return found


def _merge_continued_tables(pages: list[PageLines]) -> None:
    """A table that opens a page and continues the table that closed the previous page
    (same number of columns) becomes part of it."""
    for n in range(1, len(pages)):
        prev_lines, lines = pages[n - 1].lines, pages[n].lines
        if not prev_lines or not lines:
            continue
        last, first = prev_lines[-1], lines[0]
        if last.table_rows is not None and first.table_rows is not None \
                and len(last.table_rows[0]) == len(first.table_rows[0]):
            before = len(last.table_rows)
            last.row_pages = last.row_pages or [last.page] * before
            last.table_rows = continue_table(last.table_rows, first.table_rows)
            last.row_pages += [first.page] * (len(last.table_rows) - before)
            lines.pop(0)


# the operators of a PDF content stream (PDF 32000-1, annex A); ``true`` ``false`` ``null`` are operands
_OPERATORS = frozenset(b"""b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i
    ID j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W*
    y ' " true false null""".split())


def _only_operators(content: bytes) -> bool:
    """Whether a content stream is made of PDF operators alone (a page that sets a state or a
    clip and paints nothing, on purpose), not of bytes that a damaged stream decodes to."""
    from pdfminer.psparser import PSEOF, PSBaseParser, PSKeyword

    parser = PSBaseParser(io.BytesIO(content))
    try:
        while True:
            _, token = parser.nexttoken()
            if isinstance(token, PSKeyword) and token.name not in _OPERATORS:
                return False
    except PSEOF:
        return True
    except Exception:
        return False


def _stored_extent(pdf_page, data: bytes) -> int:
    """Bytes the file holds for the page's content streams, measured from each stream
    object's place in the cross-reference table to its ``endstream`` (whatever the stream's
    dictionary says its /Length is, or whether that dictionary still parses)."""
    from pdfminer.pdftypes import PDFObjRef, resolve1

    refs = pdf_page.attrs.get("Contents")
    if isinstance(refs, PDFObjRef) and isinstance(resolve1(refs), list):
        refs = resolve1(refs)
    total = 0
    for ref in refs if isinstance(refs, list) else [refs]:
        if not isinstance(ref, PDFObjRef):
            continue
        pos = None
        for xref in pdf_page.doc.xrefs:
            try:
                strm, pos, _ = xref.get_pos(ref.objid)
            except Exception:
                continue
            if strm is None:  # a stream object is never inside an object stream
                break
            pos = None
        if pos is None or not 0 <= pos < len(data):
            continue
        end, endobj = data.find(b"endstream", pos), data.find(b"endobj", pos)
        if end < 0 or 0 <= endobj < end:
            continue  # not a stream (or not this object's)
        head = data.find(b"stream", pos, end)
        total += end - (head + 6 if head >= 0 else pos)
    return total


def _damaged(data: bytes, index: int) -> bool:
    """Whether page ``index`` (which pdfium read as empty) has content that does not parse:
    pdfplumber (pdfminer) finds characters on it, fails on it, or finds nothing drawn from
    a content stream of some length (a blank page's is empty or a few operators), also
    when the stream's dictionary is damaged (a wrong /Length, a broken ``<<``): the bytes
    the file holds for it are measured from the cross-reference table."""
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data), pages=[index + 1]) as doc:
            page = doc.pages[0]
            if page.chars:
                return True
            contents = page.page_obj.contents or []
            if any(not hasattr(s, "get_data") for s in contents):
                return True  # /Contents does not lead to a stream
            from pdfminer.pdftypes import resolve1

            stored = sum(max(int(resolve1(s.attrs.get("Length", 0)) or 0), len(s.rawdata or b""))
                         for s in contents)  # before get_data, which drops the raw bytes
            size = sum(len(s.get_data()) for s in contents)
            if stored > 64 and size == 0:
                return True  # a stream that does not decompress
            if page.rects or page.lines or page.curves or page.images:
                return False  # a page that draws something (a rule, a picture) but no text
            if _stored_extent(page.page_obj, data) - stored > 64:
                return True  # the file holds more than the stream's dictionary lets a reader read
            return size > 64 and not _only_operators(b"\n".join(s.get_data() for s in contents))
    except Exception:
        return True


def _broken_off(data: bytes, pages: set[int]) -> list[int]:
    """Those of ``pages`` whose content stream breaks off: its ASCII85 or Flate data is
    damaged part-way, so pdfium draws what comes before the damage and no more (the rest
    of the page's text is missing, without an error). Filters that cannot be checked here,
    and files pdfminer cannot open, give none."""
    import zlib

    from pdfminer.ascii85 import ascii85decode
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    broken = []
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        for index, page in enumerate(PDFPage.create_pages(doc)):
            if index not in pages:
                continue
            for stream in page.contents or []:
                filters = resolve1(getattr(stream, "attrs", {}).get("Filter"))
                names = [getattr(resolve1(f), "name", None)
                         for f in (filters if isinstance(filters, list) else [filters] if filters else [])]
                raw = getattr(stream, "rawdata", None)
                try:
                    for name in names:
                        if raw is None or name not in ("ASCII85Decode", "A85", "FlateDecode", "Fl"):
                            break
                        if name in ("ASCII85Decode", "A85"):
                            raw = ascii85decode(raw)
                            continue
                        inflate = zlib.decompressobj()
                        raw = inflate.decompress(raw)
                        if not inflate.eof:
                            raise ValueError("the Flate data ends before its end")
                except Exception:  # zlib.error, a bad ASCII85 digit …
                    broken.append(index)
                    break
    except Exception:
        return []
    return broken


def read_pdf(data: bytes, source: str, max_pages: int = MAX_PAGES_DEFAULT, ocr: bool | None = None,
             watermarks: bool = False) -> PdfText:
    """Read a PDF's text layer, and its picture pages by OCR (see the module docstring);
    ``ocr`` None: as the file scope's limits say. With ``watermarks`` every page holding an
    image is a picture page whatever its text layer holds (the second reading of a file
    whose text layer was page furniture only). Raises NoticeError."""
    started = time.monotonic()
    cfg = load_yaml("ingest/pdf.yaml")
    limits = config.current().limits
    use_ocr = limits.ocr if ocr is None else ocr
    pdf = _open(data, source)
    try:
        n_pages = len(pdf)
        if n_pages > max_pages:
            raise NoticeError("too_many_pages", f"{source}: {n_pages} pages is above the limit of {max_pages}")
        segs_by_page: dict[int, list[Seg]] = {}
        char_ws: dict[int, float] = {}
        table_pages: list[int] = []
        tables: dict[int, list[TableGrid]] = {}
        picture_pages: list[int] = []
        empty_pages: list[int] = []   # read as empty and not a picture: blank, or damaged
        for i in range(n_pages):
            page = pdf[i]
            try:
                segs = _page_segments(page)
                if is_picture_page(page, segs, cfg["ocr"]) or (watermarks and segs and image_share(page) > 0):
                    picture_pages.append(i)   # a picture of text (its text layer, if any, a watermark)
                    segs = []
                elif not segs:
                    empty_pages.append(i)
                segs_by_page[i] = segs
                char_ws[i] = char_width(segs)
                if segs and page_may_hold_table(_path_boxes(page), int(cfg["table_min_paths"]),
                                                tuple(cfg["table_min_box"])):
                    edges = _ruling_edges(page)
                    if edges is None:
                        table_pages.append(i)        # pdfplumber reads this page
                    else:
                        tables[i] = grids_from_cells(cells_from_edges(edges), page.get_height(), segs, char_ws[i])
            finally:
                page.close()
        read = ocr_pages(pdf, picture_pages if use_ocr else [], cfg["ocr"],
                         limits.timeout_s * float(cfg["ocr"]["time_share"]), started)
    except NoticeError:
        raise
    except Exception as exc:  # pdfium raises on damaged page streams
        raise NoticeError("corrupt", f"{source}: damaged PDF ({type(exc).__name__}: {exc})") from None
    finally:
        pdf.close()
    for i, segs in read.segs.items():
        segs_by_page[i] = segs
        char_ws[i] = char_width(segs)
    if not any(segs_by_page.values()):
        _no_text(source, n_pages, picture_pages, use_ocr, read)
    try:
        tables.update(_find_tables(data, table_pages, segs_by_page, char_ws))
    except Exception as exc:
        raise NoticeError("corrupt", f"{source}: damaged PDF ({type(exc).__name__}: {exc})") from None

    pages: list[PageLines] = []
    for i in range(n_pages):
        segs = segs_by_page[i]
        grids = tables.get(i, [])
        free = [s for s in segs if not any(g.holds(s) for g in grids)]
        if grids and free:
            char_ws[i] = char_width(free)   # the body's characters, not the table's
        lines = segments_to_lines(free, i, char_ws[i])
        for g in grids:
            lines.append(Line([Seg(g.x0, g.x1, g.y1, "")], i, table_rows=g.rows))
        lines.sort(key=lambda ln: -ln.y)
        pages.append(PageLines(lines_to_blocks(lines, char_ws[i]), char_ws[i]))
    drop_furniture(pages)
    drop_contents(pages)
    _merge_continued_tables(pages)
    text, page_starts = lines_to_text(pages)
    if not text.strip() and not watermarks and not read.segs:
        # the text layer was furniture only (a scanner app's watermark longer than a picture
        # page allows, over a smaller picture; page numbers): read the pages holding an image
        # as pictures of text, so that a scan is no_text_layer or read by OCR, not empty
        return read_pdf(data, source, max_pages, ocr, watermarks=True)
    warnings = ()
    unread = [i for i in picture_pages if i not in read.segs]
    if unread:
        why = sorted({read.unread.get(i, "OCR is off") for i in unread})
        if read.unavailable:
            why = [f"OCR is not installed: {ocr_mod.INSTALL_HINT}"]
        warnings = (f"{source}: warning: page(s) {', '.join(str(i + 1) for i in unread)} of {n_pages} "
                    f"are pictures without a text layer ({'; '.join(why)}); their text is missing",)
    blank = [i for i in empty_pages if _damaged(data, i)]
    if blank:  # pdfium reads a page whose content it cannot parse as an empty one
        warnings += (f"{source}: warning: page(s) {', '.join(str(i + 1) for i in blank)} of {n_pages} "
                     "could not be read (damaged page content, read as blank); their text is missing",)
    cut = _broken_off(data, {i for i in range(n_pages) if i not in empty_pages and i not in picture_pages})
    if cut:  # pdfium reads a page whose content stream is damaged part-way up to the damage
        warnings += (f"{source}: warning: page(s) {', '.join(str(i + 1) for i in cut)} of {n_pages} "
                     "have damaged content (a content stream breaks off); part of their text may be missing",)
    ocr_read = bool(read.segs)
    layer = any(segs_by_page[i] for i in range(n_pages) if i not in read.segs)
    source_kind = ("mixed" if layer else "ocr") if ocr_read else "text_layer"
    return PdfText(text, page_starts, n_pages, warnings, source_kind, read.mean_confidence())


def _no_text(source: str, n_pages: int, picture_pages: list[int], use_ocr: bool, read: OcrOutcome) -> None:
    """Raise the error of a PDF with no text at all."""
    if picture_pages and read.unavailable:
        raise NoticeError("ocr_unavailable", f"{source}: no text layer on any of its {n_pages} page(s) (a scan); "
                                             f"reading it needs OCR: {ocr_mod.INSTALL_HINT}")
    if picture_pages and use_ocr:
        why = sorted(set(read.unread.values()))
        raise NoticeError("no_text_layer", f"{source}: no text layer on any of its {n_pages} page(s) (a scan), "
                                           f"and OCR read nothing ({'; '.join(why)})")
    hint = "; OCR is off" if picture_pages else ""
    raise NoticeError("no_text_layer", f"{source}: no text layer on any of its {n_pages} page(s) (a scan?){hint}")
