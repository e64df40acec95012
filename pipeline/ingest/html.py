"""HTML reader: a saved web page's bytes -> the text of its main content.

``read_html(data, source)`` returns the article of the page as lines, the site around
it dropped. Nothing is executed and nothing is fetched: the page is parsed by lxml's
HTML parser (no network, comments and processing instructions removed) and only text
nodes are read. Steps (settings and name lists in ``models/ingest/html.yaml``):

1. decode: byte-order mark, else the ``<meta charset>`` / ``http-equiv`` declaration
   (GB2312 and GBK read as their superset GB18030) when the bytes decode strictly,
   else the text decoder's detection (``text.decode``); bytes that are valid UTF-8
   with multi-byte characters are UTF-8 whatever an old declaration says;
2. prune: scripts, styles, forms, ``nav``/``header``/``footer``/``aside``, hidden
   elements and elements whose id/class names site furniture (navigation, breadcrumb,
   share bar, footer, sidebar …) are dropped, except an element that wraps the article
   (it holds a content hint or more than half the page's Chinese text);
3. choose the content block: the largest known content container of common site
   systems (``div.TRS_Editor``, ``#zoom``, ``.article-content`` …), else the element
   whose paragraphs hold the most Chinese text (paragraph text counts fully for its
   parent and half for its grandparent); the block widens to its parent while the
   parent adds little text (a title heading beside the article comes with it), never
   across a layout table's rows;
4. render it (``html_render.py``): blocks are lines, ``<br>`` a line break, tables in
   pipe form; a title heading just before the block is put in front when the block
   has none.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

from .errors import NoticeError
from .html_render import BLOCK_TAGS, cjk_count, element_lines
from .text import decode

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
            "gb_2312-80": "gb18030", "big5": "big5hkscs", "utf8": "utf-8"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PARAGRAPHS = frozenset("p pre h1 h2 h3 h4 h5 h6 li blockquote dd dt".split())
_CONTAINERS = frozenset("div section article main span font center td body".split())
_NO_WIDEN = frozenset("tr tbody thead tfoot table".split())


@lru_cache(maxsize=1)
def _cfg():
    from ..lexicon import load_yaml
    cfg = load_yaml("ingest/html.yaml")
    hints = []
    for sel in cfg["content_hints"]:
        m = re.fullmatch(r"([a-z0-9]*)(?:([.#])([\w\-:]+))?", sel.strip(), re.I)
        if m:
            hints.append((m.group(1).lower() or None, m.group(2), (m.group(3) or "").lower()))
    deb = cfg["debris"]
    return {**cfg, "hints": hints, "parts": frozenset(deb["parts"]), "names": frozenset(deb["names"]),
            "prefixes": tuple(deb["prefixes"]), "drop": frozenset(cfg["drop_tags"]),
            "protect": frozenset(cfg["protect_tags"]), "title_parts": frozenset(cfg["title_parts"])}


def decode_html(data: bytes, source: str) -> str:
    """The page's text: BOM, else a declared charset that decodes strictly, else detection."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    head = data[:4096]
    m = _META.search(head) or _XML_DECL.search(head)
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        enc = _ALIASES.get(name, name)
        if enc != "utf-8" and _is_utf8(data):
            return data.decode("utf-8")   # re-saved as UTF-8, old declaration kept: UTF-8 never fits by chance
        try:
            codecs.lookup(enc)
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass   # a wrong declaration is common: detect instead
    text, _ = decode(data, source)
    return text


def _is_utf8(data: bytes) -> bool:
    """Strict UTF-8 with at least one multi-byte character."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in data)


def read_html(data: bytes, source: str) -> str:
    """The main content of the HTML page ``data`` as lines of text."""
    from lxml import etree
    from lxml import html as lhtml
    text = _CONTROL.sub("", decode_html(data, source))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lhtml.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = lhtml.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise NoticeError("empty", f"{source}: no HTML content to read ({exc})") from None
    limit = next((e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"), None)
    if limit is not None:  # lxml stops at its nesting depth: what follows is not in the tree
        from .. import config
        config.current().warn("partial_text", f"{source}: warning: the HTML is nested too deep for the parser "
                                              f"(line {limit.line}: {limit.message.split(',')[0]}); "
                                              "the text after that point is missing")
    cfg = _cfg()
    hinted = [el for el in root.iter() if isinstance(el.tag, str) and _matches_hint(el, cfg["hints"])]
    # lxml proxies are only stable while referenced: hold them so their ids stay valid
    wrappers = [a for el in hinted for a in [el, *el.iterancestors()]]
    _prune(root, cfg, cjk_count(root.text_content()), {id(a) for a in wrappers})
    block = _choose_block(root, cfg, [el for el in hinted if _attached(el, root)])
    lines = element_lines(block)
    title = _title_before(root, block, cfg)
    if title and not any(title in line for line in lines[:5]):
        lines.insert(0, title)
    return "\n".join(lines)


def _attached(el, root) -> bool:
    return any(a is root for a in el.iterancestors()) or el is root


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _matches_hint(el, hints) -> bool:
    tag = el.tag.lower()
    for h_tag, kind, name in hints:
        if h_tag and h_tag != tag:
            continue
        if kind == "#" and (el.get("id") or "").lower() != name:
            continue
        if kind == "." and name not in (c.lower() for c in _classes(el)):
            continue
        if h_tag or kind:
            return True
    return False


def _name_parts(name: str) -> list[str]:
    return [p for p in re.split(r"[-_\s]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()) if p]


def is_debris(el, cfg) -> bool:
    """True when the element's id or a class names site furniture."""
    for name in [el.get("id") or "", *_classes(el)]:
        low = name.lower()
        if not low:
            continue
        if low in cfg["names"] or low.startswith(cfg["prefixes"]) or any(p in cfg["parts"] for p in _name_parts(name)):
            return True
    return False


def _hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return el.get("hidden") is not None or "display:none" in style or "visibility:hidden" in style


def _prune(el, cfg, total: int, keep: set[int]) -> None:
    """Drop furniture under ``el`` in place (tails are kept), sparing the article's wrappers."""
    for child in list(el):
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        drop = tag in cfg["drop"] or _hidden(child) or is_debris(child, cfg)
        if drop and id(child) in keep:
            drop = False
        if drop and tag not in ("script", "style") and (tag in cfg["protect"] or tag not in cfg["drop"]):
            drop = cjk_count(child.text_content()) <= cfg["protect_share"] * total
        if drop:
            child.drop_tree()
        else:
            _prune(child, cfg, total, keep)


def _own_text(el) -> str:
    return (el.text or "") + "".join(c.tail or "" for c in el)


def _choose_block(root, cfg, hinted):
    minimum = int(cfg["min_content_chars"])
    body = root.find("body")
    body = body if body is not None else root
    sizes = [(cjk_count(el.text_content()), el) for el in hinted]
    sizes = [(n, el) for n, el in sizes if n >= minimum]
    if sizes:
        block = max(sizes, key=lambda s: s[0])[1]
    else:
        scores: dict[int, float] = {}
        elems: dict[int, object] = {}

        def credit(el, n: float) -> None:
            if el is not None:
                scores[id(el)] = scores.get(id(el), 0.0) + n
                elems[id(el)] = el

        for el in body.iter():
            if not isinstance(el.tag, str):
                continue
            tag = el.tag.lower()
            if tag in _PARAGRAPHS:
                n = cjk_count(el.text_content())
                parent = el.getparent()
                credit(parent, n)
                credit(parent.getparent() if parent is not None else None, n / 2)
            elif tag in _CONTAINERS:
                n = cjk_count(_own_text(el))
                if n >= 10:
                    credit(el, n)
                    credit(el.getparent(), n / 2)
        best = max(scores, key=scores.get, default=None)
        if best is None or scores[best] < minimum:
            return body
        block = elems[best]
    size = cjk_count(block.text_content())
    while block is not body and block.getparent() is not None:
        parent = block.getparent()
        if parent is body or parent.tag not in BLOCK_TAGS or parent.tag in _NO_WIDEN:
            break
        if cjk_count(parent.text_content()) - size > min(cfg["widen_share"] * size, cfg["widen_max_chars"]):
            break
        block = parent
    return block


def _title_before(root, block, cfg) -> str | None:
    """The last short title-like heading before ``block`` in document order (not inside it)."""
    for el in block.iter():
        if isinstance(el.tag, str) and _is_title(el, cfg):
            return None   # the block has its own title
    found = None
    ancestors = list(block.iterancestors())
    for el in root.iter():
        if el is block:
            break
        if isinstance(el.tag, str) and not any(el is a for a in ancestors) and _is_title(el, cfg):
            text = " ".join(el.text_content().split())
            if 2 <= len(text) <= int(cfg["title_max_chars"]):
                found = text
    return found


def _is_title(el, cfg) -> bool:
    if el.tag.lower() in cfg["title_tags"]:
        return True
    return any(p in cfg["title_parts"] for name in [el.get("id") or "", *_classes(el)] for p in _name_parts(name))
