"""Conversions between domain records and table rows (plain dicts for executemany, Row objects back)."""

from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row

from armsledger.models import Category, Claim, Document, Period, Qualifier, Quantity, Span, Status
from armsledger.store.records import StoredClaim, StoredDocument, StoredEstimate
from armsledger.store.schema import ORIGIN_EXTRACTED, REVIEW_UNREVIEWED

# Any result row, whatever its column count (Row is variadic-generic in SQLAlchemy 2.1).
AnyRow = Row[*tuple[Any, ...]]


def partial_date_bounds(value: str | None) -> tuple[date | None, date | None]:
    """First and last calendar day an ISO partial date (YYYY, YYYY-MM, YYYY-MM-DD) can denote."""
    if not value:
        return None, None
    try:
        parts = [int(p) for p in value.split("-")]
        year = parts[0]
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = parts[1]
        if len(parts) == 2:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, parts[2])
    except (ValueError, calendar.IllegalMonthError):
        # The Period pattern admits "2024-13"; such a claim simply falls out of date filters.
        return None, None
    return day, day


def document_row(doc: Document, *, extractor_version: str, now: datetime) -> dict[str, Any]:
    """The documents-table row for ``doc``."""
    return {
        "id": doc.id,
        "external_id": doc.external_id,
        "title": doc.title,
        "published": doc.published,
        "url": doc.url,
        "outlet": doc.outlet,
        "source_path": doc.source_path,
        "raw_sha256": doc.raw_sha256,
        "based_on": list(doc.based_on) or None,
        "text": doc.text,
        "extractor_version": extractor_version,
        "ingested_at": now,
    }


def claim_row(claim: Claim, *, claim_id: str, seq: int, now: datetime) -> dict[str, Any]:
    """The claims-table row for ``claim`` (its ``document_id`` must be set)."""
    q = claim.quantity
    start = claim.time.start if claim.time else None
    earliest, latest = partial_date_bounds(start)
    return {
        "claim_id": claim_id,
        "document_id": claim.document_id,
        "seq": seq,
        "supplier": claim.supplier,
        "recipient": claim.recipient,
        "category": claim.category.value,
        "item": claim.item,
        "quantity_value": q.value,
        "quantity_low": q.low,
        "quantity_high": q.high,
        "quantity_qualifier": q.qualifier.value if q.qualifier else None,
        "quantity_unit": q.unit,
        "status": claim.status.value,
        "estimated": claim.estimated,
        "time_start": start,
        "time_end": claim.time.end if claim.time else None,
        "time_start_earliest": earliest,
        "time_start_latest": latest,
        "location": claim.location,
        "attribution": claim.attribution,
        "evidence": claim.evidence,
        "span_start": claim.span.start if claim.span else None,
        "span_end": claim.span.end if claim.span else None,
        "extractor_version": claim.extractor_version,
        "origin": ORIGIN_EXTRACTED,
        "review_state": REVIEW_UNREVIEWED,
        "created_at": now,
    }


def _number(value: float | None) -> int | float | None:
    # Counts come back from the Double column as floats; the interchange form writes them as integers.
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def claim_from_row(row: AnyRow) -> Claim:
    """Rebuild the :class:`Claim` of a claims-table row."""
    m = row._mapping
    time = None
    if m["time_start"] is not None or m["time_end"] is not None:
        time = Period(start=m["time_start"], end=m["time_end"])
    span = None
    if m["span_start"] is not None and m["span_end"] is not None:
        span = Span(int(m["span_start"]), int(m["span_end"]))
    return Claim(
        supplier=m["supplier"],
        recipient=m["recipient"],
        category=Category(m["category"]),
        item=m["item"],
        quantity=Quantity(
            value=_number(m["quantity_value"]),
            low=_number(m["quantity_low"]),
            high=_number(m["quantity_high"]),
            qualifier=Qualifier(m["quantity_qualifier"]) if m["quantity_qualifier"] else None,
            unit=m["quantity_unit"],
        ),
        status=Status(m["status"]),
        estimated=bool(m["estimated"]),
        time=time,
        location=m["location"],
        attribution=m["attribution"],
        evidence=m["evidence"],
        span=span,
        document_id=m["document_id"],
        extractor_version=m["extractor_version"],
    )


def stored_claim_from_row(row: AnyRow) -> StoredClaim:
    """A :class:`StoredClaim` from a claims row joined with its document's id, title and date."""
    m = row._mapping
    return StoredClaim(
        claim=claim_from_row(row),
        claim_id=m["claim_id"],
        document_id=m["document_id"],
        document_public_id=m["external_id"] or m["document_id"],
        document_title=m["title"],
        document_published=m["published"],
        origin=m["origin"],
        review_state=m["review_state"],
        created_at=m["created_at"],
    )


def stored_document_from_row(row: AnyRow) -> StoredDocument:
    """A :class:`StoredDocument` from a documents row with a ``claim_count`` column."""
    m = row._mapping
    return StoredDocument(
        id=m["id"],
        external_id=m["external_id"],
        title=m["title"],
        published=m["published"],
        url=m["url"],
        outlet=m["outlet"],
        source_path=m["source_path"],
        raw_sha256=m["raw_sha256"],
        extractor_version=m["extractor_version"],
        ingested_at=m["ingested_at"],
        claims=int(m["claim_count"] or 0),
    )


def document_from_row(row: AnyRow) -> Document:
    """The full :class:`Document` (with text) of a documents row."""
    m = row._mapping
    return Document(
        id=m["id"],
        text=m["text"],
        title=m["title"],
        published=m["published"],
        url=m["url"],
        outlet=m["outlet"],
        external_id=m["external_id"],
        source_path=m["source_path"],
        raw_sha256=m["raw_sha256"],
        based_on=tuple(m["based_on"] or ()),
    )


def stored_estimate_from_row(row: AnyRow) -> StoredEstimate:
    """A :class:`StoredEstimate` from an estimates row joined with its document's id, title and date."""
    m = row._mapping
    return StoredEstimate(
        id=int(m["id"]),
        document_id=m["document_id"],
        document_public_id=m["external_id"] or m["document_id"],
        document_title=m["title"],
        document_published=m["published"],
        carrier_claim_id=m["carrier_claim_id"],
        ammunition_claim_id=m["ammunition_claim_id"],
        inputs=dict(m["inputs"]),
        result=dict(m["result"]),
        created_at=m["created_at"],
    )
