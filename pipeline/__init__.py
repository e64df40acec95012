"""Chinese notices to typed, queryable records.

Public API: ``parse_dates``, ``parse_quantities``, ``parse_units`` (pure functions from a
task's text to records with offsets) and ``process_bytes`` (one notice end to end).
"""
__version__ = "0.1.0"

from .extract.dates import parse_dates  # noqa: E402
from .extract.targets import parse_quantities  # noqa: E402
from .extract.units import canonicalize, parse_units  # noqa: E402
from .process import process_bytes, process_path  # noqa: E402

__all__ = ["parse_dates", "parse_quantities", "parse_units", "canonicalize", "process_bytes", "process_path",
           "__version__"]
