"""One file's result: the rows of every table it gave, as ``process`` makes them and a worker
returns them to the process that writes.

A module of its own, light to import: the writing process unpickles every ``Result`` its
workers send, and with the class in ``process`` that would import every extractor there
(~600 M instructions of the run command's start, for a process that only writes).
``error_result`` is the result of a file with no document: its one error row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .records import ErrorRecord

TABLE_NAMES = ("documents", "tasks", "units", "dates", "targets", "errors")


@dataclass
class Result:
    source_path: str
    doc_id: str | None = None
    rows: dict[str, list] = field(default_factory=lambda: {t: [] for t in TABLE_NAMES})
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.rows["documents"])

    @property
    def error(self) -> ErrorRecord | None:
        return None if self.ok or not self.rows["errors"] else self.rows["errors"][0]

    def add_warnings(self, warnings, at: dt.datetime) -> None:
        """Add ``(code, message)`` pairs as rows of the errors table: the one way a warning,
        made anywhere (a reader, a stage, the quality check, a bound), becomes a row."""
        self.rows["errors"] += [ErrorRecord(source_path=self.source_path, error=code, message=message, at=at)
                                for code, message in warnings]


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def error_result(source_path: str, code: str, message: str) -> Result:
    res = Result(source_path)
    res.rows["errors"].append(ErrorRecord(source_path=source_path, error=code, message=message, at=now()))
    return res
