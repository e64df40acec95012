"""The command line, thin: each command calls the library and has one error boundary.

    notices --version
    notices run INPUT... [--out data/processed] [--workers N] [--force] [--max-bytes 64MB]
                [--timeout S] [--max-memory MiB] [--config notices.toml] [--json] [--summary-json FILE] [--no-ocr]
    notices eval [--gold data/gold] [--pred data/processed] [--json FILE]
    notices schema [--output docs/schema.md]
    notices query "SQL" [--pred data/processed] [--format table|csv|json|parquet] [--output FILE]
    notices query --schema
    notices review [--out report] [--pred data/processed] [--lang zh|en]
"""
from __future__ import annotations

import enum
import functools
import json
import os
import sys
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=True, no_args_is_help=True,
                  help="Chinese government and trade-union notices -> typed Parquet records.",
                  context_settings={"help_option_names": ["-h", "--help"]})
_DEBUG = {"on": False}


@functools.cache
def _console(stderr: bool = False):
    """rich's console of stdout or of stderr, made once, when a command first prints (the run
    command makes it while its worker starts: ``rich`` is ~100 M instructions to import).
    Piped or redirected output is not cut at rich's default 80 columns (tables stay whole)."""
    from rich.console import Console

    if stderr:
        return Console(stderr=True)
    return Console() if sys.stdout.isatty() else Console(width=160)


def _table(**kwargs):
    from rich.table import Table

    return Table(**kwargs)


class Engine(str, enum.Enum):
    local = "local"
    dask = "dask"


class Lang(str, enum.Enum):
    zh = "zh"
    en = "en"


def _print_version(value: bool) -> None:
    if value:
        from . import __version__
        typer.echo(f"notices {__version__}")
        raise typer.Exit()


@app.callback()
def main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors."),
         version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print the version and exit.")):
    _DEBUG["on"] = debug


def _boundary(fn):
    """Print one clear line and exit 2 on any failure (traceback with --debug)."""
    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except Exception as exc:
            if _DEBUG["on"]:
                raise
            from .config import ConfigError
            from .query import QueryError
            from .store import StoreError
            # the user's own mistakes read as plain sentences; anything else names its kind
            plain = (StoreError, QueryError, ConfigError, FileNotFoundError)
            if isinstance(exc, OSError) and exc.strerror:   # the file and the system's reason, one line
                where = f"{exc.filename}: " if exc.filename else ""
                msg = f"{where}{exc.strerror[:1].lower()}{exc.strerror[1:]}"
            else:
                msg = str(exc) if isinstance(exc, plain) else f"{type(exc).__name__}: {exc}"
            msg = " ".join(msg.split())   # one line, whatever the exception held
            typer.echo(f"error: {msg}", err=True)
            raise typer.Exit(2)
    return wrapper


_RUN_HELP = ("Process notices into Parquet tables under OUT.\n\n"
             "Exit status: 0 when OUT holds a document for every input; 1 when an input failed, in this "
             "run or in an earlier one (an unchanged failed file is not read again; its recorded error "
             "is printed again); 2 on a usage error or an output that cannot be written.")


@app.command(help=_RUN_HELP)
@_boundary
def run(inputs: List[Path] = typer.Argument(..., help="Notice files and folders (searched recursively)."),
        out: Path = typer.Option(Path("data/processed"), "--out", "-o", help="Output folder."),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Processes (default: cores)."),
        force: bool = typer.Option(False, "--force", help="Reprocess files already in the output."),
        wait: bool = typer.Option(False, "--wait", help="Wait for another run on the same output to finish."),
        batch_docs: int = typer.Option(500, "--batch-docs", min=1, help="Commit every N documents."),
        engine: Engine = typer.Option(Engine.local, "--engine", help="local (process pool) or dask."),
        scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                                help="Dask scheduler address (tcp://HOST:PORT); default: a local cluster."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
        max_bytes: Optional[str] = typer.Option(None, "--max-bytes",
                                                help="Refuse files larger than this (e.g. 64MB; default 64MB)."),
        timeout: Optional[float] = typer.Option(None, "--timeout", min=0.001,
                                                help="Seconds one file may take (default 120)."),
        max_memory: Optional[int] = typer.Option(None, "--max-memory", min=1,
                                                 help="MiB one file may use in a worker (default 1024)."),
        config_file: Optional[Path] = typer.Option(None, "--config",
                                                   help="Settings file (default: ./notices.toml if present)."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as one JSON object on stdout."),
        summary_json: Optional[Path] = typer.Option(None, "--summary-json",
                                                    help="Also write the summary as JSON to this file."),
        no_ocr: bool = typer.Option(False, "--no-ocr", help="Leave pictures of text (scans) unread.")):
    """Process notices into Parquet tables under OUT (the help and exit statuses: _RUN_HELP)."""
    from .config import ConfigError, load_limits
    from .quality import QUALITY_CODES
    from .runner import run as run_batch
    from .store import skip_pandas

    def ready() -> None:
        """What this process needs after the batch, loaded while its workers start (or before
        it first writes): it converts no pandas objects (~0.4 s CPU less) and, with the local
        engine, makes no numpy arrays (~0.1 s); and rich, to print the summary."""
        skip_pandas(without_numpy=engine is Engine.local)
        if not as_json:
            _console()
            import rich.table  # noqa: F401

    if engine is Engine.dask:
        skip_pandas()   # before Dask's import may bring pandas (a Dask client may hold numpy arrays)
    try:
        limits = load_limits(config_file, max_bytes=max_bytes, timeout_s=timeout, max_memory_mb=max_memory,
                             ocr=False if no_ocr else None)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)

    if engine is Engine.dask:
        _require_dask()
    # inputs that cannot be read are error rows of the run (and lines on stderr)
    missing = [str(p) for p in inputs if not os.path.lexists(p)]
    with _progress_bar(inputs, shown=not quiet and sys.stderr.isatty()) as tick:
        summary = run_batch(inputs, out, workers=workers, force=force, wait=wait,
                            batch_docs=batch_docs, engine=engine.value, scheduler=scheduler, limits=limits,
                            on_progress=tick, on_start=ready)
    figures = _summary_dict(summary, out, missing)
    if summary_json is not None:
        summary_json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
    else:
        table = _table(title=f"notices run → {out}", show_header=False)
        table.add_column("what")
        table.add_column("count", justify="right")
        for col in _COUNTS:
            table.add_row(col, str(getattr(summary, col)))
        for code in QUALITY_CODES:   # documents an analyst should look at (rows in the errors table)
            table.add_row(code, str(summary.quality.get(code, 0)))
        table.add_row("elapsed", f"{summary.elapsed:.1f} s")
        table.add_row("chars/s", f"{summary.chars_per_s:,.0f}")
        _console().print(table)
    if figures["exit_status"]:
        raise typer.Exit(figures["exit_status"])


@contextmanager
def _progress_bar(inputs: List[Path], shown: bool):
    """The run's progress bar on stderr, as a callback ``tick(path, result)`` (None when it
    is not shown: the inputs are then not listed twice, nor the bar's code loaded)."""
    if not shown:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .runner import expand_inputs

    progress = Progress(TextColumn("[bold]notices"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=_console(stderr=True))
    with progress:
        bar = progress.add_task("", total=len(expand_inputs(inputs)))

        def tick(path, res):
            progress.update(bar, advance=1, description=Path(path).name[:40])

        yield tick


_COUNTS = ("files", "skipped", "documents", "duplicates", "tasks", "units", "dates", "targets", "errors",
           "errors_earlier", "warnings")


def _summary_dict(summary, out: Path, missing: list[str]) -> dict:
    """The run's summary for scripts: the counts, documents per quality warning (no_title …),
    the inputs not found, time and speed."""
    from .quality import QUALITY_CODES

    return {"out": str(out), **{k: getattr(summary, k) for k in _COUNTS},
            "quality": {code: summary.quality.get(code, 0) for code in QUALITY_CODES}, "missing_inputs": missing,
            "elapsed_s": round(summary.elapsed, 3), "chars": summary.chars,
            "chars_per_s": round(summary.chars_per_s, 1),
            "exit_status": 1 if summary.exit_status or missing else 0}


def _require_dask() -> None:
    """One line and exit 2 when the Dask engine is asked for but Dask is not installed."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError as exc:
        typer.echo(f"error: --engine dask needs Dask ({exc}): pip install 'notices[dask]'", err=True)
        raise typer.Exit(2)


@app.command("eval")
@_boundary
def eval_cmd(gold: Path = typer.Option(Path("data/gold"), "--gold", help="Folder of gold JSON files."),
             pred: Path = typer.Option(Path("data/processed"), "--pred", help="Output folder of `notices run`."),
             json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
             per_notice: bool = typer.Option(False, "--per-notice", help="Also a table of every notice's figures."),
             misses: bool = typer.Option(False, "--misses",
                                         help="Also list every missed, extra and wrong item (tab-separated)."),
             field: Optional[str] = typer.Option(None, "--field",
                                                 help="Only the misses of this field (units, dates, meta.title …).")):
    """Score the output against gold annotations."""
    from .evaluate import PER_NOTICE_COLUMNS, evaluate, miss_lines, per_notice_rows, rows_for_table
    from .store import NoOutputError, Store

    if not gold.is_dir():
        raise FileNotFoundError(f"{gold}: no gold folder")
    store = Store(pred)
    if store.current is None:
        raise NoOutputError(pred)
    report = evaluate(gold, store)
    table = _table(title=f"notices eval: {pred} vs {gold}")
    for col, just in (("field", "left"), ("P", "right"), ("R", "right"), ("F1 / acc", "right"), ("n", "left")):
        table.add_column(col, justify=just)
    for row in rows_for_table(report):
        table.add_row(*row)
    _console().print(table)
    if per_notice:
        rows = per_notice_rows(report)
        # a notice by the part of its name before the first "_" when that is unique
        heads = [r[0].split("_", 1)[0] for r in rows]
        short = len(set(heads)) == len(heads)
        by_doc = _table(title="per notice (- where the notice has none of that kind)")
        by_doc.add_column("notice", justify="left", no_wrap=True)
        for col, _, _ in PER_NOTICE_COLUMNS:
            by_doc.add_column(col, justify="right", no_wrap=True, min_width=len(col))
        for head, row in zip(heads, rows):
            by_doc.add_row(head if short else row[0], *row[1:])
        _console().print(by_doc)
    if misses or field:
        for line in miss_lines(report, field):
            print(line)
    if report["documents_missing"]:
        _console(stderr=True).print(f"missing documents: {', '.join(report['documents_missing'])}")
    if json_out:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


@app.command()
@_boundary
def schema(output: Optional[Path] = typer.Option(None, "--output", help="Write to this file instead of stdout.")):
    """Print the output schema (Markdown), generated from the record models."""
    from .records import schema_markdown

    text = schema_markdown()
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


@app.command()
@_boundary
def query(sql: Optional[str] = typer.Argument(None, help="One read-only SQL statement (DuckDB dialect)."),
          pred: Path = typer.Option(Path("data/processed"), "--pred", "--data", help="Output folder of `notices run`."),
          fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                            help="table (default), csv, json (one object a line) or parquet."),
          output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the result to this file."),
          max_rows: int = typer.Option(100, "--max-rows", min=1, help="Rows shown by the table format."),
          show_schema: bool = typer.Option(False, "--schema", help="List the views and their columns.")):
    """Run read-only SQL over the output: views documents, tasks, units, dates, targets, errors, task_items."""
    from . import query as q

    if show_schema:
        table = _table(title=f"notices query: views of {pred}")
        for col in ("view", "column", "type"):
            table.add_column(col)
        for row in q.schema_rows(pred):
            table.add_row(*row)
        _console().print(table)
        return
    if not sql:
        raise ValueError("give a SQL statement, or --schema")
    kind = q.choose_format(fmt, output)
    if output is not None:
        q.check_output_path(output, pred)
    result = q.run_query(pred, sql)
    if kind == "table" and output is None:
        table = _table(title=f"{result.num_rows} row(s)")
        for name in result.column_names:
            table.add_column(name)
        for row in result.slice(0, max_rows).to_pylist():
            table.add_row(*(q.cell_text(row[c]) for c in result.column_names))
        _console().print(table)
        if result.num_rows > max_rows:
            _console(stderr=True).print(f"{result.num_rows - max_rows} more row(s) not shown; use --max-rows or --format csv")
        return
    if kind == "table":
        raise ValueError("the table format prints to the terminal; give --format csv|json|parquet with --output")
    data = q.render(result, kind)
    if output is not None:
        output.write_bytes(data)
    elif kind == "parquet" and sys.stdout.isatty():
        raise ValueError("parquet is binary: redirect stdout or give --output FILE")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@app.command()
@_boundary
def review(out: Path = typer.Option(Path("report"), "--out", "-o", help="Folder for the HTML pages."),
           pred: Path = typer.Option(Path("data/processed"), "--pred", "--data", help="Output folder of `notices run`."),
           lang: Lang = typer.Option(Lang.zh, "--lang", help="Language of the pages: zh (Chinese) or en (English).")):
    """Write a static review site: an index and one page per document (open OUT/index.html)."""
    from .review import build_site

    try:
        written = build_site(pred, out, lang.value)
    except OSError as exc:
        if exc.filename is None or not exc.strerror:
            raise
        where = "" if Path(exc.filename) == out else f" ({exc.filename})"
        typer.echo(f"error: cannot write the review site to {out}{where}: {exc.strerror.lower()}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{len(written) - 1} document page(s) and the index written to {out / 'index.html'}")


if __name__ == "__main__":  # pragma: no cover
    app()
