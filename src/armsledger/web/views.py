"""What pages and the API show: templates, evidence highlighting, pagination, JSON records."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

import armsledger
from armsledger.accounts import User
from armsledger.flows import AsOfAnswer, Forecast
from armsledger.report.formatting import format_number, format_period, format_quantity, state_name
from armsledger.store import StoredClaim, StoredDocument, StoredEstimate
from armsledger.store.audit import AuditEntry
from armsledger.web.auth import current_user, page_nonce, set_nonce, signer_of

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_LIMIT = 500
DEFAULT_LIMIT = 50


def environment() -> Environment:
    """Web templates first, then the report's partials (shared panels such as sanctions and estimates)."""
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("armsledger", "web/templates"), PackageLoader("armsledger", "report/templates")]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = format_number
    env.filters["quantity"] = format_quantity
    env.filters["period"] = format_period
    env.filters["state"] = state_name
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the signed-in user, this browser's CSRF token and the nav."""
    nonce, new = page_nonce(request)
    try:
        user: User | None = current_user(request)
    except Exception:
        user = None
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(
        request_path=request.url.path,
        user=user,
        csrf=signer_of(request).csrf_token(nonce),
        version=armsledger.__version__,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if new:
        set_nonce(response, nonce)
    return response


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of document text; ``claims`` are the ids of the claims whose evidence covers it."""

    text: str
    claims: tuple[str, ...]


def highlight(text: str, claims: list[StoredClaim]) -> list[Segment]:
    """Split ``text`` at every evidence span boundary; overlapping spans share a segment."""
    spans = [
        (max(c.claim.span.start, 0), min(c.claim.span.end, len(text)), c.claim_id)
        for c in claims
        if c.claim.span is not None and c.claim.span.end > c.claim.span.start
    ]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    segments = []
    for a, b in itertools.pairwise(cuts):
        if b <= a:
            continue
        ids = tuple(cid for s, e, cid in spans if s <= a and b <= e)
        segments.append(Segment(text[a:b], ids))
    return segments


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page of results sits in the whole list, with links to its neighbours."""

    total: int
    limit: int
    offset: int
    prev_url: str | None
    next_url: str | None


def pager(request: Request, total: int, limit: int, offset: int) -> Pager:
    params = dict(request.query_params)

    def url(at: int) -> str:
        return f"{request.url.path}?{urlencode({**params, 'offset': at, 'limit': limit})}"

    return Pager(
        total=total,
        limit=limit,
        offset=offset,
        prev_url=url(max(offset - limit, 0)) if offset > 0 else None,
        next_url=url(offset + limit) if offset + limit < total else None,
    )


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """The API's paginated envelope."""
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def document_record(d: StoredDocument) -> dict[str, Any]:
    return {
        "id": d.id,
        "public_id": d.public_id,
        "title": d.title,
        "published": iso(d.published),
        "url": d.url,
        "outlet": d.outlet,
        "claims": d.claims,
        "extractor_version": d.extractor_version,
        "ingested_at": d.ingested_at.isoformat(),
    }


def estimate_record(e: StoredEstimate) -> dict[str, Any]:
    return {
        "id": e.id,
        "document_id": e.document_id,
        "document_public_id": e.document_public_id,
        "published": iso(e.document_published),
        "carrier_claim_id": e.carrier_claim_id,
        "ammunition_claim_id": e.ammunition_claim_id,
        "inputs": e.inputs,
        "result": e.result,
    }


def audit_record(a: AuditEntry) -> dict[str, Any]:
    return {
        "id": a.id,
        "at": a.at,
        "user": a.user,
        "action": a.action,
        "target": a.target,
        "before": a.before,
        "after": a.after,
        "prev_hash": a.prev_hash,
        "hash": a.hash,
    }


def forecast_record(f: Forecast) -> dict[str, Any]:
    a = f.assertion.assertion
    return {
        "assertion_id": a.id,
        "supplier": a.flow.supplier,
        "recipient": a.flow.recipient,
        "item_class": a.flow.item_class,
        "status": a.status.value,
        "quantity": a.quantity.to_interchange(),
        "attribution": a.attribution,
        "made": a.first_published.isoformat(),
        "window": [f.window_start.isoformat(), f.window_end.isoformat()],
        "resolution": f.status.value,
        "delivered": f.delivered,
        "share": f.share,
        "why": f.why,
        "grade": f.assertion.grade.code,
    }


def timeline_record(
    a: AsOfAnswer, series: list[tuple[date, float | None, float | None, float | None]]
) -> dict[str, Any]:
    return {
        "supplier": a.flow.supplier,
        "recipient": a.flow.recipient,
        "item_class": a.flow.item_class,
        "label": a.label,
        "as_of": a.as_of.isoformat(),
        "best": {"low": a.best.low, "value": a.best.value, "high": a.best.high},
        "basis": a.basis.value if a.basis else None,
        "lower_bound": a.lower_bound,
        "reasons": list(a.reasons),
        "assertions": [
            {
                "id": g.assertion.id,
                "attribution": g.assertion.attribution,
                "status": g.assertion.status.value,
                "quantity": g.assertion.quantity.to_interchange(),
                "grade": g.grade.code,
                "first_published": g.assertion.first_published.isoformat(),
                "claims": [r.claim_id for r in g.assertion.reports],
            }
            for g in a.assertions
        ],
        "conflicts": [
            {
                "reason": c.reason.value,
                "first": c.first.id,
                "second": c.second.id,
                "explanation": c.explanation,
            }
            for c in a.conflicts
        ],
        "series": [{"date": d.isoformat(), "low": lo, "value": v, "high": hi} for d, lo, v, hi in series],
    }
