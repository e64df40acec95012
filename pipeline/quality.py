"""Quality check of one processed document: what an analyst should look at.

``quality_warnings(document, n_tasks)`` returns ``(code, message)`` pairs, one for each
element the pipeline found nothing for: ``no_title``, ``no_issuer``, ``no_issue_date``,
``no_tasks``. They become warning rows of the errors table and are counted in the run
summary, so a batch shows which notices need a look. Nothing found is not an error: a
document without an issuer gives null, never a guess (GUIDELINES §1).
"""
from __future__ import annotations

from .records import ErrorCode

QUALITY_CODES = tuple(str(c) for c in (ErrorCode.NO_TITLE, ErrorCode.NO_ISSUER, ErrorCode.NO_ISSUE_DATE,
                                       ErrorCode.NO_TASKS))

_WHAT = {"no_title": "no title", "no_issuer": "no issuer", "no_issue_date": "no issue date",
         "no_tasks": "no tasks"}


def quality_warnings(source_path: str, title, issuer, issue_date, n_tasks: int) -> list[tuple[str, str]]:
    """One ``(code, message)`` per missing element, in QUALITY_CODES order."""
    missing = {"no_title": not title, "no_issuer": not issuer, "no_issue_date": issue_date is None,
               "no_tasks": n_tasks == 0}
    return [(code, f"{source_path}: warning: {_WHAT[code]} found") for code in QUALITY_CODES if missing[code]]
