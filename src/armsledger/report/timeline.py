"""Renderers for flows over time: JSON records, rich tables, and the timeline chart of the HTML report.

The chart is inline SVG (no script, no external resource): the as-of band as a stepped area and one
marker per assertion, coloured by its Admiralty reliability letter; hollow markers are capacity-based
estimates, diamonds are plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup
from rich.console import Group
from rich.table import Table
from rich.text import Text

from armsledger.flows.asof import answer
from armsledger.flows.query import LedgerFlows
from armsledger.flows.records import (
    AsOfAnswer,
    Assertion,
    Conflict,
    Forecast,
    GradedAssertion,
    TrackRecord,
)
from armsledger.report.formatting import format_quantity, state_name

GRADE_COLOURS = {
    "A": "#1b5e20",
    "B": "#2e7d32",
    "C": "#9e9d24",
    "D": "#ef6c00",
    "E": "#c62828",
    "F": "#757575",
}
# Chart geometry (SVG user units); the viewBox scales it to the page width.
_W, _H = 720, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 58, 16, 16, 34


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(x, 2)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def assertion_record(g: GradedAssertion) -> dict[str, Any]:
    """One graded assertion as JSON: figure, attribution, grade, reports."""
    a = g.assertion
    return {
        "id": a.id,
        "attribution": a.attribution,
        "source": {"id": a.source.id, "name": a.source.name, "kind": a.source.kind},
        "published": a.first_published.isoformat(),
        "last_published": a.last_published.isoformat(),
        "quantity": a.quantity.to_interchange(),
        "figure": format_quantity(a.quantity),
        "status": a.status.value,
        "basis": a.basis.value,
        "capacity_based": a.capacity_based,
        "time": a.time.to_interchange() if a.time else None,
        "grade": g.grade.code,
        "reliability": g.grade.reliability,
        "credibility": g.grade.credibility,
        "grade_reason": g.grade.why,
        "corroborated_by": list(g.grade.corroborated_by),
        "contradicted_by": list(g.grade.contradicted_by),
        "weight": round(g.weight, 4),
        "reports": a.report_count,
        "report_list": [
            {
                "claim_id": r.claim_id,
                "document": r.document_id,
                "published": r.published.isoformat(),
                "outlet": r.outlet,
                "url": r.url,
                "origin": r.origin,
                "item": r.item,
                "evidence": r.evidence,
                "span": list(r.span) if r.span else None,
                "restated": r.restated,
                "outlets": r.outlets,
            }
            for r in a.reports
        ],
    }


def _side(a: Assertion) -> dict[str, Any]:
    first = a.reports[0]
    return {
        "assertion": a.id,
        "attribution": a.attribution,
        "source": a.source.name,
        "published": a.first_published.isoformat(),
        "quantity": a.quantity.to_interchange(),
        "figure": format_quantity(a.quantity),
        "status": a.status.value,
        "capacity_based": a.capacity_based,
        "time": a.time.to_interchange() if a.time else None,
        "evidence": first.evidence,
        "span": list(first.span) if first.span else None,
        "claim_id": first.claim_id,
        "document": first.document_id,
        "url": first.url,
    }


def conflict_record(c: Conflict) -> dict[str, Any]:
    """A conflict as JSON: the reason and both sides with their evidence."""
    return {
        "flow": {
            "supplier": c.first.flow.supplier,
            "recipient": c.first.flow.recipient,
            "item_class": c.first.flow.item_class,
        },
        "reason": c.reason.value,
        "explanation": c.explanation,
        "first": _side(c.first),
        "second": _side(c.second),
    }


def answer_record(ans: AsOfAnswer) -> dict[str, Any]:
    """The ``armsledger timeline --format json`` document."""
    return {
        "flow": {
            "supplier": ans.flow.supplier,
            "recipient": ans.flow.recipient,
            "item_class": ans.flow.item_class,
            "label": ans.label,
        },
        "as_of": ans.as_of.isoformat(),
        "best": {"low": _num(ans.best.low), "value": _num(ans.best.value), "high": _num(ans.best.high)},
        "basis": ans.basis.value if ans.basis else None,
        "capacity_based": ans.capacity_based,
        "lower_bound": ans.lower_bound,
        "chosen": assertion_record(ans.chosen) if ans.chosen else None,
        "band_from": list(ans.band_from),
        "reasons": list(ans.reasons),
        "assertions": [assertion_record(g) for g in ans.assertions],
        "conflicts": [conflict_record(c) for c in ans.conflicts],
    }


def forecast_record(f: Forecast) -> dict[str, Any]:
    """A forecast as JSON: the plan, its window, status and the arrivals that resolved it."""
    return {
        **assertion_record(f.assertion),
        "flow": {
            "supplier": f.assertion.assertion.flow.supplier,
            "recipient": f.assertion.assertion.flow.recipient,
            "item_class": f.assertion.assertion.flow.item_class,
        },
        "window": {"start": f.window_start.isoformat(), "end": f.window_end.isoformat()},
        "status": f.status.value,
        "plan_status": f.assertion.assertion.status.value,
        "delivered": _num(f.delivered),
        "share": None if f.share is None else round(f.share, 3),
        "resolved_by": [_side(a) for a in f.resolved_by],
        "why": f.why,
    }


def track_record_dict(t: TrackRecord) -> dict[str, Any]:
    return {
        "source": {"id": t.source.id, "name": t.source.name, "kind": t.source.kind},
        "fulfilled": t.fulfilled,
        "partly": t.partly,
        "not": t.not_,
        "pending": t.pending,
        "score": None if t.score is None else round(t.score, 3),
    }


def forecasts_document(flows: LedgerFlows) -> dict[str, Any]:
    """The ``armsledger forecasts --format json`` document."""
    return {
        "as_of": flows.as_of.isoformat(),
        "forecasts": [forecast_record(f) for f in flows.forecasts],
        "track_records": [track_record_dict(t) for t in flows.track_records],
    }


def conflicts_document(flows: LedgerFlows) -> dict[str, Any]:
    """The ``armsledger conflicts --format json`` document."""
    return {"as_of": flows.as_of.isoformat(), "conflicts": [conflict_record(c) for c in flows.conflicts]}


# -- terminal ---------------------------------------------------------------------------------------


def _fig(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _flow_title(supplier: str | None, recipient: str | None, label: str) -> str:
    return f"{state_name(supplier)} → {state_name(recipient)}: {label}"


def answer_renderable(ans: AsOfAnswer) -> Group:
    """The as-of answer for the terminal: best figure, reasons, assertions and conflicts."""
    head = Text(
        f"{_flow_title(ans.flow.supplier, ans.flow.recipient, ans.label)} as of {ans.as_of}\n", style="bold"
    )
    head.append(f"best {_fig(ans.best.value)}  (band {_fig(ans.best.low)} – {_fig(ans.best.high)})")
    if ans.lower_bound:
        head.append("  at least", style="yellow")
    if ans.capacity_based:
        head.append("  CAPACITY-BASED", style="bold yellow")
    parts: list[Any] = [head, Text("\n".join(f"· {r}" for r in ans.reasons), style="dim")]
    table = Table(title="Assertions", title_justify="left")
    for col in ("Published", "Attribution", "Figure", "Status", "Basis", "Grade", "Reports"):
        table.add_column(col, justify="right" if col in ("Figure", "Reports") else "left")
    chosen = ans.chosen.assertion.id if ans.chosen else None
    for g in ans.assertions:
        a = g.assertion
        table.add_row(
            a.first_published.isoformat(),
            a.attribution or "(anonymous)",
            format_quantity(a.quantity) + (" (capacity)" if a.capacity_based else ""),
            a.status.value,
            a.basis.value,
            Text(g.grade.code, style=GRADE_COLOURS.get(g.grade.reliability, "")),
            str(a.report_count),
            style="bold" if a.id == chosen else "",
        )
    parts.append(table)
    if ans.conflicts:
        parts.append(conflicts_table(ans.conflicts))
    return Group(*parts)


def conflicts_table(conflicts: Sequence[Conflict]) -> Table:
    table = Table(title="Conflicts", title_justify="left")
    for col in ("Flow", "Reason", "First", "Second", "Why"):
        table.add_column(col)
    for c in conflicts:
        table.add_row(
            f"{c.first.flow.supplier or '?'}→{c.first.flow.recipient or '?'} {c.first.flow.item_class}",
            c.reason.value,
            f"{format_quantity(c.first.quantity)} · {c.first.attribution or '(anonymous)'} · {c.first.first_published}",
            f"{format_quantity(c.second.quantity)} · {c.second.attribution or '(anonymous)'} · {c.second.first_published}",
            c.explanation,
        )
    return table


def forecasts_renderable(flows: LedgerFlows) -> Group:
    table = Table(title=f"Forecasts as of {flows.as_of}", title_justify="left")
    for col in ("Published", "Flow", "Attribution", "Figure", "Window", "Status", "Why"):
        table.add_column(col)
    for f in flows.forecasts:
        a = f.assertion.assertion
        table.add_row(
            a.first_published.isoformat(),
            f"{a.flow.supplier or '?'}→{a.flow.recipient or '?'} {a.flow.item_class}",
            a.attribution or "(anonymous)",
            format_quantity(a.quantity),
            f"{f.window_start} – {f.window_end}",
            f.status.value,
            f.why,
        )
    records = Table(title="Track records", title_justify="left")
    for col in ("Attributor", "Fulfilled", "Partly", "Not", "Pending", "Score"):
        records.add_column(col, justify="left" if col == "Attributor" else "right")
    for t in flows.track_records:
        records.add_row(
            t.source.name,
            str(t.fulfilled),
            str(t.partly),
            str(t.not_),
            str(t.pending),
            "—" if t.score is None else f"{t.score:.0%}",
        )
    return Group(table, records)


# -- HTML -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimelineView:
    """One flow's timeline chart and its assertions, for the HTML report."""

    anchor: str
    heading: str
    summary: str
    svg: Markup
    rows: tuple[dict[str, Any], ...]


def _tick(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.1f}M"
    if value >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:.0f}"


def timeline_svg(ans: AsOfAnswer, steps: Sequence[AsOfAnswer]) -> Markup:
    """The band over time (one step per report date) and a marker per assertion, coloured by grade."""
    points = [g for g in ans.assertions if g.assertion.bounds.point is not None]
    if not points:
        return Markup("")
    dates = [g.assertion.first_published for g in points] + [s.as_of for s in steps]
    d0, d1 = min(dates), max(dates)
    span_days = max((d1 - d0).days, 1)
    values = [g.assertion.bounds.point or 0.0 for g in points]
    values += [s.best.high or 0.0 for s in steps] + [s.best.low or 0.0 for s in steps]
    top = max(values) * 1.08 or 1.0
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(d: date) -> float:
        return _LEFT + (d - d0).days / span_days * plot_w

    def y(v: float) -> float:
        return _TOP + plot_h - v / top * plot_h

    title = f"{ans.label}: band and assertions, {d0} to {d1}"
    out = [
        f'<svg class="timeline" viewBox="0 0 {_W} {_H}" role="img" xmlns="http://www.w3.org/2000/svg"'
        f' aria-label="{escape(title, {chr(34): "&quot;"})}"><title>{escape(title)}</title>'
    ]
    base = _TOP + plot_h
    for i in range(5):
        v = top * i / 4
        out.append(f'<line class="grid" x1="{_LEFT}" y1="{y(v):.1f}" x2="{_W - _RIGHT}" y2="{y(v):.1f}"/>')
        out.append(
            f'<text class="tick" x="{_LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{_tick(v)}</text>'
        )
    banded = [s for s in steps if s.best.low is not None and s.best.high is not None]
    if banded:
        upper: list[str] = []
        lower: list[str] = []
        for i, s in enumerate(banded):
            x0 = x(s.as_of)
            x1 = x(banded[i + 1].as_of) if i + 1 < len(banded) else x(d1) + 0.5
            hi, lo = y(s.best.high or 0), y(s.best.low or 0)
            upper += [f"{x0:.1f},{hi:.1f}", f"{x1:.1f},{hi:.1f}"]
            lower += [f"{x0:.1f},{lo:.1f}", f"{x1:.1f},{lo:.1f}"]
        out.append(f'<polygon class="band" points="{" ".join(upper + lower[::-1])}"/>')
        best = [f"{x(s.as_of):.1f},{y(s.best.value or 0):.1f}" for s in banded if s.best.value is not None]
        out.append(f'<polyline class="best" points="{" ".join(best)}"/>')
    out.append(f'<line class="axis" x1="{_LEFT}" y1="{base}" x2="{_W - _RIGHT}" y2="{base}"/>')
    for i in range(5):
        d = date.fromordinal(d0.toordinal() + round(span_days * i / 4))
        out.append(
            f'<text class="tick" x="{x(d):.1f}" y="{base + 16}" text-anchor="middle">{d.isoformat()[:7]}</text>'
        )
    for g in points:
        a = g.assertion
        cx, cy = x(a.first_published), y(a.bounds.point or 0)
        colour = GRADE_COLOURS.get(g.grade.reliability, "#757575")
        label = escape(
            f"{a.first_published} {a.attribution or 'anonymous'}: {format_quantity(a.quantity)} "
            f"({a.status.value}, {a.basis.value}{', capacity-based' if a.capacity_based else ''}) "
            f"grade {g.grade.code}, {a.report_count} report(s)"
        )
        fill = "none" if a.capacity_based else colour
        if a.is_plan:
            shape = (
                f'<polygon class="marker plan" points="{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} '
                f'{cx:.1f},{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}" fill="{fill}" stroke="{colour}"'
            )
        else:
            shape = (
                f'<circle class="marker" cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{fill}" stroke="{colour}"'
            )
        out.append(
            f'{shape} stroke-width="2"><title>{label}</title></{"polygon" if a.is_plan else "circle"}>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def timeline_view(flows: LedgerFlows, anchor: str) -> list[TimelineView]:
    """A chart per flow with at least two quantified assertions of transfers that occurred."""
    views: list[TimelineView] = []
    for flow in flows.flows():
        mine = [g for g in flows.assertions if g.assertion.flow == flow]
        occurred = [g for g in mine if not g.assertion.is_plan and g.assertion.bounds.point is not None]
        if len(occurred) < 2:
            continue
        assertions = [g.assertion for g in mine]
        label = flows.labels.get(flow.item_class, flow.item_class)
        dates = sorted({a.first_published for a in assertions})
        steps = [answer(flow, assertions, d, label=label) for d in dates]
        final = answer(flow, assertions, flows.as_of, label=label)
        summary = (
            f"As of {final.as_of}: best {_fig(final.best.value)} (band {_fig(final.best.low)} – "
            f"{_fig(final.best.high)})"
            + (", a lower bound" if final.lower_bound else "")
            + (", capacity-based" if final.capacity_based else "")
            + (f"; {len(final.conflicts)} conflict(s)" if final.conflicts else "")
        )
        views.append(
            TimelineView(
                anchor=f"{anchor}-{flow.supplier or 'none'}-{flow.recipient or 'none'}-{flow.item_class}".lower(),
                heading=_flow_title(flow.supplier, flow.recipient, label),
                summary=summary,
                svg=timeline_svg(final, steps),
                rows=tuple(assertion_record(g) for g in final.assertions),
            )
        )
    return views
