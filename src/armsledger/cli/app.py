"""The ``armsledger`` command line: parse arguments, call the core, render, map errors to exit codes.

Data goes to stdout; progress, per-item errors and messages go to stderr. A :class:`UsageError` exits
with 2, any other :class:`ArmsledgerError` with 1; tracebacks are shown only with ``--debug``.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text
from typer.core import TyperGroup

import armsledger
from armsledger.errors import ArmsledgerError, IngestError, StoreError, UsageError
from armsledger.extract import extract_document
from armsledger.ingest import expand_inputs, load_file, parse_date_option, parse_published_option
from armsledger.models import Category, Claim, Document, Status
from armsledger.report import (
    claims_csv,
    claims_json,
    claims_table,
    document_claims_table,
    flows_csv,
    flows_json,
    flows_table,
    render_html,
)
from armsledger.settings import get_settings
from armsledger.store import AddResult, AddState, ClaimFilter, Ledger, display_url, sqlite_path


@dataclass(slots=True)
class _State:
    debug: bool = False


_STATE = _State()


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


def _stdout() -> Console:
    console = Console(highlight=False)
    # Piped or redirected output has no terminal width; rich would squeeze tables into 80 columns.
    return console if console.is_terminal else Console(highlight=False, width=200)


def _print_error(console: Console, exc: BaseException) -> None:
    # soft_wrap: one error is one line, however narrow the terminal (scripts grep these lines).
    console.print(Text(f"error: {exc}", style="red"), soft_wrap=True)


class _ErrorMappingGroup(TyperGroup):
    """Runs a command and turns an :class:`ArmsledgerError` into one stderr line and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ArmsledgerError as exc:
            if _STATE.debug:
                traceback.print_exception(exc, file=sys.stderr)
            _print_error(_stderr(), exc)
            raise typer.Exit(2 if isinstance(exc, UsageError) else 1) from None


app = typer.Typer(
    cls=_ErrorMappingGroup,
    name="armsledger",
    help="A sourced, quantified ledger of weapons, ammunition and personnel transfers between states.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Ledger: file path or SQLAlchemy URL (default: $ARMSLEDGER_DATABASE_URL, else armsledger.db).",
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        "--published", metavar="YYYY-MM-DD", help="Publication date for every input (overrides theirs)."
    ),
]
PathsArgument = Annotated[
    list[str],
    typer.Argument(metavar="PATH...", help="Files, folders (searched recursively) or glob patterns."),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"armsledger {armsledger.__version__}")
        raise typer.Exit(0)


@app.callback()
def _main_options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """A sourced, quantified ledger of weapons, ammunition and personnel transfers between states."""
    _STATE.debug = debug


# -- option parsing ---------------------------------------------------------------------------


def _choice(value: str, options: Sequence[str], option: str) -> str:
    normalised = value.strip().lower().replace("-", "_")
    if normalised not in options:
        raise UsageError(f"{option} {value!r} is not valid", hint=f"use one of: {', '.join(options)}")
    return normalised


def _state_option(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{3}", value.strip()):
        raise UsageError(
            f"{option} {value!r} is not an ISO 3166-1 alpha-3 code",
            hint="use a three-letter code such as PRK, RUS, UKR or USA",
        )
    return value.strip().upper()


def _date_option(value: str | None, option: str) -> date | None:
    return None if value is None else parse_date_option(value, option)


# -- processing documents -----------------------------------------------------------------------

# Steps other command modules run after each document is stored by `ingest` or `demo` (cli/estimate.py
# stores the estimates of the conversions a document contains). A step reports its own per-item errors
# on the console it is given and raises only StoreError.
AFTER_STORE: list[Callable[[Ledger, AddResult, Console], None]] = []


@dataclass(slots=True)
class _Tally:
    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    claims_added: int = 0

    def line(self, ledger: Ledger) -> str:
        replaced = f", {self.replaced} re-extracted" if self.replaced else ""
        return (
            f"documents: {self.new} new, {self.unchanged} unchanged{replaced}, {self.failed} failed; "
            f"claims added: {self.claims_added} → {display_url(ledger.url)}"
        )


def _extract(doc: Document, err: Console) -> list[Claim] | None:
    """Claims of ``doc``; on failure reports it (one line) and returns None so the batch goes on."""
    try:
        return extract_document(doc)
    except ArmsledgerError as exc:
        if _STATE.debug:
            traceback.print_exception(exc, file=sys.stderr)
        _print_error(
            err, exc if exc.item else ArmsledgerError(exc.message, item=doc.source_path, hint=exc.hint)
        )
        return None
    except Exception as exc:
        # An extractor bug on one document must not cost the other documents of a batch.
        if _STATE.debug:
            raise
        _print_error(
            err,
            ArmsledgerError(
                f"extraction failed ({type(exc).__name__}: {exc})",
                item=doc.source_path or doc.public_id,
                hint="rerun with --debug for the traceback and report it",
            ),
        )
        return None


def _progress(err: Console) -> Progress:
    # Without a terminal (pipes, CI logs) the bar is disabled: each refresh would print a new frame.
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _ingest_into(
    ledger: Ledger, inputs: Sequence[str | Path], published: date | None, err: Console
) -> _Tally:
    """Load, extract and store every document named by ``inputs``; bad items are reported and counted."""
    tally = _Tally()
    expansion = expand_inputs(inputs)
    for exc in expansion.errors:
        _print_error(err, exc)
        tally.failed += 1
    with _progress(err) as progress:
        task = progress.add_task("Ingesting", total=len(expansion.files), current="")
        for path in expansion.files:
            progress.update(task, current=path.name)
            for outcome in load_file(path, published=published):
                if isinstance(outcome, IngestError):
                    _print_error(progress.console, outcome)
                    tally.failed += 1
                    continue
                claims = _extract(outcome, progress.console)
                if claims is None:
                    tally.failed += 1
                    continue
                try:
                    result = ledger.add_document(outcome, claims)
                except StoreError:
                    raise  # the database itself failed: stop the batch; what was committed stays
                except ArmsledgerError as exc:
                    _print_error(progress.console, exc)
                    tally.failed += 1
                    continue
                for step in AFTER_STORE:
                    step(ledger, result, progress.console)
                tally.claims_added += result.claims_added
                if result.state is AddState.INSERTED:
                    tally.new += 1
                elif result.state is AddState.REPLACED:
                    tally.replaced += 1
                else:
                    tally.unchanged += 1
            progress.advance(task)
    return tally


# -- commands -----------------------------------------------------------------------------------


@app.command()
def extract(
    paths: PathsArgument,
    published: PublishedOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json | jsonl")] = "table",
) -> None:
    """Extract claims from documents and print them (no ledger).

    jsonl prints one line per document: {"id": ..., "claims": [...]} (the evaluation format).
    """
    output = _choice(fmt, ("table", "json", "jsonl"), "--format")
    published_date = parse_published_option(published)
    err, out = _stderr(), _stdout()
    failed = 0
    collected: list[dict[str, Any]] = []
    expansion = expand_inputs(paths)
    for exc in expansion.errors:
        _print_error(err, exc)
        failed += 1
    for path in expansion.files:
        for outcome in load_file(path, published=published_date):
            if isinstance(outcome, IngestError):
                _print_error(err, outcome)
                failed += 1
                continue
            claims = _extract(outcome, err)
            if claims is None:
                failed += 1
                continue
            if output == "jsonl":
                line = {"id": outcome.public_id, "claims": [c.to_interchange() for c in claims]}
                typer.echo(json.dumps(line, ensure_ascii=False))
            elif output == "json":
                collected.append(
                    {
                        "id": outcome.public_id,
                        "title": outcome.title,
                        "published": outcome.published.isoformat() if outcome.published else None,
                        "claims": [c.to_interchange() for c in claims],
                    }
                )
            else:
                out.print(document_claims_table(outcome, claims))
    if output == "json":
        typer.echo(json.dumps(collected, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(1)


@app.command()
def ingest(paths: PathsArgument, published: PublishedOption = None, db: DbOption = None) -> None:
    """Load documents, extract their claims and store both in the ledger (idempotent)."""
    published_date = parse_published_option(published)
    err = _stderr()
    with Ledger.open(db) as ledger:
        tally = _ingest_into(ledger, paths, published_date, err)
        _stdout().print(Text(tally.line(ledger)), soft_wrap=True)
    if tally.failed:
        raise typer.Exit(1)


@app.command()
def claims(
    supplier: Annotated[str | None, typer.Option(help="Supplier state, ISO alpha-3 (e.g. PRK).")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient state, ISO alpha-3 (e.g. RUS).")] = None,
    category: Annotated[str | None, typer.Option(help=" | ".join(c.value for c in Category))] = None,
    status: Annotated[str | None, typer.Option(help=" | ".join(s.value for s in Status))] = None,
    since: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Movement (or report) on/after.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Movement (or report) on/before.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json | csv")] = "table",
    db: DbOption = None,
) -> None:
    """List the claims in the ledger, filtered."""
    output = _choice(fmt, ("table", "json", "csv"), "--format")
    filters = ClaimFilter(
        supplier=_state_option(supplier, "--supplier"),
        recipient=_state_option(recipient, "--recipient"),
        category=Category(_choice(category, [c.value for c in Category], "--category")) if category else None,
        status=Status(_choice(status, [s.value for s in Status], "--status")) if status else None,
        since=_date_option(since, "--since"),
        until=_date_option(until, "--until"),
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise UsageError(f"--since {since} is after --until {until}", hint="swap the two dates")
    with Ledger.open(db) as ledger:
        rows = ledger.list_claims(filters)
    if output == "json":
        typer.echo(claims_json(rows))
    elif output == "csv":
        typer.echo(claims_csv(rows), nl=False)
    else:
        _stdout().print(claims_table(rows))


@app.command()
def flows(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json | csv")] = "table",
    db: DbOption = None,
) -> None:
    """Totals per supplier → recipient, category and status."""
    output = _choice(fmt, ("table", "json", "csv"), "--format")
    with Ledger.open(db) as ledger:
        rows = ledger.flows()
    if output == "json":
        typer.echo(flows_json(rows))
    elif output == "csv":
        typer.echo(flows_csv(rows), nl=False)
    else:
        _stdout().print(flows_table(rows))


def _write_text(path: Path, text: str) -> None:
    # Write beside the target and rename, so a failure never leaves half a report behind.
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(
            f"cannot write {path} ({exc.strerror})", hint="choose a writable location for --out"
        ) from None


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.", dir_okay=False)],
    db: DbOption = None,
) -> None:
    """Write the ledger as one self-contained HTML report."""
    with Ledger.open(db) as ledger:
        html = render_html(ledger)
        counts = ledger.counts()
    _write_text(out, html)
    typer.echo(f"report: {counts.documents} documents, {counts.claims} claims → {out.resolve()}")


_SQLITE_HEADER = b"SQLite format 3\x00"


def _reset_demo_db(value: str, examples: Path) -> str:
    """Delete the demo ledger file so the demo starts fresh; refuse anything but a SQLite file that holds
    nothing but the bundled examples (the default ledger may hold an analyst's own work)."""
    url = value if "://" in value else f"sqlite:///{Path(value).expanduser().resolve()}"
    path = sqlite_path(url)
    if path is None:
        raise UsageError(
            f"--db {value!r} is not a SQLite file", hint="the demo needs a file path, e.g. demo.db"
        )
    if path.exists():
        with path.open("rb") as fh:
            header = fh.read(len(_SQLITE_HEADER))
        if header and header != _SQLITE_HEADER:
            raise UsageError(
                f"refusing to delete {path}: it is not a SQLite database",
                hint="give the demo a new file name with --db",
            )
        if header:
            with Ledger.open(url) as existing:
                own = [
                    d
                    for d in existing.list_documents()
                    if not d.source_path
                    or not Path(d.source_path).resolve().is_relative_to(examples.resolve())
                ]
            if own:
                raise UsageError(
                    f"refusing to reset {path}: it holds {len(own)} documents that are not the bundled examples",
                    hint="build the demo elsewhere with --db demo.db",
                )
        for extra in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
            extra.unlink(missing_ok=True)
    return url


def _demo_inputs(examples: Path) -> list[Path]:
    patterns = ("*.json", "*.jsonl", "html/*.html", "html/*.htm", "text/*.txt", "text/*.md")
    return [p for pattern in patterns for p in sorted(examples.glob(pattern))]


@app.command()
def demo(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Ledger file to rebuild (default: the default ledger, so `serve` shows it)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML report to write.", dir_okay=False)] = Path(
        "report.html"
    ),
) -> None:
    """Build a fresh ledger from the bundled examples, print it and write the HTML report."""
    examples = get_settings().examples_dir
    inputs = _demo_inputs(examples) if examples.is_dir() else []
    if not inputs:
        raise IngestError(
            "no example reports found",
            item=str(examples),
            hint="run from a checkout of armsledger or set ARMSLEDGER_EXAMPLES_DIR",
        )
    url = _reset_demo_db(db or get_settings().database_url, examples)
    err, console = _stderr(), _stdout()
    with Ledger.open(url) as ledger:
        tally = _ingest_into(ledger, inputs, None, err)
        rows, flow_rows, counts = ledger.list_claims(), ledger.flows(), ledger.counts()
        html = render_html(ledger, title="armsledger demo ledger")
    console.print(claims_table(rows))
    console.print(flows_table(flow_rows))
    _write_text(out, html)
    summary = (
        f"demo: {counts.documents} documents, {counts.claims} claims, {len(flow_rows)} flows, "
        f"{len(counts.states)} states; {tally.failed} failed → report {out.resolve()}"
    )
    console.print(Text(summary), soft_wrap=True)
    serve_hint = "armsledger serve" if db is None else f"armsledger serve --db {db}"
    console.print(Text(f"browse it: {serve_hint}"), soft_wrap=True)
    if tally.failed:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="armsledger")


if __name__ == "__main__":
    main()
