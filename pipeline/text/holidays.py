"""The holiday calendar, below every stage: the holidays a notice may time work by
(``models/dates/holidays.yaml``: fixed days, lunar ones by their column of
``models/dates/lunar_holidays.tsv``, the nicknames of pairs) and their days in a year.

``table()`` is the YAML as loaded, ``lunar()`` the lunar table (``{year: {column: date}}``),
``day_of(name, year)`` the day a holiday falls on in ``year`` (None when the lunar table
has no such year). The date extractor and the plan period of ``structure/`` both read it.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..lexicon import load_tsv, load_yaml


@lru_cache(maxsize=1)
def table() -> dict:
    """``holidays.yaml``: ``holidays`` (name -> fixed/lunar spec) and the pair tables."""
    return load_yaml("dates/holidays.yaml")


@lru_cache(maxsize=1)
def lunar() -> dict[int, dict[str, dt.date]]:
    return {row.year: dict(row.dates) for row in load_tsv("dates/lunar_holidays.tsv")}


def day_of(name: str, year: int) -> dt.date | None:
    """The day the holiday ``name`` falls on in ``year``."""
    spec = table()["holidays"][name]
    if "fixed" in spec:
        return dt.date(year, *spec["fixed"])
    return lunar().get(year, {}).get(spec["lunar"])
