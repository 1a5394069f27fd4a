"""SQL for flows over time: analyst-curated claims in, claims with their report's date and source out.

:class:`~armsledger.store.ledger.Ledger` exposes these as ``import_curated`` and ``sourced_claims``;
each function here runs inside the connection the ledger gives it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Select, String, cast, func, insert, select

from armsledger.models import Category, Claim, Document
from armsledger.store.rows import claim_from_row, claim_row, document_row
from armsledger.store.schema import ORIGIN_CURATED, claims, curated_rows, documents

CURATED_EXTRACTOR = "curated"
# SQLite caps bound parameters per statement (32,766 since 3.32); 500 ids per IN list stays far below.
_ID_CHUNK = 500


@dataclass(frozen=True, slots=True)
class NewCuratedClaim:
    """A curated claim to store: its id, the report record it cites, and the file line it came from."""

    claim: Claim
    claim_id: str
    document: Document
    source_file: str
    line: int
    row_sha256: str


@dataclass(frozen=True, slots=True)
class CuratedImport:
    """What an import stored: new claims and reports, and rows already in the ledger."""

    claims_added: int
    claims_unchanged: int
    documents_added: int


@dataclass(frozen=True, slots=True)
class SourcedClaim:
    """A claim with what flows need of its report: date, outlet, URL, origin (extracted or curated)."""

    claim: Claim
    claim_id: str
    document_id: str
    document_public_id: str
    published: date
    outlet: str | None
    url: str | None
    origin: str
    # For a statement (select_statements): how many claims state exactly this, in how many outlets,
    # and the latest of their report dates. A single claim is its own statement.
    restated: int = 1
    outlets: int = 1
    last_published: date | None = None


def _existing(conn: Connection, column: Any, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), _ID_CHUNK):
        chunk = ids[i : i + _ID_CHUNK]
        found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def import_curated(conn: Connection, new: Sequence[NewCuratedClaim]) -> CuratedImport:
    """Insert the curated claims (and their report records) not yet stored; stored ones are left as is."""
    now = datetime.now(UTC)
    unique: dict[str, NewCuratedClaim] = {}
    for item in new:
        unique.setdefault(item.claim_id, item)
    have_claims = _existing(conn, claims.c.claim_id, list(unique))
    docs = {item.document.id: item.document for item in unique.values()}
    have_docs = _existing(conn, documents.c.id, list(docs))
    doc_rows = [
        document_row(doc, extractor_version=CURATED_EXTRACTOR, now=now)
        for doc_id, doc in docs.items()
        if doc_id not in have_docs
    ]
    if doc_rows:
        conn.execute(insert(documents), doc_rows)
    claim_rows: list[dict[str, Any]] = []
    provenance: list[dict[str, Any]] = []
    for claim_id, item in unique.items():
        if claim_id in have_claims:
            continue
        row = claim_row(
            item.claim.with_changes(document_id=item.document.id), claim_id=claim_id, seq=item.line, now=now
        )
        row["origin"] = ORIGIN_CURATED
        row["extractor_version"] = CURATED_EXTRACTOR
        claim_rows.append(row)
        provenance.append(
            {
                "claim_id": claim_id,
                "source_file": item.source_file,
                "line": item.line,
                "row_sha256": item.row_sha256,
                "imported_at": now,
            }
        )
    if claim_rows:
        conn.execute(insert(claims), claim_rows)
        conn.execute(insert(curated_rows), provenance)
    return CuratedImport(
        claims_added=len(claim_rows),
        claims_unchanged=len(unique) - len(claim_rows),
        documents_added=len(doc_rows),
    )


def _flow_filter(
    stmt: Select[Any],
    supplier: str | None,
    recipient: str | None,
    categories: Collection[Category],
    until: date | None,
) -> Select[Any]:
    """Restrict a claims-join-documents query to one flow, some categories and reports up to a date."""
    if supplier is not None:
        stmt = stmt.where(claims.c.supplier == supplier)
    if recipient is not None:
        stmt = stmt.where(claims.c.recipient == recipient)
    if categories:
        stmt = stmt.where(claims.c.category.in_(sorted(c.value for c in categories)))
    if until is not None:
        stmt = stmt.where(documents.c.published <= until)
    return stmt


def select_sourced(
    conn: Connection,
    *,
    supplier: str | None = None,
    recipient: str | None = None,
    categories: Collection[Category] = (),
    until: date | None = None,
    claim_ids: Sequence[str] | None = None,
) -> list[SourcedClaim]:
    """Claims of dated reports, optionally of one flow and up to a report date, oldest report first.

    ``claim_ids`` keeps only those claims.

    Reports without a date cannot be placed on a timeline and are left out.
    """
    stmt = (
        select(
            claims,
            documents.c.external_id,
            documents.c.published,
            documents.c.outlet,
            documents.c.url,
        )
        .join(documents, claims.c.document_id == documents.c.id)
        .where(documents.c.published.is_not(None))
    )
    stmt = _flow_filter(stmt, supplier, recipient, categories, until)
    stmt = stmt.order_by(documents.c.published, claims.c.claim_id)
    if claim_ids is None:
        rows: list[Any] = list(conn.execute(stmt))
    else:
        rows = []
        for i in range(0, len(claim_ids), _ID_CHUNK):
            rows.extend(conn.execute(stmt.where(claims.c.claim_id.in_(claim_ids[i : i + _ID_CHUNK]))))
        rows.sort(key=lambda r: (r._mapping["published"], r._mapping["claim_id"]))
    out: list[SourcedClaim] = []
    for row in rows:
        m = row._mapping
        out.append(
            SourcedClaim(
                claim=claim_from_row(row),
                claim_id=m["claim_id"],
                document_id=m["document_id"],
                document_public_id=m["external_id"] or m["document_id"],
                published=m["published"],
                outlet=m["outlet"],
                url=m["url"],
                origin=m["origin"],
            )
        )
    return out


# The fields that make two claims the same statement, word for word: syndicated copies of one report
# differ only in outlet, URL, date and evidence sentence.
_STATEMENT_KEY = (
    claims.c.supplier,
    claims.c.recipient,
    claims.c.category,
    claims.c.item,
    claims.c.quantity_value,
    claims.c.quantity_low,
    claims.c.quantity_high,
    claims.c.quantity_qualifier,
    claims.c.quantity_unit,
    claims.c.status,
    claims.c.estimated,
    claims.c.time_start,
    claims.c.time_end,
    claims.c.attribution,
)


def select_statements(
    conn: Connection,
    *,
    supplier: str | None = None,
    recipient: str | None = None,
    categories: Collection[Category] = (),
    until: date | None = None,
) -> list[SourcedClaim]:
    """Like :func:`select_sourced`, but identical claims of several reports come back once.

    Each row is the statement's earliest claim (its report, evidence and outlet) with ``restated``,
    ``outlets`` and ``last_published`` counting all of them. The database does the grouping, so a
    flow restated by thousands of outlets costs one row per distinct statement.
    """
    grouped = (
        select(
            *_STATEMENT_KEY,
            func.count().label("restated"),
            func.count(func.distinct(documents.c.outlet)).label("outlets"),
            func.min(documents.c.published).label("first"),
            # The statement's first report: earliest date, then lowest claim id ("YYYY-MM-DD" + id).
            func.min(cast(documents.c.published, String) + claims.c.claim_id).label("first_claim"),
            func.max(documents.c.published).label("last"),
        )
        .join(documents, claims.c.document_id == documents.c.id)
        .where(documents.c.published.is_not(None))
    )
    grouped = _flow_filter(grouped, supplier, recipient, categories, until)
    stats = conn.execute(grouped.group_by(*_STATEMENT_KEY)).all()
    if not stats:
        return []
    by_claim = {str(row.first_claim)[10:]: row for row in stats}
    out: list[SourcedClaim] = []
    for sourced in select_sourced(conn, claim_ids=sorted(by_claim)):
        row = by_claim[sourced.claim_id]
        out.append(
            SourcedClaim(
                claim=sourced.claim,
                claim_id=sourced.claim_id,
                document_id=sourced.document_id,
                document_public_id=sourced.document_public_id,
                published=row.first,
                outlet=sourced.outlet,
                url=sourced.url,
                origin=sourced.origin,
                restated=int(row.restated),
                outlets=int(row.outlets),
                last_published=row.last,
            )
        )
    return out
