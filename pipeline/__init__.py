"""Chinese notices to typed, queryable records.

Public API: ``parse_dates``, ``parse_quantities``, ``parse_units`` (pure functions from a
task's text to records with offsets) and ``process_bytes`` (one notice end to end).
They are imported on first use (``from pipeline import parse_dates`` works as usual):
``python -m pipeline`` and the command's own process do not load the extractors, which
only its worker processes run.
"""
__version__ = "0.1.0"

# public name -> the module defining it
_API = {"parse_dates": "extract.dates", "parse_quantities": "extract.targets", "parse_units": "extract.units",
        "canonicalize": "extract.units", "process_bytes": "process", "process_path": "process"}

__all__ = ["parse_dates", "parse_quantities", "parse_units", "canonicalize", "process_bytes", "process_path",
           "__version__"]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value   # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
