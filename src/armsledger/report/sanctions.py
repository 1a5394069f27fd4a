"""Sanctions findings for people and programs: JSON records, a rich table for the terminal and the
views the HTML report's sanctions section renders."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text

from armsledger.report.formatting import NO_FIGURE, format_period, format_quantity, state_name
from armsledger.sanctions.records import Finding, FindingClaim, FindingKind

KIND_STYLES: dict[FindingKind, str] = {FindingKind.BREACH: "red", FindingKind.INTENT: "yellow"}


def _claim_record(c: FindingClaim) -> dict[str, Any]:
    return {
        "claim_id": c.claim_id,
        "status": c.status.value,
        "supplier": c.supplier,
        "recipient": c.recipient,
        "category": c.category.value,
        "item": c.item,
        "quantity": c.quantity.to_interchange(),
        "estimated": c.estimated,
        "time": c.time.to_interchange() if c.time else None,
        "when": c.when,
        "attribution": c.attribution,
        "evidence": c.evidence,
        "document_id": c.document_id,
        "document_title": c.document_title,
        "published": c.published.isoformat() if c.published else None,
        "matched_as": c.matched_as,
        "grade": {"score": c.grade.score, "label": c.grade.label, "reasons": list(c.grade.reasons)},
        "score": c.score,
        "notes": list(c.notes),
    }


def finding_record(f: Finding) -> dict[str, Any]:
    """JSON-ready finding: citation and verdict first, then the claims and the rule's provenance."""
    p = f.provision
    return {
        "regime": p.regime,
        "regime_name": f.regime_name,
        "authority": f.authority,
        "provision_id": p.id,
        "instrument": p.instrument,
        "resolution": p.resolution,
        "annex": p.annex,
        "paragraph": p.paragraph,
        "citation": p.citation,
        "paragraph_confidence": p.paragraph_confidence.value,
        "paragraph_note": p.paragraph_note,
        "topic": p.topic,
        "kind": f.kind.value,
        "status": f.status.value,
        "supplier": f.supplier,
        "recipient": f.recipient,
        "claim_ids": list(f.claim_ids),
        "summary": p.summary,
        "confidence": f.confidence,
        "confidence_label": f.confidence_label,
        "confidence_factors": [
            {"factor": x.name, "multiplier": x.multiplier, "reason": x.reason} for x in f.factors
        ],
        "basis": f.basis.value,
        "contested": p.contested,
        "contested_note": p.contested_note,
        "exemptions": p.exemptions,
        "provision_status": p.status,
        "window": {
            "from": p.window.start.isoformat() if p.window.start else None,
            "to": p.window.end.isoformat() if p.window.end else None,
        },
        "denied_by": list(f.denials),
        "notes": list(f.notes),
        "source_urls": list(p.source_urls),
        "claims": [_claim_record(c) for c in f.claims],
    }


def findings_json(findings: Sequence[Finding]) -> str:
    """All findings as a JSON array (``armsledger sanctions --format json``)."""
    return json.dumps([finding_record(f) for f in findings], ensure_ascii=False, indent=2)


def _flow(f: Finding) -> str:
    return f"{f.supplier or NO_FIGURE} → {f.recipient or NO_FIGURE}"


def _flags(f: Finding) -> list[str]:
    flags = []
    if f.provision.contested:
        flags.append("contested")
    if f.basis.value != "text":
        flags.append(f.basis.value.replace("_", "-"))
    if f.provision.paragraph_confidence.value != "high":
        flags.append(f"para. {f.provision.paragraph_confidence.value}")
    return flags


def findings_table(findings: Sequence[Finding], *, title: str = "Sanctions findings") -> Table:
    """One row per finding: citation, breach or intent, the flow, its claims and the confidence."""
    table = Table(title=f"{title} ({len(findings)})", header_style="bold")
    table.add_column("Regime", no_wrap=True)
    table.add_column("Resolution, para.", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Flow", no_wrap=True)
    table.add_column("Claims")
    table.add_column("Confidence", justify="right", no_wrap=True)
    table.add_column("Flags")
    table.add_column("Provision")
    for f in findings:
        items = "; ".join(f"{c.item} ({format_quantity(c.quantity)})" for c in f.claims)
        table.add_row(
            f.regime,
            f.provision.citation,
            Text(f.kind.value, style=KIND_STYLES[f.kind]),
            _flow(f),
            f"{len(f.claims)}: {items}",
            f"{f.confidence:.2f} {f.confidence_label}",
            ", ".join(_flags(f)),
            f.provision.topic or f.provision.summary,
        )
    return table


# -- HTML report views ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FindingClaimView:
    """One claim under a finding, formatted for the report."""

    claim_id: str
    item: str
    quantity: str
    status: str
    when: str
    attribution: str
    evidence: str
    document_title: str
    matched_as: str


@dataclass(frozen=True, slots=True)
class FindingView:
    """One finding, formatted for the report's sanctions section."""

    anchor: str
    regime: str
    regime_name: str
    citation: str
    instrument: str
    topic: str
    kind: str
    status: str
    flow: str
    summary: str
    confidence: str
    confidence_label: str
    basis: str
    flags: tuple[str, ...]
    paragraph_note: str
    notes: tuple[str, ...]
    source_urls: tuple[str, ...]
    claims: tuple[FindingClaimView, ...]


def _claim_view(c: FindingClaim) -> FindingClaimView:
    return FindingClaimView(
        claim_id=c.claim_id,
        item=c.item,
        quantity=format_quantity(c.quantity),
        status=c.status.value,
        when=format_period(c.time) if c.time else c.when,
        attribution=c.attribution or NO_FIGURE,
        evidence=c.evidence,
        document_title=c.document_title or c.document_id,
        matched_as=c.matched_as,
    )


def finding_views(findings: Sequence[Finding]) -> list[FindingView]:
    """The findings as the HTML template shows them."""
    views = []
    for i, f in enumerate(findings):
        p = f.provision
        views.append(
            FindingView(
                anchor=f"finding-{i + 1}",
                regime=p.regime,
                regime_name=f.regime_name,
                citation=p.citation,
                instrument=p.instrument,
                topic=p.topic,
                kind=f.kind.value,
                status=f.status.value,
                flow=f"{state_name(f.supplier)} → {state_name(f.recipient)}",
                summary=p.summary,
                confidence=f"{f.confidence:.2f}",
                confidence_label=f.confidence_label,
                basis=f.basis.value,
                flags=tuple(_flags(f)),
                paragraph_note=p.paragraph_note or "",
                notes=f.notes,
                source_urls=p.source_urls,
                claims=tuple(_claim_view(c) for c in f.claims),
            )
        )
    return views
