"""Review of claims by analysts: accept, reject, edit, merge — each change audited (SQL only here).

The claim keeps its id through an edit (links, estimates and the audit trail refer to it); the review
state says what happened to it. Paging and free-text search of claims for the workbench live here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Select, func, or_, select, update

from armsledger.errors import InvalidRecordError, UsageError
from armsledger.models import Claim
from armsledger.store import audit
from armsledger.store.records import StoredClaim
from armsledger.store.rows import claim_row, stored_claim_from_row
from armsledger.store.schema import claims, documents


class ReviewAction(StrEnum):
    """What an analyst does with a claim."""

    ACCEPT = "accept"
    REJECT = "reject"
    EDIT = "edit"
    MERGE = "merge"


# The review_state each action leaves on the claim.
REVIEW_STATES = {
    ReviewAction.ACCEPT: "accepted",
    ReviewAction.REJECT: "rejected",
    ReviewAction.EDIT: "edited",
    ReviewAction.MERGE: "merged",
}
EDITABLE_FIELDS = frozenset(
    {
        "supplier",
        "recipient",
        "category",
        "item",
        "quantity",
        "status",
        "estimated",
        "time",
        "location",
        "attribution",
    }
)
# Columns an edit may rewrite: everything a claim_row holds except identity, position and provenance.
_KEPT_COLUMNS = frozenset({"claim_id", "document_id", "seq", "origin", "review_state", "created_at"})


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """One review: the action, the fields an edit changes, the claim a merge folds this one into, a note."""

    action: ReviewAction
    changes: dict[str, Any] | None = None
    into: str | None = None
    note: str | None = None


def snapshot(stored: StoredClaim) -> dict[str, Any]:
    """The audited form of a claim: its interchange fields, span and review state."""
    c = stored.claim
    return {
        "claim_id": stored.claim_id,
        **c.to_interchange(),
        "span": [c.span.start, c.span.end] if c.span else None,
        "review_state": stored.review_state,
    }


def apply_edit(claim: Claim, changes: dict[str, Any]) -> Claim:
    """``claim`` with ``changes`` (interchange field names) applied and validated like an imported claim."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise InvalidRecordError(
            f"fields {unknown} cannot be edited", hint=f"edit only: {', '.join(sorted(EDITABLE_FIELDS))}"
        )
    merged = {**claim.to_interchange(), **changes}
    for role in ("supplier", "recipient"):
        if isinstance(merged.get(role), str):
            merged[role] = merged[role].strip().upper() or None
    edited = Claim.from_interchange(merged, document_id=claim.document_id)
    return edited.with_changes(
        span=claim.span, evidence=claim.evidence, extractor_version=claim.extractor_version
    )


def _select_claim(claim_id: str) -> Select[Any]:
    return (
        select(claims, documents.c.external_id, documents.c.title, documents.c.published)
        .join(documents, claims.c.document_id == documents.c.id)
        .where(claims.c.claim_id == claim_id)
    )


def _read(conn: Connection, claim_id: str) -> StoredClaim:
    row = conn.execute(_select_claim(claim_id)).first()
    if row is None:
        raise UsageError(f"claim {claim_id} not found", item=claim_id, hint="list claims to find its id")
    return stored_claim_from_row(row)


def review(conn: Connection, claim_id: str, request: ReviewRequest, *, user: str) -> StoredClaim:
    """Apply ``request`` to the claim and append the change to the audit log, in the caller's transaction."""
    before = _read(conn, claim_id)
    values: dict[str, Any] = {"review_state": REVIEW_STATES[request.action]}
    extra: dict[str, Any] = {}
    if request.action is ReviewAction.EDIT:
        if not request.changes:
            raise UsageError("an edit needs at least one changed field", item=claim_id)
        edited = apply_edit(before.claim, request.changes)
        row = claim_row(edited, claim_id=claim_id, seq=0, now=datetime.now(UTC))
        values.update({k: v for k, v in row.items() if k not in _KEPT_COLUMNS})
    elif request.action is ReviewAction.MERGE:
        if not request.into or request.into == claim_id:
            raise UsageError("a merge needs another claim's id in 'into'", item=claim_id)
        target = _read(conn, request.into)
        extra["merged_into"] = target.claim_id
    conn.execute(update(claims).where(claims.c.claim_id == claim_id).values(**values))
    after = _read(conn, claim_id)
    after_record = {**snapshot(after), **extra}
    if request.note:
        after_record["note"] = request.note
    audit.append(
        conn,
        user=user,
        action=f"claim.{request.action.value}",
        target=claim_id,
        before=snapshot(before),
        after=after_record,
    )
    return after


def claims_page(
    conn: Connection,
    base: Select[Any],
    *,
    review_state: str | None = None,
    text: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[StoredClaim]]:
    """The total and one page of the claims ``base`` selects, narrowed by review state and free text."""
    stmt = base
    if review_state:
        stmt = stmt.where(claims.c.review_state == review_state)
    if text and text.strip():
        # LIKE on lower(): case-insensitive on SQLite and PostgreSQL alike; % and _ in the query are escaped.
        needle = (
            "%" + text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        fields = (
            claims.c.item,
            claims.c.evidence,
            claims.c.attribution,
            claims.c.location,
            documents.c.title,
        )
        stmt = stmt.where(or_(*(func.lower(f).like(needle, escape="\\") for f in fields)))
    total = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    page = stmt.order_by(
        documents.c.published.is_(None), documents.c.published.desc(), documents.c.id, claims.c.seq
    )
    rows = conn.execute(page.limit(limit).offset(offset))
    return int(total), [stored_claim_from_row(r) for r in rows]
