"""The JSON API under ``/api/v1``: paginated lists, one error shape, review with an audit trail.

Every list answers ``{"items": [...], "total", "limit", "offset"}``; every error
``{"error": {"code", "message", "detail"}}``. Reads need any account (none while the ledger has no
account); ``POST /claims/{id}/review`` needs an analyst or admin token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from armsledger.accounts import User
from armsledger.errors import ArmsledgerError
from armsledger.flows import ledger_flows, timeline
from armsledger.models import Category, Status
from armsledger.report import claim_record, finding_record, flow_record
from armsledger.report.flowcharts import band_series
from armsledger.sanctions import evaluate, load_rules
from armsledger.settings import get_settings
from armsledger.store import ClaimFilter
from armsledger.store.review import ReviewAction, ReviewRequest
from armsledger.web.auth import ledger_of, require_reader, require_reviewer
from armsledger.web.errors import WebError
from armsledger.web.views import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    audit_record,
    document_record,
    estimate_record,
    forecast_record,
    page,
    timeline_record,
)

router = APIRouter(prefix="/api/v1", tags=["api"])
Reader = Annotated[User | None, Depends(require_reader)]
Reviewer = Annotated[User, Depends(require_reviewer)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]


class ReviewBody(BaseModel):
    """A review: ``accept``, ``reject``, ``edit`` (with ``changes`` or the changed fields at top level) or
    ``merge`` (with ``into``: the claim this one restates)."""

    model_config = ConfigDict(extra="allow")

    action: Literal["accept", "reject", "edit", "merge"]
    changes: dict[str, Any] | None = None
    into: str | None = Field(default=None, description="claim id a merged claim is folded into")
    note: str | None = None

    def request(self) -> ReviewRequest:
        changes = dict(self.changes or {})
        changes.update(self.model_extra or {})
        return ReviewRequest(ReviewAction(self.action), changes or None, self.into, self.note)


def _state(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value.strip()) != 3 or not value.strip().isalpha():
        raise WebError(422, "invalid", f"{value!r} is not an ISO 3166-1 alpha-3 code", {"value": value})
    return value.strip().upper()


def claim_filter(
    supplier: str | None = None,
    recipient: str | None = None,
    category: Category | None = None,
    status: Status | None = None,
    since: date | None = None,
    until: date | None = None,
) -> ClaimFilter:
    """Claim filters from query parameters (also used by the HTML pages)."""
    return ClaimFilter(_state(supplier), _state(recipient), category, status, since, until)


@router.get("/me")
def me(user: Reader) -> dict[str, Any]:
    """The account the request is made as (null while the ledger has no account)."""
    return {"user": None if user is None else {"name": user.name, "role": user.role.value}}


@router.get("/documents")
def list_documents(
    request: Request, _: Reader, q: str | None = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    """Documents, newest first; ``q`` matches the title, outlet or id."""
    docs = list(reversed(ledger_of(request).list_documents()))
    if q:
        needle = q.lower()
        docs = [d for d in docs if any(needle in (v or "").lower() for v in (d.title, d.outlet, d.public_id))]
    return page([document_record(d) for d in docs[offset : offset + limit]], len(docs), limit, offset)


@router.get("/documents/{document_id}")
def get_document(request: Request, document_id: str, _: Reader) -> dict[str, Any]:
    """One document with its text and claims."""
    ledger = ledger_of(request)
    doc = ledger.get_document(document_id)
    if doc is None:
        raise WebError(404, "not_found", f"document {document_id} not found")
    return {
        "id": doc.id,
        "public_id": doc.public_id,
        "title": doc.title,
        "published": doc.published.isoformat() if doc.published else None,
        "url": doc.url,
        "outlet": doc.outlet,
        "text": doc.text,
        "claims": [claim_record(c) for c in ledger.document_claims(doc.id)],
    }


@router.get("/claims")
def list_claims(
    request: Request,
    _: Reader,
    filters: Annotated[ClaimFilter, Depends(claim_filter)],
    review_state: str | None = None,
    q: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Claims matching the filters, newest report first."""
    total, rows = ledger_of(request).claims_page(
        filters, review_state=review_state, text=q, limit=limit, offset=offset
    )
    return page([claim_record(c) for c in rows], total, limit, offset)


@router.get("/claims/{claim_id}")
def get_claim(request: Request, claim_id: str, _: Reader) -> dict[str, Any]:
    """One claim and its audit history."""
    ledger = ledger_of(request)
    stored = ledger.get_claim(claim_id)
    if stored is None:
        raise WebError(404, "not_found", f"claim {claim_id} not found")
    _total, history = ledger.audit_entries(target=claim_id, limit=MAX_LIMIT)
    return {**claim_record(stored), "audit": [audit_record(a) for a in history]}


@router.post("/claims/{claim_id}/review")
def review_claim(request: Request, claim_id: str, body: ReviewBody, user: Reviewer) -> dict[str, Any]:
    """Accept, reject, edit or merge a claim; the change and who made it go to the audit log."""
    ledger = ledger_of(request)
    if ledger.get_claim(claim_id) is None:
        raise WebError(404, "not_found", f"claim {claim_id} not found")
    try:
        after = ledger.review_claim(claim_id, body.request(), user=user.name)
    except ArmsledgerError as exc:
        raise WebError(422, "invalid", exc.message, {"hint": exc.hint, "item": exc.item}) from exc
    return claim_record(after)


@router.get("/flows")
def list_flows(
    request: Request, _: Reader, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    """Raw flows: claims per supplier, recipient, category and status with summed figures."""
    rows = ledger_of(request).flows()
    return page([flow_record(f) for f in rows[offset : offset + limit]], len(rows), limit, offset)


@router.get("/timeline")
def get_timeline(
    request: Request,
    _: Reader,
    supplier: str,
    recipient: str,
    item_class: str,
    as_of: date | None = None,
) -> dict[str, Any]:
    """The as-of answer of one flow (best figure, band, assertions, conflicts) and its band over time."""
    on = as_of or date.today()
    ledger = ledger_of(request)
    try:
        answer = timeline(ledger, _state(supplier) or "", _state(recipient) or "", item_class, on)
    except ArmsledgerError as exc:
        raise WebError(422, "invalid", exc.message, {"hint": exc.hint}) from exc
    assertions = [g.assertion for g in answer.assertions]
    points = band_series(answer.flow, assertions, label=answer.label)
    return timeline_record(answer, [(p.on, p.low, p.value, p.high) for p in points])


@router.get("/estimates")
def list_estimates(
    request: Request, _: Reader, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    """Stored estimates (carrier counts converted into rounds)."""
    rows = ledger_of(request).list_estimates()
    return page([estimate_record(e) for e in rows[offset : offset + limit]], len(rows), limit, offset)


@router.get("/findings")
def list_findings(
    request: Request, _: Reader, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    """Sanctions findings of the ledger's claims."""
    rows = evaluate(ledger_of(request).list_claims(), load_rules(get_settings().sanctions_dir))
    return page([finding_record(f) for f in rows[offset : offset + limit]], len(rows), limit, offset)


@router.get("/forecasts")
def list_forecasts(
    request: Request,
    _: Reader,
    as_of: date | None = None,
    open_only: bool = False,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Expected and pledged transfers and how later reports resolved them (``open_only``: still pending)."""
    lf = ledger_flows(ledger_of(request), as_of or date.today())
    rows = [f for f in lf.forecasts if not open_only or f.status.value == "pending"]
    return page([forecast_record(f) for f in rows[offset : offset + limit]], len(rows), limit, offset)


@router.get("/audit")
def list_audit(
    request: Request, _: Reader, target: str | None = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    """The audit log, newest first; ``target`` narrows it to one claim."""
    total, rows = ledger_of(request).audit_entries(target=target, limit=limit, offset=offset)
    return page([audit_record(a) for a in rows], total, limit, offset)


@router.get("/audit/verify")
def verify_audit(request: Request, _: Reader) -> dict[str, Any]:
    """Recompute the audit chain: ``ok``, the first bad row and why, the head hash."""
    check = ledger_of(request).verify_audit()
    return {
        "ok": check.ok,
        "rows": check.rows,
        "head_hash": check.head_hash,
        "bad_id": check.bad_id,
        "problem": check.problem,
    }
