"""Numerals: the one reader of numbers written in Arabic, Chinese, full-width or mixed form.

``parse_number(s) -> float | None``: the value of a numeral as written, or None when ``s``
is not one. Reads Arabic digits with thousands separators and decimals (``12,000``,
``526.2``), full-width digits (``３０００``), Chinese numerals with units and section
multipliers (``十五``, ``三千五百``, ``一千二百三十四万五千``, ``二十万零五``, ``一亿五千万``),
their traditional and financial forms (``參萬``, ``壹佰``), elided last units (``一万二`` =
12000, ``三千五`` = 3500), a decimal point written as a word (``三点二``), mixed forms
(``2万``, ``1.5亿``, ``1万2千``) and numbers written digit by digit (``二○二一`` = 2021,
``一一二`` = 112). ``to_int(s)`` is the same value when it is a whole number.
``year_of(s)``: a year as written, a Minguo year converted (``民国112``, ``一一二`` -> 2023).

The characters come from ``models/text/numerals.yaml``, the package's only numeral table:
``DIGITS`` (digit characters, value 0-9, financial forms included), ``UNITS`` (十百千),
``BIG`` (万亿), and the strings ``DIGIT_CHARS``, ``UNIT_CHARS`` (running-text forms only)
and ``BIG_CHARS`` for building the character classes patterns search with.
``cn_numeral_rx()`` is the regex fragment of a Chinese or mixed numeral (no groups).

cn2an (PyPI) was measured as the reader and not taken: it rejects ``百``, ``千``, ``万``
alone, ``二○二一``, ``12,000`` and ``十余``, and takes ~70 µs a call (this module: ~20 µs
uncached, and each distinct numeral is read once).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..lexicon import load_yaml


def _load() -> tuple[dict[str, int], frozenset[str], dict[str, int], dict[str, int], frozenset[str]]:
    cfg = load_yaml("text/numerals.yaml")
    common = {ch: int(v) for v, chars in cfg["digits"].items() for ch in chars}
    formal = {ch: int(v) for v, chars in cfg["formal_digits"].items() for ch in chars}
    return ({**common, **formal}, frozenset(cfg["year_zeros"]), {**cfg["units"], **cfg["formal_units"]},
            dict(cfg["big"]), frozenset(cfg["point"]), "".join(common), "".join(cfg["units"]))


DIGITS, YEAR_ZEROS, UNITS, BIG, POINT, DIGIT_CHARS, UNIT_CHARS = _load()
BIG_CHARS = "".join(BIG)
_MINGUO = load_yaml("text/numerals.yaml")["minguo"]
POINT_CHARS = "".join(POINT)

_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_SEPARATORS = str.maketrans("", "", ",，  ")


def _ascii(s: str) -> str:
    """Full-width digits, point and comma as ASCII (NFKC on those characters only)."""
    if s.isascii():
        return s
    return "".join(unicodedata.normalize("NFKC", ch) if "０" <= ch <= "９" or ch in "．，" else ch for ch in s)


@lru_cache(maxsize=4096)
def parse_number(s: str | None) -> float | None:
    """The value of the numeral ``s`` (see the module doc), None when it is not one."""
    if not s:
        return None
    s = _ascii(s.strip()).translate(_SEPARATORS)
    if not s:
        return None
    if _ARABIC.fullmatch(s):
        return float(s)
    if len(s) > 1 and all(ch in DIGITS or ch in YEAR_ZEROS for ch in s) and s[0] in DIGITS:
        return float("".join(str(DIGITS.get(ch, 0)) for ch in s))  # 二○二一, 一一二
    return _positional(s)


def _positional(s: str) -> float | None:
    total = 0.0       # sections already closed by 亿
    high = 0.0        # the part closed by 万 since the last 亿
    section = 0.0     # below 万
    number: float | None = None
    last_unit = 0     # the unit just read (for an elided one: 一万二, 三千五)
    zero = False      # a 零 since the last unit: 二十万零五 is 5, not 5000
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        m = _ARABIC.match(s, i)
        if m:
            if number is not None:
                return None
            number = float(m.group())
            i = m.end()
            last_unit = 0   # 3万4567: Arabic digits elide nothing
            continue
        if ch in POINT and (number is not None or zero) and i + 1 < n:
            frac = ""
            j = i + 1
            while j < n and s[j] in DIGITS:
                frac += str(DIGITS[s[j]])
                j += 1
            if not frac:
                return None
            number = float(f"{int(number or 0)}.{frac}")
            i = j
            continue
        if ch in DIGITS:
            if number is not None and not zero and DIGITS[ch] != 0:
                return None  # 二三: two digits without a unit between them
            if DIGITS[ch] == 0:
                zero = True
            else:
                number = float(DIGITS[ch])
        elif ch in UNITS:
            section += (number if number is not None else 1) * UNITS[ch]
            number, last_unit, zero = None, UNITS[ch], False
        elif ch in BIG:
            mult = BIG[ch]
            part = section + (number or 0)
            if not part and not total and not high:
                part = 1.0   # 万 alone
            if mult >= 100_000_000:
                total = (total + high + part) * mult
                high = 0.0
            else:
                high = (high + part) * mult
            section, number, last_unit, zero = 0.0, None, mult, False
        else:
            return None
        i += 1
    if number is not None and last_unit >= 100 and not zero:
        number *= last_unit / 10   # 一万二 = 12000, 三千五 = 3500
    return total + high + section + (number or 0)


def to_int(s: str | None) -> int | None:
    """The value of ``s`` when it is a whole number (``12``, ``十二``, ``二○二一``), else None."""
    v = parse_number(s)
    return int(v) if v is not None and v == int(v) else None


@lru_cache(maxsize=1024)
def year_of(s: str | None) -> int | None:
    """A year as written: 2021, 二○二一, or a Minguo year (民国112, 一一二, 112 -> 2023)."""
    s = s or ""
    for era in _MINGUO["eras"]:
        s = s.replace(era, "")
    y = to_int(s.strip())
    return y + _MINGUO["offset"] if y is not None and 1 <= y < _MINGUO["below"] else y


# the multiplier sections a numeral may have after its first (一亿二千万三千 has two)
MAX_SECTIONS = 3


@lru_cache(maxsize=1)
def cn_numeral_rx() -> str:
    """A Chinese or mixed numeral as a regex fragment without groups: Chinese digits and
    units, with section multipliers inside (一千二百三十四万五千, 1万2千, 十二万三千).
    At most ``MAX_SECTIONS`` multiplier sections follow the first (亿 and 万 make two): an
    unbounded repetition let every attempt run to the end of a long numeral-like run and
    back, quadratic on texts such as 十百千万 repeated."""
    cn = re.escape(DIGIT_CHARS + UNIT_CHARS)
    big = re.escape(BIG_CHARS)
    part = rf"(?:\d{{1,4}}|[{cn}]{{1,12}})"
    return rf"(?:[{cn}]{{1,12}}(?:[{big}]{{1,2}}{part}){{0,{MAX_SECTIONS}}})"
