"""The self-contained HTML report: one file, CSS inlined, no scripts, no external resources.

The template lives in ``report/templates/`` (package data) and is split into one partial per section
(summary, flows, claims by flow, sources) so later panels and charts slot in as new partials. All
text is escaped by Jinja's autoescape; nothing from a document is marked safe.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from jinja2 import Environment, PackageLoader, StrictUndefined

import armsledger
from armsledger.flows import ledger_flows
from armsledger.models import Category, Status
from armsledger.report.estimates import estimate_view
from armsledger.report.flowcharts import FlowPanels, flow_panels
from armsledger.report.formatting import (
    NO_FIGURE,
    category_label,
    format_number,
    format_period,
    format_quantity,
    format_totals,
    state_name,
)
from armsledger.report.sanctions import finding_views
from armsledger.report.timeline import TimelineView, timeline_view
from armsledger.sanctions import Finding, evaluate, load_rules
from armsledger.settings import get_settings
from armsledger.store.ledger import Ledger
from armsledger.store.records import Flow, LedgerCounts, StoredClaim, StoredDocument, StoredEstimate

STATUS_LABELS: dict[Status, str] = {
    Status.OCCURRED: "Occurred",
    Status.EXPECTED: "Expected",
    Status.PLEDGED: "Pledged",
    Status.DENIED: "Denied",
}


@dataclass(frozen=True, slots=True)
class ClaimView:
    """One claim, formatted for the report."""

    claim_id: str
    item: str
    quantity: str
    status: str
    status_label: str
    estimated: bool
    when: str
    location: str
    attribution: str
    evidence: str
    document_title: str
    document_public_id: str
    published: str


@dataclass(frozen=True, slots=True)
class FlowView:
    """One row of the flows table (``repeat``: same supplier and recipient as the row above)."""

    anchor: str
    supplier: str
    supplier_name: str
    recipient: str
    recipient_name: str
    category: str
    status: str
    status_label: str
    claims: int
    total: str
    unquantified: int
    repeat: bool = False


@dataclass(slots=True)
class FlowGroup:
    """Claims of one supplier → recipient pair in one category, with that flow's rows per status."""

    anchor: str
    heading: str
    category: str
    rows: list[FlowView] = field(default_factory=list)
    claims: list[ClaimView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SourceView:
    """One ingested document, for the sources section."""

    public_id: str
    title: str
    published: str
    outlet: str
    url: str
    claims: int


def _anchor(supplier: str | None, recipient: str | None, category: Category) -> str:
    raw = f"flow-{supplier or 'none'}-{recipient or 'none'}-{category.value}"
    return re.sub(r"[^a-z0-9-]", "-", raw.lower())


def _heading(supplier: str | None, recipient: str | None) -> str:
    return f"{state_name(supplier)} → {state_name(recipient)}"


def _claim_view(stored: StoredClaim) -> ClaimView:
    c = stored.claim
    return ClaimView(
        claim_id=stored.claim_id,
        item=c.item,
        quantity=format_quantity(c.quantity),
        status=c.status.value,
        status_label=STATUS_LABELS[c.status],
        estimated=c.estimated,
        when=format_period(c.time),
        location=c.location or NO_FIGURE,
        attribution=c.attribution or NO_FIGURE,
        evidence=c.evidence,
        document_title=stored.document_title or stored.document_public_id,
        document_public_id=stored.document_public_id,
        published=stored.document_published.isoformat() if stored.document_published else "undated",
    )


def _by_name(flows: Sequence[Flow]) -> list[Flow]:
    # The ledger orders by ISO code; readers scan the report by state name. Unnamed states go last.
    categories = {c: i for i, c in enumerate(Category)}
    statuses = {s: i for i, s in enumerate(Status)}

    def key(f: Flow) -> tuple[bool, str, bool, str, int, int]:
        return (
            f.supplier is None,
            state_name(f.supplier),
            f.recipient is None,
            state_name(f.recipient),
            categories[f.category],
            statuses[f.status],
        )

    return sorted(flows, key=key)


def _flow_views(flows: Sequence[Flow]) -> list[FlowView]:
    views: list[FlowView] = []
    previous: tuple[str | None, str | None] | None = None
    for flow in flows:
        pair = (flow.supplier, flow.recipient)
        views.append(_flow_view(flow, repeat=pair == previous))
        previous = pair
    return views


def _flow_view(flow: Flow, *, repeat: bool = False) -> FlowView:
    return FlowView(
        anchor=_anchor(flow.supplier, flow.recipient, flow.category),
        supplier=flow.supplier or NO_FIGURE,
        supplier_name=state_name(flow.supplier),
        recipient=flow.recipient or NO_FIGURE,
        recipient_name=state_name(flow.recipient),
        category=category_label(flow.category),
        status=flow.status.value,
        status_label=STATUS_LABELS[flow.status],
        claims=flow.claims,
        total=format_totals(flow.totals),
        unquantified=len(flow.unquantified),
        repeat=repeat,
    )


def _groups(flows: Sequence[Flow], claims: Sequence[StoredClaim]) -> list[FlowGroup]:
    groups: dict[tuple[str | None, str | None, Category], FlowGroup] = {}
    for flow in flows:
        group = groups.get(flow.key)
        if group is None:
            group = FlowGroup(
                anchor=_anchor(*flow.key),
                heading=_heading(flow.supplier, flow.recipient),
                category=category_label(flow.category),
            )
            groups[flow.key] = group
        group.rows.append(_flow_view(flow))
    for stored in claims:
        key = stored.flow_key
        if key not in groups:  # flows and claims are read separately; keep a claim added in between
            groups[key] = FlowGroup(
                anchor=_anchor(*key), heading=_heading(key[0], key[1]), category=category_label(key[2])
            )
        groups[key].claims.append(_claim_view(stored))
    return list(groups.values())


def _source_view(doc: StoredDocument) -> SourceView:
    return SourceView(
        public_id=doc.public_id,
        title=doc.title or doc.public_id,
        published=doc.published.isoformat() if doc.published else "undated",
        outlet=doc.outlet or "",
        url=doc.url or "",
        claims=doc.claims,
    )


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("armsledger", "report/templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = format_number
    return env


def render_html_from(
    *,
    counts: LedgerCounts,
    flows: Sequence[Flow],
    claims: Sequence[StoredClaim],
    documents: Sequence[StoredDocument],
    findings: Sequence[Finding] = (),
    estimates: Sequence[StoredEstimate] = (),
    panels: FlowPanels | None = None,
    timelines: Sequence[TimelineView] = (),
    title: str = "Arms transfer ledger",
    generated_at: datetime | None = None,
) -> str:
    """Render the report from already-read ledger data (the web app passes filtered data here)."""
    published = [d.published for d in documents if d.published is not None]
    span: tuple[date, date] | None = (min(published), max(published)) if published else None
    status_counts = [
        (s.value, STATUS_LABELS[s], counts.by_status.get(s.value, 0))
        for s in Status
        if counts.by_status.get(s.value)
    ]
    category_counts = [
        (category_label(c), counts.by_category.get(c.value, 0))
        for c in Category
        if counts.by_category.get(c.value)
    ]
    flows = _by_name(flows)
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        version=armsledger.__version__,
        generated_at=(generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        counts=counts,
        states=[(code, state_name(code)) for code in counts.states],
        status_counts=status_counts,
        category_counts=category_counts,
        report_span=(span[0].isoformat(), span[1].isoformat()) if span else None,
        flows=_flow_views(flows),
        groups=_groups(flows, claims),
        sources=[_source_view(d) for d in documents],
        sanctions=finding_views(findings),
        estimates=[estimate_view(e) for e in estimates],
        panels=panels,
        timelines=list(timelines),
    )


def _timelines(ledger: Ledger) -> list[TimelineView]:
    # As of the newest report, not today: the same ledger always renders the same charts.
    dated = [d.published for d in ledger.list_documents() if d.published is not None]
    return timeline_view(ledger_flows(ledger, max(dated)), "timeline") if dated else []


def render_html(ledger: Ledger, *, title: str = "Arms transfer ledger") -> str:
    """The whole ledger as one self-contained HTML page, with the sanctions findings its claims give."""
    claims = ledger.list_claims()
    return render_html_from(
        counts=ledger.counts(),
        flows=ledger.flows(),
        claims=claims,
        documents=ledger.list_documents(),
        findings=evaluate(claims, load_rules(get_settings().sanctions_dir)),
        estimates=ledger.list_estimates(),
        panels=flow_panels(ledger, datetime.now(UTC).date()),
        timelines=_timelines(ledger),
        title=title,
    )
