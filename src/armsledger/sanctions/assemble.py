"""Building a :class:`Finding` from the matches of one provision in one flow: the claims it rests on,
its confidence and the notes an analyst needs (contested status, exemptions, dates, denials)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from armsledger.models import Status
from armsledger.sanctions.confidence import (
    BASIS_FACTORS,
    DENIAL_FACTOR,
    Grader,
    adjusted,
    combine,
    confidence_label,
    match_factors,
    source_key,
)
from armsledger.sanctions.matching import ClassMatch, Match
from armsledger.sanctions.records import (
    KIND_OF_STATUS,
    Basis,
    ClaimGrade,
    ConfidenceFactor,
    Finding,
    FindingClaim,
    FindingKind,
    Provision,
    Regime,
)
from armsledger.store.records import StoredClaim


@dataclass(frozen=True, slots=True)
class Context:
    """What every finding of one evaluation shares: classes and grades of all claims, and denials."""

    classes: Mapping[str, Mapping[str, ClassMatch]]
    grader: Grader
    denied: Sequence[StoredClaim]
    grades: dict[str, ClaimGrade]

    def grade(self, stored: StoredClaim) -> ClaimGrade:
        if stored.claim_id not in self.grades:
            self.grades[stored.claim_id] = self.grader(stored)
        return self.grades[stored.claim_id]


def _finding_claim(m: Match, ctx: Context) -> FindingClaim:
    stored, claim = m.stored, m.stored.claim
    grade = ctx.grade(stored)
    factors = match_factors(m)
    notes = [f.reason for f in factors]
    if m.end_user:
        notes.append(f"non-state end user named: {m.end_user!r}")
    return FindingClaim(
        claim_id=stored.claim_id,
        supplier=claim.supplier,
        recipient=claim.recipient,
        category=claim.category,
        item=claim.item,
        quantity=claim.quantity,
        status=claim.status,
        estimated=claim.estimated,
        time=claim.time,
        attribution=claim.attribution,
        evidence=claim.evidence,
        document_id=stored.document_public_id,
        document_title=stored.document_title,
        published=stored.document_published,
        matched_as=", ".join(c.describe(claim.category) for c in m.classes),
        when=m.span.describe(),
        grade=grade,
        score=round(adjusted(grade, factors), 3),
        factors=tuple(factors),
        notes=tuple(notes),
    )


def _denials(provision: Provision, supplier: str | None, recipient: str | None, ctx: Context) -> list[str]:
    """Ids of denials of this flow that concern the kind of thing the provision covers."""
    scope = provision.scope
    if scope is None:
        return []
    out = []
    for d in ctx.denied:
        if d.claim.supplier != supplier or d.claim.recipient not in (recipient, None):
            continue
        if any(name in ctx.classes.get(d.claim_id, {}) for name in scope.classes):
            out.append(d.claim_id)
    return out


def build_finding(
    provision: Provision,
    regime: Regime,
    status: Status,
    matches: Sequence[Match],
    ctx: Context,
    *,
    notes: Sequence[str] = (),
) -> Finding:
    """One finding from the matches of one flow (same supplier, recipient and status)."""
    first = matches[0].stored.claim
    supplier, recipient = first.supplier, first.recipient
    claims = [_finding_claim(m, ctx) for m in matches]
    best: dict[tuple[str, str], float] = {}
    for m, fc in zip(matches, claims, strict=True):
        key = source_key(m.stored)
        best[key] = max(best.get(key, 0.0), fc.score)
    confidence = combine(list(best.values()))

    basis = provision.basis
    if basis is Basis.TEXT and all(m.interpretive for m in matches):
        basis = Basis.INTERPRETATION
    factors: list[ConfidenceFactor] = []
    if BASIS_FACTORS[basis] != 1.0:
        why = {
            Basis.INTERPRETATION: "the provision does not name this kind of transfer; applying it is an interpretation",
            Basis.CATCH_ALL: "a catch-all: it applies where a state judges the item would serve prohibited ends",
            Basis.TEXT: "",
        }[basis]
        factors.append(ConfidenceFactor(f"basis_{basis.value}", BASIS_FACTORS[basis], why))
    denials = _denials(provision, supplier, recipient, ctx)
    if denials:
        factors.append(
            ConfidenceFactor("denied", DENIAL_FACTOR, f"{len(denials)} claim(s) in the ledger deny this flow")
        )
    for f in factors:
        confidence *= f.multiplier
    # Two decimals: what tables show, so the label always agrees with the figure beside it.
    confidence = round(confidence, 2)

    kind = KIND_OF_STATUS[status]
    all_notes = list(notes)
    if kind is FindingKind.INTENT:
        all_notes.append(
            f"the transfer is {status.value}, not reported as done: a finding of intent, not a breach"
        )
    if provision.contested and provision.contested_note:
        all_notes.append(f"contested: {provision.contested_note}")
    if provision.exemptions:
        all_notes.append(f"exemptions: {provision.exemptions}")
    if provision.superseded_by:
        all_notes.append(f"superseded by {provision.superseded_by}")
    if provision.notes:
        all_notes.append(provision.notes)
    return Finding(
        provision=provision,
        regime_name=regime.name,
        authority=regime.authority,
        kind=kind,
        status=status,
        supplier=supplier,
        recipient=recipient,
        claims=tuple(claims),
        confidence=confidence,
        confidence_label=confidence_label(confidence),
        basis=basis,
        factors=tuple(factors),
        notes=tuple(all_notes),
        denials=tuple(denials),
    )
