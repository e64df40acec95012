"""The models of one line of the line-based files under ``pipeline/models/`` (``.jsonl``,
``.tsv``, the segmenter's dictionaries), and ``Strict``, the base of every schema.

Part of ``lexicon_schemas.py`` (which names them in ``SCHEMAS``), kept apart because the
loaders return these models themselves: rows read back from the lexicon cache
(``lexicon.py``) are made of these classes, and importing them alone does not build the
~45 other schema classes (~90 M instructions of every start).
"""
# (no ``from __future__ import annotations``: see lexicon_schemas.py)
import datetime as dt
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    # defer_build: a model's validator is built when a file is first checked against it (a
    # run reads some files only, and a model used inside another is built as part of it)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class DictLine(Strict):
    """One entry of a jieba user dictionary: ``word [freq] [tag]``."""
    word: Annotated[str, Field(min_length=1)]
    freq: Optional[Annotated[int, Field(ge=0)]] = None
    tag: Optional[Annotated[str, Field(pattern=r"^[A-Za-z]+$")]] = None


class FixedName(Strict):
    """One line of ``units/patterns.jsonl`` (spaCy EntityRuler's phrase-pattern format)."""
    label: Literal["ORG"]
    pattern: Annotated[str, Field(min_length=1)]
    id: Optional[str] = None


class LunarRow(Strict):
    """One year of ``dates/lunar_holidays.tsv`` (columns named by its ``# year …`` line):
    the Gregorian date of each lunar holiday."""
    year: Annotated[int, Field(ge=1900, le=2100)]
    dates: dict[str, dt.date]

    @classmethod
    def from_cells(cls, columns: list[str], cells: list[str]) -> "LunarRow":
        if len(cells) != len(columns):
            raise ValueError(f"{len(cells)} cells for the {len(columns)} columns {' '.join(columns)}")
        return cls.model_validate({"year": cells[0], "dates": dict(zip(columns[1:], cells[1:]))})


class RadicalRow(Strict):
    """One row of ``clean/radicals.tsv``: a radical form and the character it stands for."""
    code: Annotated[str, Field(pattern=r"^2E[89A-F][0-9A-F]$")]
    radical: Annotated[str, Field(min_length=1, max_length=1)]
    char: Annotated[str, Field(min_length=1, max_length=1)]

    @model_validator(mode="after")
    def _same_code_point(self) -> "RadicalRow":
        if ord(self.radical) != int(self.code, 16):
            raise ValueError(f"{self.radical!r} is not U+{self.code}")
        if not 0x3400 <= ord(self.char) <= 0x9FFF:
            raise ValueError(f"{self.char!r} is not a CJK unified ideograph")
        return self

    @classmethod
    def from_cells(cls, columns: list[str], cells: list[str]) -> "RadicalRow":
        if len(cells) != len(columns):
            raise ValueError(f"{len(cells)} cells for the {len(columns)} columns {' '.join(columns)}")
        return cls.model_validate(dict(zip(columns, cells)))
