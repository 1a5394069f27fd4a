"""Rich tables for the terminal: claims (from the ledger or straight from extraction) and flows."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from armsledger.models import Claim, Document, Status
from armsledger.report.formatting import (
    NO_FIGURE,
    format_period,
    format_quantity,
    format_totals,
    format_unquantified,
    state_code,
)
from armsledger.store.records import Flow, StoredClaim

STATUS_STYLES: dict[Status, str] = {
    Status.OCCURRED: "green",
    Status.EXPECTED: "yellow",
    Status.PLEDGED: "cyan",
    Status.DENIED: "red",
}


def _status(status: Status) -> Text:
    return Text(status.value, style=STATUS_STYLES[status])


def _claim_cells(claim: Claim) -> list[str | Text]:
    return [
        state_code(claim.supplier),
        state_code(claim.recipient),
        claim.category.value,
        claim.item,
        Text(format_quantity(claim.quantity), justify="right"),
        _status(claim.status),
        "yes" if claim.estimated else "",
        format_period(claim.time),
        claim.location or NO_FIGURE,
        claim.attribution or NO_FIGURE,
    ]


def _claim_columns(table: Table) -> None:
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    table.add_column("Category", no_wrap=True)
    table.add_column("Item")
    table.add_column("Quantity", justify="right")
    table.add_column("Status", no_wrap=True)
    table.add_column("Est.", no_wrap=True)
    table.add_column("When", no_wrap=True)
    table.add_column("Where")
    table.add_column("According to")


def claims_table(rows: Sequence[StoredClaim], *, title: str = "Claims") -> Table:
    """Ledger claims, one row each, with their id and source document."""
    table = Table(title=f"{title} ({len(rows)})", header_style="bold", expand=False)
    table.add_column("Claim", no_wrap=True, style="dim")
    _claim_columns(table)
    table.add_column("Document")
    for r in rows:
        published = r.document_published.isoformat() if r.document_published else "undated"
        table.add_row(r.claim_id, *_claim_cells(r.claim), f"{r.document_public_id[:24]} ({published})")
    return table


def document_claims_table(doc: Document, claims: Sequence[Claim]) -> Table:
    """Claims extracted from one document (``armsledger extract --format table``)."""
    heading = doc.title or doc.public_id
    published = doc.published.isoformat() if doc.published else "undated"
    table = Table(
        title=f"{heading} — {published} — {len(claims)} claim{'s' if len(claims) != 1 else ''}",
        caption=doc.public_id,
        header_style="bold",
    )
    _claim_columns(table)
    for claim in claims:
        table.add_row(*_claim_cells(claim))
    return table


def flows_table(flows: Sequence[Flow], *, title: str = "Flows") -> Table:
    """One row per supplier → recipient, category and status with claim counts and raw totals."""
    table = Table(title=f"{title} ({len(flows)})", header_style="bold")
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    table.add_column("Category", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Claims", justify="right")
    table.add_column("Total (sum of claims)", justify="right")
    table.add_column("No number", justify="right")
    for f in flows:
        table.add_row(
            state_code(f.supplier),
            state_code(f.recipient),
            f.category.value,
            _status(f.status),
            str(f.claims),
            format_totals(f.totals),
            format_unquantified(f),
        )
    return table
