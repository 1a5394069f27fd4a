"""HTML pages: dashboard, flow, documents, claims search, review queue, audit log, sign-in.

Every form POST carries a CSRF token tied to this browser's nonce cookie; the review POST also needs an
analyst or admin. Document text is escaped by Jinja's autoescape; nothing from a report is marked safe.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from armsledger.accounts import User
from armsledger.errors import ArmsledgerError
from armsledger.flows import FlowKey, ledger_flows
from armsledger.models import Category, Status
from armsledger.report.estimates import estimate_view
from armsledger.report.flowcharts import flow_panels, timeline_view
from armsledger.report.sanctions import finding_views
from armsledger.sanctions import evaluate, load_rules
from armsledger.settings import get_settings
from armsledger.store import ClaimFilter
from armsledger.store.review import REVIEW_STATES, ReviewAction, ReviewRequest
from armsledger.web.api import claim_filter
from armsledger.web.auth import (
    SESSION_COOKIE,
    check_csrf,
    ledger_of,
    require_reader,
    require_reviewer,
    signer_of,
)
from armsledger.web.errors import WebError
from armsledger.web.views import DEFAULT_LIMIT, MAX_LIMIT, highlight, pager, render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User | None, Depends(require_reader)]
LATEST_DOCUMENTS = 8
EDIT_FIELDS = ("supplier", "recipient", "category", "item", "status", "location", "attribution")


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, _: Reader) -> Response:
    ledger = ledger_of(request)
    panels = flow_panels(ledger, date.today(), open_only=True)
    claims = ledger.list_claims()
    findings = evaluate(claims, load_rules(get_settings().sanctions_dir))
    documents = list(reversed(ledger.list_documents()))[:LATEST_DOCUMENTS]
    _total, queue = ledger.claims_page(review_state="unreviewed", limit=1)
    return render(
        request,
        "dashboard.html.j2",
        counts=ledger.counts(),
        panels=panels,
        sanctions=finding_views(findings),
        documents=documents,
        unreviewed=_total,
        queue_head=queue,
    )


@router.get("/flows/{supplier}/{recipient}/{item_class}", response_class=HTMLResponse)
def flow_page(request: Request, supplier: str, recipient: str, item_class: str, _: Reader) -> Response:
    ledger = ledger_of(request)
    lf = ledger_flows(ledger, date.today())
    key = FlowKey(supplier, recipient, item_class)
    if key not in lf.flows():
        raise WebError(404, "not_found", f"no flow {supplier} → {recipient} {item_class}")
    view = timeline_view(lf, key)
    assertions = [g for g in lf.assertions if g.assertion.flow == key]
    conflicts = [c for c in lf.conflicts if c.first.flow == key]
    forecasts = [f for f in lf.forecasts if f.assertion.assertion.flow == key]
    claim_ids = {r.claim_id for g in assertions for r in g.assertion.reports}
    claims = [
        c
        for c in ledger.list_claims(ClaimFilter(supplier=supplier, recipient=recipient))
        if c.claim_id in claim_ids
    ]
    return render(
        request,
        "flow.html.j2",
        view=view,
        assertions=assertions,
        conflicts=conflicts,
        forecasts=forecasts,
        claims=claims,
    )


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, _: Reader, q: str | None = None) -> Response:
    docs = list(reversed(ledger_of(request).list_documents()))
    if q:
        needle = q.lower()
        docs = [d for d in docs if any(needle in (v or "").lower() for v in (d.title, d.outlet, d.public_id))]
    return render(request, "documents.html.j2", documents=docs, q=q or "")


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str, _: Reader) -> Response:
    ledger = ledger_of(request)
    doc = ledger.get_document(document_id)
    if doc is None:
        raise WebError(404, "not_found", f"document {document_id} not found")
    claims = ledger.document_claims(doc.id)
    return render(
        request,
        "document.html.j2",
        doc=doc,
        claims=claims,
        segments=highlight(doc.text, claims),
        estimates=[estimate_view(e) for e in ledger.list_estimates(document_id=doc.id)],
    )


def _claims_context(
    request: Request, filters: ClaimFilter, review_state: str | None, q: str | None, limit: int, offset: int
) -> dict[str, Any]:
    total, rows = ledger_of(request).claims_page(
        filters, review_state=review_state or None, text=q, limit=limit, offset=offset
    )
    return {
        "claims": rows,
        "pager": pager(request, total, limit, offset),
        "filters": filters,
        "review_state": review_state or "",
        "q": q or "",
        "categories": [c.value for c in Category],
        "statuses": [s.value for s in Status],
        "review_states": ["unreviewed", *REVIEW_STATES.values()],
    }


@router.get("/claims", response_class=HTMLResponse)
def claims_page(
    request: Request,
    _: Reader,
    filters: Annotated[ClaimFilter, Depends(claim_filter)],
    review_state: str | None = None,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    context = _claims_context(request, filters, review_state, q, limit, offset)
    return render(request, "claims.html.j2", title="Search claims", action="/claims", **context)


@router.get("/review", response_class=HTMLResponse)
def review_queue(
    request: Request,
    _: Reader,
    filters: Annotated[ClaimFilter, Depends(claim_filter)],
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    context = _claims_context(request, filters, "unreviewed", q, limit, offset)
    return render(request, "review.html.j2", title="Review queue", action="/review", **context)


@router.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, claim_id: str, _: Reader) -> Response:
    ledger = ledger_of(request)
    stored = ledger.get_claim(claim_id)
    if stored is None:
        raise WebError(404, "not_found", f"claim {claim_id} not found")
    _total, history = ledger.audit_entries(target=claim_id, limit=MAX_LIMIT)
    doc = ledger.get_document(stored.document_id)
    context = ""
    if doc is not None and stored.claim.span is not None:
        s = stored.claim.span
        context = doc.text[max(s.start - 300, 0) : s.end + 300]
    return render(
        request,
        "claim.html.j2",
        c=stored,
        history=history,
        context=context,
        categories=[c.value for c in Category],
        statuses=[s.value for s in Status],
    )


@router.post("/claims/{claim_id}/review")
def review_form(
    request: Request,
    claim_id: str,
    action: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    into: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    supplier: Annotated[str | None, Form()] = None,
    recipient: Annotated[str | None, Form()] = None,
    category: Annotated[str | None, Form()] = None,
    item: Annotated[str | None, Form()] = None,
    status: Annotated[str | None, Form()] = None,
    location: Annotated[str | None, Form()] = None,
    attribution: Annotated[str | None, Form()] = None,
    quantity_value: Annotated[str | None, Form()] = None,
    next_url: Annotated[str, Form(alias="next")] = "",
) -> Response:
    check_csrf(request, csrf)
    user = require_reviewer(request)
    try:
        act = ReviewAction(action)
    except ValueError:
        raise WebError(422, "invalid", f"unknown action {action!r}") from None
    changes: dict[str, Any] | None = None
    if act is ReviewAction.EDIT:
        fields = dict(
            zip(
                EDIT_FIELDS, (supplier, recipient, category, item, status, location, attribution), strict=True
            )
        )
        changes = {k: (v.strip() or None) for k, v in fields.items() if v is not None}
        if quantity_value is not None and quantity_value.strip():
            try:
                number = float(quantity_value.replace(",", ""))
            except ValueError:
                raise WebError(422, "invalid", f"quantity {quantity_value!r} is not a number") from None
            changes["quantity"] = {"value": number}
    try:
        ledger_of(request).review_claim(
            claim_id, ReviewRequest(act, changes, into.strip() or None, note.strip() or None), user=user.name
        )
    except ArmsledgerError as exc:
        raise WebError(422, "invalid", str(exc)) from exc
    # Only same-site paths: an open redirect would let a crafted form send the analyst elsewhere.
    target = next_url if next_url.startswith("/") and not next_url.startswith("//") else f"/claims/{claim_id}"
    return RedirectResponse(target, status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    _: Reader,
    target: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    ledger = ledger_of(request)
    total, rows = ledger.audit_entries(target=target, limit=limit, offset=offset)
    return render(
        request,
        "audit.html.j2",
        entries=rows,
        pager=pager(request, total, limit, offset),
        check=ledger.verify_audit(),
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html.j2", error=None, name="")


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form()],
    token: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    user = ledger_of(request).user_by_token(token)
    if user is None or user.name != name.strip():
        return render(request, "login.html.j2", status=401, error="Unknown name or token.", name=name)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE, signer_of(request).session_value(user), httponly=True, samesite="strict", path="/"
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
