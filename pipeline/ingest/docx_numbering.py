"""Word list numbering: the labels Word draws in front of numbered paragraphs.

A numbered paragraph holds no label in its text: Word draws it from
``word/numbering.xml``. ``ListNumbering(numbering_el, styles_el)`` reads the
definitions (``w:num`` -> ``w:abstractNum`` -> ``w:lvl`` with ``w:start``,
``w:numFmt``, ``w:lvlText``, ``w:lvlRestart``, ``w:isLgl``, ``w:suff``; ``w:lvlOverride``
/ ``w:startOverride``; ``w:numStyleLink``) and the paragraph styles that carry a
``w:numPr`` (heading styles with numbering). ``label(p)`` is then called on every
paragraph in document order: it advances the counter of the paragraph's list level
(counters are kept per ``numId``; deeper levels restart when a higher level advances,
unless ``w:lvlRestart`` says otherwise) and returns the rendered label, e.g. ``一、``,
``（一）``, ``1.``, followed by a space when the label does not end in punctuation and
Word puts a tab or space after it; None for unnumbered paragraphs and bullets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from docx.oxml.ns import qn

from ..lexicon import load_yaml

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None   # w:lvlRestart: None = after any higher level, 0 = never
    legal: bool = False          # w:isLgl: all numbers in decimal
    suffix: str = "tab"
    style: str | None = None     # w:pStyle: the paragraph style bound to this level


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)


def _val(el, tag: str) -> str | None:
    child = el.find(qn(tag)) if el is not None else None
    return None if child is None else child.get(qn("w:val"))


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> Level:
    legal = lvl.find(qn("w:isLgl"))
    return Level(
        start=_int(_val(lvl, "w:start"), 1), fmt=_val(lvl, "w:numFmt") or "decimal",
        text=_val(lvl, "w:lvlText") or "", restart=_int(_val(lvl, "w:lvlRestart")),
        legal=legal is not None and legal.get(qn("w:val"), "1") not in ("0", "false", "off"),
        suffix=_val(lvl, "w:suff") or "tab", style=_val(lvl, "w:pStyle"))


@lru_cache(maxsize=1)
def _cfg():
    return load_yaml("ingest/docx.yaml")["numbering"]


def _counting(n: int, digits: str, units: str, drop_one_ten: bool = True) -> str:
    """Chinese counting numerals: 1 一, 10 十, 11 十一, 20 二十, 101 一百零一."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    out, zero = "", False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = n // power % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += digits[0]
            zero = False
        out += digits[d] + unit
    if drop_one_ten and 10 <= n < 20:
        out = out[1:]
    return out


def format_number(n: int, fmt: str) -> str:
    """Write ``n`` in Word's number format ``fmt`` (``w:numFmt``); unknown formats as decimal."""
    cfg = _cfg()
    table = cfg["tables"].get(fmt)
    if table is not None:
        return table[n - 1] if 1 <= n <= len(table) else str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting"):
        return _counting(n, cfg["cn_digits"], cfg["cn_units"])
    if fmt == "chineseLegalSimplified":
        return _counting(n, cfg["cn_legal_digits"], cfg["cn_legal_units"], drop_one_ten=False)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(cfg["cn_digital"][int(d)] for d in str(n))
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        out = ""
        for value, numeral in _ROMAN:
            while n >= value:
                out += numeral
                n -= value
        return out if fmt == "upperRoman" else out.lower()
    return str(n)


class ListNumbering:
    """The numbering definitions of one document and its running counters."""

    def __init__(self, numbering_el, styles_el):
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_link: dict[str, str] = {}      # abstractNumId -> numStyleLink style id
        self._nums: dict[str, _Num] = {}
        self._styles: dict[str, tuple[str | None, int | None, str | None]] = {}
        self._default_style: str | None = None
        self._counters: dict[str, dict[int, int]] = {}
        if numbering_el is not None:
            self._read_numbering(numbering_el)
        if styles_el is not None:
            self._read_styles(styles_el)

    def _read_numbering(self, root) -> None:
        for an in root.iter(qn("w:abstractNum")):
            aid = an.get(qn("w:abstractNumId"))
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                levels[_int(lvl.get(qn("w:ilvl")), 0)] = _level(lvl)
            self._abstract[aid] = levels
            link = _val(an, "w:numStyleLink")
            if link:
                self._style_link[aid] = link
        for num in root.iter(qn("w:num")):
            entry = _Num(_val(num, "w:abstractNumId") or "")
            for ov in num.findall(qn("w:lvlOverride")):
                ilvl = _int(ov.get(qn("w:ilvl")), 0)
                start = _int(_val(ov, "w:startOverride"))
                if start is not None:
                    entry.start_overrides[ilvl] = start
                lvl = ov.find(qn("w:lvl"))
                if lvl is not None:
                    entry.overrides[ilvl] = _level(lvl)
            self._nums[num.get(qn("w:numId"))] = entry

    def _read_styles(self, root) -> None:
        for st in root.findall(qn("w:style")):
            if st.get(qn("w:type")) not in (None, "paragraph"):
                continue
            sid = st.get(qn("w:styleId"))
            num_pr = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            num_id = _val(num_pr, "w:numId") if num_pr is not None else None
            ilvl = _int(_val(num_pr, "w:ilvl")) if num_pr is not None else None
            self._styles[sid] = (num_id, ilvl, _val(st, "w:basedOn"))
            if st.get(qn("w:default")) in ("1", "true", "on"):
                self._default_style = sid

    def _levels(self, num_id: str) -> dict[int, Level]:
        num = self._nums.get(num_id)
        if num is None:
            return {}
        aid, seen = num.abstract, set()
        while aid in self._style_link and aid not in seen:   # numStyleLink -> the style's list
            seen.add(aid)
            linked_num = self._style_numpr(self._style_link[aid])[0]
            linked = self._nums.get(linked_num or "")
            if linked is None:
                break
            aid = linked.abstract
        levels = dict(self._abstract.get(aid, {}))
        for ilvl, lvl in num.overrides.items():
            levels[ilvl] = lvl
        for ilvl, start in num.start_overrides.items():
            if ilvl in levels:
                lv = levels[ilvl]
                levels[ilvl] = Level(start, lv.fmt, lv.text, lv.restart, lv.legal, lv.suffix, lv.style)
        return levels

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """numId and ilvl a paragraph style gives (following w:basedOn)."""
        num_id = ilvl = None
        seen = set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            s_num, s_ilvl, based = self._styles[style_id]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
            style_id = based
        return num_id, ilvl

    def _numpr(self, p) -> tuple[str | None, int]:
        ppr = p.find(qn("w:pPr"))
        style = _val(ppr, "w:pStyle") if ppr is not None else None
        style = style or self._default_style
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(num_pr, "w:numId") if num_pr is not None else None
        ilvl = _int(_val(num_pr, "w:ilvl")) if num_pr is not None else None
        s_num, s_ilvl = self._style_numpr(style)
        if num_id is None:
            num_id = s_num
        if ilvl is None:
            ilvl = s_ilvl
        if ilvl is None and num_id is not None:  # the level whose w:pStyle is this style
            ilvl = next((i for i, lv in self._levels(num_id).items() if style and lv.style == style), 0)
        return (None if num_id in (None, "0") else num_id), (ilvl or 0)

    def label(self, p) -> str | None:
        """Advance the counters for paragraph ``p`` (a ``w:p``) and return its label, or None."""
        num_id, ilvl = self._numpr(p)
        if num_id is None:
            return None
        levels = self._levels(num_id)
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart > 0 and ilvl < restart):
                del counters[deeper]
        if level.fmt in ("bullet", "none"):
            return None
        out, i, text = "", 0, level.text
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1].isdigit():
                k = int(text[i + 1]) - 1
                ref = levels.get(k, Level())
                value = counters.get(k, ref.start)
                out += format_number(value, "decimal" if level.legal else ref.fmt)
                i += 2
                continue
            out += ch
            i += 1
        out = out.strip()
        if not out:
            return None
        if out[-1] not in _cfg()["label_ends"] and level.suffix != "nothing":
            out += " "
        return out
