"""The output contract: one pydantic model per table, the single schema source.

Parquet schemas (``arrow_schema``) and ``docs/schema.md`` (``schema_markdown``) are
derived from these models; downstream systems and the evaluation read exactly this.
Offsets are half-open ``[char_start, char_end)`` into the document's clean text
(``documents.text``). Values of role / kind / comparator are those of the guidelines.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import inspect
import operator
import types
import typing
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator
from typing_extensions import TypedDict

Role = Literal["lead", "partner", "report_to", "issuer_of_rule"]
DateKind = Literal["deadline", "start", "period", "point"]
YearSource = Literal["text", "period", "issue_date", "doc_number", "title", "document"]
Comparator = Literal["eq", "gte", "lte", "approx", "range"]
TargetKind = Literal["target", "achieved", "qualifier", "info"]
DocType = Literal["plan", "summary", "notice"]
SourceFormat = Literal["txt", "pdf", "docx", "html", "image"]
TextSource = Literal["text_layer", "ocr", "mixed"]
Level = Literal["error", "warning"]


class ErrorCode(enum.StrEnum):
    """Every ``errors.error`` code the pipeline writes (the README's tables document each).
    A warning is a document processed with a remark; an error is a file with no document."""
    # the file as given
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"
    # inputs given or found that are not files to read
    MISSING = "missing"
    DANGLING_LINK = "dangling_link"
    SYMLINK_LOOP = "symlink_loop"
    NOT_A_FILE = "not_a_file"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    UNSUPPORTED = "unsupported"
    # PDF
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    NO_TEXT_LAYER = "no_text_layer"
    TOO_MANY_PAGES = "too_many_pages"
    OCR_UNAVAILABLE = "ocr_unavailable"     # a scan or an image, and the [ocr] extra is missing
    # DOCX and other Office files
    ZIP_BOMB = "zip_bomb"
    LEGACY_DOC = "legacy_doc"
    OLE_UNSUPPORTED = "ole_unsupported"
    # bounds and workers
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"
    # our own code failed
    READER_FAILED = "reader_failed"
    PIPELINE_FAILED = "pipeline_failed"
    # warnings: the document is there
    MIXED_ENCODING = "mixed_encoding"
    PARTIAL_TEXT = "partial_text"
    NO_STRUCTURE = "no_structure"
    EXTRACTOR_FAILED = "extractor_failed"
    # quality check: the document lacks something an analyst expects (quality.py)
    NO_TITLE = "no_title"
    NO_ISSUER = "no_issuer"
    NO_ISSUE_DATE = "no_issue_date"
    NO_TASKS = "no_tasks"


WARNING_CODES = frozenset({ErrorCode.MIXED_ENCODING, ErrorCode.PARTIAL_TEXT, ErrorCode.NO_STRUCTURE,
                           ErrorCode.EXTRACTOR_FAILED, ErrorCode.NO_TITLE, ErrorCode.NO_ISSUER,
                           ErrorCode.NO_ISSUE_DATE, ErrorCode.NO_TASKS})
# the column's type: one of the codes (so a code missing from ErrorCode fails at once)
ErrorCodeValue = Literal[tuple(c.value for c in ErrorCode)]  # type: ignore[valid-type]


def level_of(code: str) -> Level:
    """``warning`` for a code in ``WARNING_CODES``, otherwise ``error``."""
    return "warning" if code in WARNING_CODES else "error"


class _Row(BaseModel):
    # defer_build: a model's validator is built when a row of its table is first made as a
    # model (a run makes documents and error rows; the other tables' rows are columns)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# A mention: what an extractor finds in a task's text, defined beside the model of its
# table. Its fields are columns of that table, of the same types (tests/test_row_columns.py),
# with offsets local to the task's text (``process`` shifts them to the document's and adds
# the ids and the page); a field the table has no column for is marked ``NOT_A_COLUMN``.
# Frozen dataclasses with slots, not models: an extractor makes many, and the rows are
# validated once per document, as columns (``validated_columns``).
_mention = dataclasses.dataclass(frozen=True, slots=True)
NOT_A_COLUMN = {"column": False}


class Document(_Row):
    """One notice: its GB/T 9704 metadata and its clean text."""
    doc_id: str = Field(description="first 16 hex digits of the SHA-256 of the original bytes")
    source_path: str = Field(description="real path of the file it was first read from (every place: sources)")
    source_format: SourceFormat = Field(description="txt, pdf, docx, html or image (PNG, JPEG, TIFF)")
    issuer: Optional[str] = Field(None, description="发文机关, full name as first written")
    doc_number: Optional[str] = Field(None, description="发文字号, brackets as 〔〕")
    title: Optional[str] = Field(None, description="the document's own title")
    attachment_title: Optional[str] = Field(None, description="title of the enclosed plan")
    recipients: Optional[str] = Field(None, description="主送机关, without the final colon")
    issue_date: Optional[dt.date] = Field(None, description="成文日期")
    period_start: Optional[dt.date] = Field(None, description="first day of the period the plan covers")
    period_end: Optional[dt.date] = Field(None, description="last day of the period the plan covers")
    doc_type: Optional[DocType] = Field(None, description="plan, summary or notice")
    n_pages: Optional[int] = Field(None, description="pages of a PDF input; null for other formats")
    text_source: TextSource = Field("text_layer", description="text_layer: the file's own characters; "
                                    "ocr: read from pictures of text; mixed: both (a PDF with scanned pages)")
    ocr_confidence: Optional[float] = Field(None, description="mean OCR confidence (0-1) over the OCR'd "
                                            "characters; null without OCR")
    text: str = Field(description="the clean text all offsets refer to")
    n_chars: int = Field(description="length of text in characters")
    pipeline_version: str = Field(description="version of the pipeline that wrote the row")
    processed_at: dt.datetime = Field(description="when the row was written (UTC)")


class Task(_Row):
    """One numbered work item (the lowest numbered level of the body)."""
    doc_id: str
    task_id: str = Field(description="unique and stable across runs: doc_id + path")
    path: list[str] = Field(description='labels from the top without punctuation, e.g. ["四","2"], ["一","三"]')
    section: Optional[str] = Field(None, description="the section heading without its label")
    title: Optional[str] = Field(None, description="the item's lead sentence without label and final 。")
    text: str = Field(description="the item's text after its label")
    char_start: int = Field(description="offset of text in documents.text")
    char_end: int
    page: Optional[int] = Field(None, description="1-based PDF page where it begins; null for other formats")
    tokens: list[str] = Field(description="segmentation of text")


class Unit(_Row):
    """An organisation named in a task and the role it plays."""
    doc_id: str
    task_id: str
    name: str = Field(description="as written")
    canonical: Optional[str] = Field(None, description="abbreviations resolved within the document")
    role: Role
    char_start: int
    char_end: int
    page: Optional[int] = Field(None, description="1-based PDF page where it begins; null for other formats")


@_mention
class UnitMention:
    """A row of ``units`` as ``extract.units`` finds it: ``name`` as written, its ``role``,
    half-open offsets into the task's text, ``canonical`` (defaults to the name)."""
    name: str
    role: Role
    char_start: int
    char_end: int
    canonical: Optional[str] = None

    def __post_init__(self):
        if self.canonical is None:
            object.__setattr__(self, "canonical", self.name)


class Date(_Row):
    """A calendar expression of a task as an ISO interval."""
    doc_id: str
    task_id: str
    text: str
    start: Optional[dt.date] = None
    end: Optional[dt.date] = None
    kind: DateKind
    year_source: Optional[YearSource] = Field(
        None, description="where the year came from: text (written in the expression), else the first of "
                          "period, issue_date, doc_number, title, document (an explicit date elsewhere in it) "
                          "that has one; null when start and end are null")
    char_start: int
    char_end: int
    page: Optional[int] = Field(None, description="1-based PDF page where it begins; null for other formats")


@_mention
class DateMention:
    """A row of ``dates`` as ``extract.dates`` finds it (offsets into the task's text);
    ``redacted`` (``X月X日``: no dates) is the extractor's own."""
    text: str
    start: Optional[dt.date]
    end: Optional[dt.date]
    kind: DateKind
    char_start: int
    char_end: int
    redacted: bool = dataclasses.field(default=False, metadata=NOT_A_COLUMN)
    year_source: Optional[YearSource] = None   # None when start and end are null


class Target(_Row):
    """A quantity of a task: value, unit, object, comparator, kind."""
    doc_id: str
    task_id: str
    text: str
    value: Optional[float] = Field(None, description="fully expanded; null when redacted (X)")
    value_max: Optional[float] = Field(None, description="upper bound of a range")
    unit: Optional[str] = None
    object: Optional[str] = None
    comparator: Comparator
    kind: TargetKind
    char_start: int
    char_end: int
    page: Optional[int] = Field(None, description="1-based PDF page where it begins; null for other formats")


@_mention
class Quantity:
    """A row of ``targets`` as ``extract.targets`` finds it (offsets into the task's text);
    ``redacted`` (a number written ``X``: value None) is the extractor's own."""
    text: str
    value: Optional[float]
    value_max: Optional[float]
    unit: Optional[str]
    object: Optional[str]
    comparator: Comparator
    kind: TargetKind
    char_start: int
    char_end: int
    redacted: bool = dataclasses.field(default=False, metadata=NOT_A_COLUMN)


class ErrorRecord(_Row):
    """An input that could not be processed (level error), or was processed with a remark
    (level warning: its document is in the documents table)."""
    source_path: str
    error: ErrorCodeValue = Field(description="short machine-readable reason (README: What happens to bad input)")
    level: Level = Field(description="error (no document) or warning (a document with a remark); "
                                     "set from the code when not given")
    message: str = Field(description="one human-readable line")
    at: dt.datetime

    @model_validator(mode="before")
    @classmethod
    def _level_from_code(cls, data: Any) -> Any:
        if isinstance(data, dict) and "level" not in data and "error" in data:
            data = {**data, "level": level_of(str(data["error"]))}
        return data


class Source(_Row):
    """A place a document was found: one row per input file (by real path) holding it.
    A notice found in several places is one document with several sources."""
    doc_id: str
    source_path: str = Field(description="real path of the file, escaped as in documents.source_path")


TABLES: dict[str, type[_Row]] = {
    "documents": Document,
    "tasks": Task,
    "units": Unit,
    "dates": Date,
    "targets": Target,
    "errors": ErrorRecord,
    "sources": Source,
}

# the tables whose rows are made from mentions, and the mention type of each
MENTIONS: dict[str, type] = {"units": UnitMention, "dates": DateMention, "targets": Quantity}
OFFSETS = ("char_start", "char_end")


def mention_fields(table: str) -> tuple[str, ...]:
    """The columns of ``table`` a mention gives as they are: its fields but the offsets
    (shifted by ``process``) and those marked ``NOT_A_COLUMN``."""
    return tuple(f.name for f in dataclasses.fields(MENTIONS[table])
                 if f.metadata.get("column", True) and f.name not in OFFSETS)


# The rows as plain named tuples, for carrying a batch's rows from a worker process to
# the one that writes them: they pickle in half the time of the models and read the same
# (``row.doc_id``); the models have validated them already.
ROW_TUPLES = {table: typing.NamedTuple(model.__name__ + "Row", [(f, object) for f in model.model_fields])
              for table, model in TABLES.items()}
for _t in ROW_TUPLES.values():
    globals()[_t.__name__] = _t     # picklable by name


def as_row_tuples(table: str, rows: list) -> list:
    """``rows`` (models of ``table``) as its named tuples."""
    cls = ROW_TUPLES[table]
    return [cls._make([r.__dict__[f] for f in cls._fields]) for r in rows]


# A task's tokens travel joined by this character (one string per task, split again by
# Arrow in C++), unless one of its tokens holds it (then as the list itself).
TOKEN_SEP = "\x00"


class Columns:
    """The rows of one table as one list per column: how ``process`` gives the rows of the
    data tables, how a worker's rows travel to the process that writes them, and how a
    batch accumulates there. Against row objects they pickle in about a third of the time
    and become Arrow arrays without a Python object per row (``to_arrow``); they were
    validated as the models validate. ``len()`` is the number of rows; ``column(name)`` a
    column's values as written; iterating or indexing gives rows as the table's models,
    made on demand (for a reader that wants rows: tests, a notebook)."""

    __slots__ = ("table", "data")

    def __init__(self, table: str, data: dict[str, list]):
        self.table, self.data = table, data

    @classmethod
    def of(cls, table: str, rows: list) -> "Columns":
        """``rows`` (models or named tuples of ``table``) as columns."""
        names = list(TABLES[table].model_fields)
        if rows and not isinstance(rows[0], tuple):
            rows = list(map(operator.itemgetter(*names), [r.__dict__ for r in rows]))
        values = list(zip(*rows)) if rows else [()] * len(names)
        data = dict(zip(names, map(list, values)))
        if "tokens" in data:
            data["tokens"] = list(map(_joined_tokens, data["tokens"]))
        return cls(table, data)

    @classmethod
    def empty(cls, table: str) -> "Columns":
        return cls(table, {name: [] for name in TABLES[table].model_fields})

    def __len__(self) -> int:
        return len(next(iter(self.data.values())))

    def __iter__(self):
        model, names = TABLES[self.table], list(self.data)
        for values in zip(*map(self.column, names)):
            yield model(**dict(zip(names, values)))

    def __getitem__(self, i: int | slice):
        rows = range(len(self))[i]
        if isinstance(rows, range):
            return [self[k] for k in rows]
        model = TABLES[self.table]
        return model(**{name: _split_tokens(values[rows]) if name == "tokens" else values[rows]
                        for name, values in self.data.items()})

    def extend(self, other: "Columns") -> None:
        for name, values in self.data.items():
            values.extend(other.data[name])

    def column(self, name: str) -> list:
        values = self.data[name]
        return list(map(_split_tokens, values)) if name == "tokens" else values

    def to_arrow(self) -> pa.Table:
        """The rows as an Arrow table with the table's schema."""
        import pyarrow as pa

        schema = arrow_schema(TABLES[self.table])
        arrays = []
        for fld in schema:
            values = self.data[fld.name]
            if fld.name == "tokens" and not any(isinstance(v, list) for v in values):
                arrays.append(_tokens_array(values, fld.type))
            else:
                arrays.append(pa.array(self.column(fld.name), type=fld.type))
        return pa.Table.from_arrays(arrays, schema=schema)


@functools.lru_cache(maxsize=None)
def _column_adapter(table: str) -> TypeAdapter:
    """A validator of a table's rows as columns: each field's list is validated against the
    model's annotation of that field, with the model's rules (so a value the model would
    refuse is refused here, and one it would convert, an int as a float, is converted).
    The tokens are validated as they are carried (``_joined_tokens``: one string per task
    instead of one check per token, which cost half of the validation's time)."""
    model = TABLES[table]
    cols = TypedDict(model.__name__ + "Columns",  # type: ignore[misc]
                     {name: list[_CARRIED_TOKENS if name == "tokens" else info.annotation]
                      for name, info in model.model_fields.items()})
    cols.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    return TypeAdapter(cols)


def validated_columns(table: str, data: dict[str, list]) -> Columns:
    """Rows of ``table`` made by our own code, given as columns (every field, lists of one
    length): validated at once as the models validate a row (``pydantic.ValidationError``
    on a value of the wrong type) and returned as ``Columns``, without a model per row."""
    if len(set(map(len, data.values()))) > 1:
        raise ValueError(f"{table}: columns of different lengths")
    if "tokens" in data:
        data = {**data, "tokens": list(map(_joined_tokens, data["tokens"]))}
    checked = _column_adapter(table).validate_python(data)
    return Columns(table, {name: checked[name] for name in TABLES[table].model_fields})


# a task's tokens as carried: joined, a list when a token holds TOKEN_SEP, None for none
_CARRIED_TOKENS = typing.Optional[typing.Union[str, list[str]]]


def _joined_tokens(tokens: list[str]) -> str | list[str] | None:
    """A task's tokens as carried: joined by TOKEN_SEP, None for none, the list itself
    when a token holds TOKEN_SEP. (A token that is not a string is refused here, by
    ``str.join``, or by the validation of the list.)"""
    if type(tokens) is not list:
        raise TypeError(f"a task's tokens must be a list of strings, not {type(tokens).__name__}")
    if not tokens:
        return None
    joined = TOKEN_SEP.join(tokens)
    return joined if joined.count(TOKEN_SEP) == len(tokens) - 1 else list(tokens)


def _split_tokens(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return value if isinstance(value, list) else value.split(TOKEN_SEP)


def _tokens_array(joined: list[str | None], typ: pa.DataType) -> pa.Array:
    """The list column of joined token strings, split in C++ (None: no tokens). The
    kernels are called by name (``pyarrow._compute``, what ``pyarrow.compute``'s
    functions call): importing ``pyarrow.compute`` builds a wrapper for every kernel
    (~50 ms CPU of the run command's start)."""
    import pyarrow as pa
    from pyarrow._compute import CastOptions, SplitPatternOptions, call_function

    lists = call_function("split_pattern", [pa.array(joined, pa.string())], SplitPatternOptions(TOKEN_SEP))
    if lists.null_count:
        lists = call_function("coalesce", [lists, pa.scalar([], lists.type)])   # pc.fill_null
    return call_function("cast", [lists], CastOptions.safe(typ))


def _arrow_type(annotation) -> tuple[pa.DataType, bool]:
    """Map a field annotation to (arrow type, nullable)."""
    import pyarrow as pa

    nullable = False
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
        origin = typing.get_origin(annotation)
    if origin is Literal:
        return pa.string(), nullable
    if origin is list:
        inner, _ = _arrow_type(typing.get_args(annotation)[0])
        return pa.list_(inner), nullable
    mapping = {
        str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(),
        dt.date: pa.date32(), dt.datetime: pa.timestamp("us", tz="UTC"),
    }
    return mapping[annotation], nullable


def arrow_schema(model: type[_Row]) -> pa.Schema:
    """The Parquet schema of a table, derived from its model."""
    import pyarrow as pa

    fields = []
    for name, info in model.model_fields.items():
        typ, nullable = _arrow_type(info.annotation)
        fields.append(pa.field(name, typ, nullable=nullable))
    return pa.schema(fields)


def _type_name(annotation) -> str:
    typ, nullable = _arrow_type(annotation)
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    lit = annotation if origin is Literal else (args[0] if args and typing.get_origin(args[0]) is Literal else None)
    name = str(typ)
    if lit is not None:
        name += " (" + ", ".join(typing.get_args(lit)) + ")"
    return name + (" null" if nullable else "")


def schema_markdown() -> str:
    """``docs/schema.md``: every table and column, generated from the models."""
    lines = [
        "# Output schema",
        "",
        "Generated from `pipeline/records.py` by `notices schema`; do not edit by hand.",
        "Each table is a Parquet dataset (zstd) in `<out>/<table>/`, one or more part files.",
        "Offsets are half-open `[char_start, char_end)` into `documents.text`.",
        "",
    ]
    for table, model in TABLES.items():
        lines += [f"## `{table}`", "", inspect.cleandoc(model.__doc__ or ""), "",
                  "| column | type | meaning |", "|---|---|---|"]
        for name, info in model.model_fields.items():
            lines.append(f"| `{name}` | {_type_name(info.annotation)} | {info.description or ''} |")
        lines.append("")
    return "\n".join(lines)
