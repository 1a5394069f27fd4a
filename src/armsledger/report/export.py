"""Machine-readable output: claims and flows as JSON and CSV.

Claim records are the SCHEMA.md claim plus ``claim_id``, ``document_id`` and ``span``; CSV flattens them
to one row per claim.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from armsledger.store.records import Flow, StoredClaim

CLAIM_CSV_COLUMNS = (
    "claim_id",
    "document_id",
    "document_public_id",
    "document_published",
    "supplier",
    "recipient",
    "category",
    "item",
    "quantity_value",
    "quantity_low",
    "quantity_high",
    "quantity_qualifier",
    "quantity_unit",
    "status",
    "estimated",
    "time_start",
    "time_end",
    "location",
    "attribution",
    "evidence",
    "span_start",
    "span_end",
    "extractor_version",
    "origin",
    "review_state",
)

FLOW_CSV_COLUMNS = (
    "supplier",
    "recipient",
    "category",
    "status",
    "claims",
    "unit",
    "total",
    "quantified_claims",
    "unquantified_claims",
)


def claim_record(stored: StoredClaim) -> dict[str, Any]:
    """JSON-ready claim: ids first, then the interchange fields, then the span and provenance."""
    claim = stored.claim
    return {
        "claim_id": stored.claim_id,
        "document_id": stored.document_id,
        "document_public_id": stored.document_public_id,
        **claim.to_interchange(),
        "span": [claim.span.start, claim.span.end] if claim.span else None,
        "extractor_version": claim.extractor_version,
        "origin": stored.origin,
        "review_state": stored.review_state,
    }


def claims_json(rows: Sequence[StoredClaim]) -> str:
    """A JSON array of :func:`claim_record` objects."""
    return json.dumps([claim_record(r) for r in rows], ensure_ascii=False, indent=2)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def claims_csv(rows: Sequence[StoredClaim]) -> str:
    """CSV text with a header and one flat row per claim (columns: :data:`CLAIM_CSV_COLUMNS`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CLAIM_CSV_COLUMNS)
    for r in rows:
        c = r.claim
        q = c.quantity
        values = {
            "claim_id": r.claim_id,
            "document_id": r.document_id,
            "document_public_id": r.document_public_id,
            "document_published": r.document_published.isoformat() if r.document_published else None,
            "supplier": c.supplier,
            "recipient": c.recipient,
            "category": c.category.value,
            "item": c.item,
            "quantity_value": q.value,
            "quantity_low": q.low,
            "quantity_high": q.high,
            "quantity_qualifier": q.qualifier.value if q.qualifier else None,
            "quantity_unit": q.unit,
            "status": c.status.value,
            "estimated": c.estimated,
            "time_start": c.time.start if c.time else None,
            "time_end": c.time.end if c.time else None,
            "location": c.location,
            "attribution": c.attribution,
            "evidence": c.evidence,
            "span_start": c.span.start if c.span else None,
            "span_end": c.span.end if c.span else None,
            "extractor_version": c.extractor_version,
            "origin": r.origin,
            "review_state": r.review_state,
        }
        writer.writerow([_cell(values[k]) for k in CLAIM_CSV_COLUMNS])
    return out.getvalue()


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def flow_record(flow: Flow) -> dict[str, Any]:
    """JSON-ready flow with per-unit totals and the ids of claims that give no number."""
    return {
        "supplier": flow.supplier,
        "recipient": flow.recipient,
        "category": flow.category.value,
        "status": flow.status.value,
        "claims": flow.claims,
        "totals": [{"unit": t.unit, "total": _number(t.total), "claims": t.claims} for t in flow.totals],
        "unquantified_claim_ids": list(flow.unquantified),
    }


def flows_json(flows: Sequence[Flow]) -> str:
    """A JSON array of :func:`flow_record` objects."""
    return json.dumps([flow_record(f) for f in flows], ensure_ascii=False, indent=2)


def flows_csv(flows: Sequence[Flow]) -> str:
    """CSV, one row per flow and unit; a flow with no number at all gets one row with empty unit and total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLOW_CSV_COLUMNS)
    for f in flows:
        base = [_cell(f.supplier), _cell(f.recipient), f.category.value, f.status.value, f.claims]
        if not f.totals:
            writer.writerow([*base, "", "", 0, len(f.unquantified)])
        for t in f.totals:
            writer.writerow([*base, _cell(t.unit), _number(t.total), t.claims, len(f.unquantified)])
    return out.getvalue()
