"""``armsledger import-claims``, ``timeline``, ``conflicts`` and ``forecasts``: flows over time.

Registers the commands on the Typer :data:`~armsledger.cli.app.app` when imported (``cli/__init__.py``
imports it). The existing ``armsledger flows`` (raw totals) lives in ``cli/app.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from armsledger.cli.app import (
    DbOption,
    _choice,
    _date_option,
    _print_error,
    _state_option,
    _stderr,
    _stdout,
    app,
)
from armsledger.errors import UsageError
from armsledger.flows import ledger_flows, timeline
from armsledger.ingest.curated import read_curated
from armsledger.models import Document
from armsledger.report.timeline import (
    answer_record,
    answer_renderable,
    conflicts_document,
    conflicts_table,
    forecasts_document,
    forecasts_renderable,
)
from armsledger.store import Ledger, display_url
from armsledger.store.sourced import NewCuratedClaim

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table | json")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Use reports published on or before this date (default: today)."
    ),
]


def _as_of(value: str | None) -> date:
    return _date_option(value, "--as-of") or datetime.now(UTC).date()


def _json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("import-claims")
def import_claims(
    file: Annotated[Path, typer.Argument(metavar="FILE.jsonl|FILE.csv", help="Analyst-curated claims.")],
    db: DbOption = None,
) -> None:
    """Load analyst-curated claims (SCHEMA.md claim + published, outlet, source_url per row).

    Bad rows are reported with their line and field; good rows still load. Importing the same file
    again changes nothing. Exits 1 when any row was bad.
    """
    curated = read_curated(file)
    err = _stderr()
    for exc in curated.errors:
        _print_error(err, exc)
    new = []
    for row in curated.rows:
        doc = Document(
            id=row.document_id,
            text=row.document_text,
            title=row.title or f"{row.outlet}, {row.published.isoformat()}",
            published=row.published,
            url=row.source_url,
            outlet=row.outlet,
            external_id=f"curated-{row.document_id[:12]}",
            source_path=str(file),
        )
        new.append(
            NewCuratedClaim(
                claim=row.claim,
                claim_id=row.claim_id,
                document=doc,
                source_file=str(file),
                line=row.line,
                row_sha256=row.row_sha256,
            )
        )
    with Ledger.open(db) as ledger:
        result = ledger.import_curated(new, source=str(file))
        line = (
            f"curated claims: {result.claims_added} added, {result.claims_unchanged} already stored, "
            f"{len(curated.errors)} bad rows; reports added: {result.documents_added} → {display_url(ledger.url)}"
        )
    _stdout().print(Text(line), soft_wrap=True)
    if curated.errors:
        raise typer.Exit(1)


@app.command("timeline")
def timeline_command(
    supplier: Annotated[str, typer.Argument(help="Supplier state, ISO alpha-3 (e.g. PRK).")],
    recipient: Annotated[str, typer.Argument(help="Recipient state, ISO alpha-3 (e.g. RUS).")],
    item_class: Annotated[
        str, typer.Argument(metavar="CLASS", help="Item class or synonym: containers, shells, troops …")
    ],
    as_of: AsOfOption = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
) -> None:
    """The best figure of a flow on a date, its band, the assertions behind it and their conflicts."""
    output = _choice(fmt, ("table", "json"), "--format")
    when = _as_of(as_of)
    s = _state_option(supplier, "SUPPLIER")
    r = _state_option(recipient, "RECIPIENT")
    if s is None or r is None:  # pragma: no cover - Typer requires both arguments
        raise UsageError("SUPPLIER and RECIPIENT are required")
    with Ledger.open(db) as ledger:
        ans = timeline(ledger, s, r, item_class, when)
    if output == "json":
        _json(answer_record(ans))
    else:
        _stdout().print(answer_renderable(ans))


@app.command("conflicts")
def conflicts_command(as_of: AsOfOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Pairs of assertions that cannot both hold, with the reason and both evidence sentences."""
    output = _choice(fmt, ("table", "json"), "--format")
    when = _as_of(as_of)
    with Ledger.open(db) as ledger:
        flows = ledger_flows(ledger, when)
    if output == "json":
        _json(conflicts_document(flows))
    else:
        _stdout().print(conflicts_table(flows.conflicts))


@app.command("forecasts")
def forecasts_command(as_of: AsOfOption = None, fmt: FormatOption = "table", db: DbOption = None) -> None:
    """Expected and pledged transfers with their window and status, and each attributor's track record."""
    output = _choice(fmt, ("table", "json"), "--format")
    when = _as_of(as_of)
    with Ledger.open(db) as ledger:
        flows = ledger_flows(ledger, when)
    if output == "json":
        _json(forecasts_document(flows))
    else:
        _stdout().print(forecasts_renderable(flows))
