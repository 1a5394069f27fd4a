"""Flow panels shared by the HTML report and the web app: a Sankey of flows, as-of timelines with bands,
open forecasts. Charts are inline SVG strings (no script, no external resource), drawn server-side.

The panels read ``flows/`` (restatements merged, grades, forecasts); when it fails on a ledger the
panels stay empty and carry a note saying why, so the rest of a report still renders.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from markupsafe import Markup

from armsledger.errors import ArmsledgerError
from armsledger.flows import Assertion, FlowKey, ForecastStatus, LedgerFlows, answer, ledger_flows
from armsledger.models import Category, Status
from armsledger.report.formatting import category_label, format_number, format_quantity, state_name
from armsledger.store.ledger import Ledger
from armsledger.store.records import Flow

# Chart geometry in SVG user units; the viewBox scales it to the width of the page or phone.
_SANKEY_W, _SANKEY_ROW, _SANKEY_NODE_W = 760, 34, 14
_BAND_W, _BAND_H = 640, 200
_BAND_LEFT, _BAND_RIGHT, _BAND_TOP, _BAND_BOTTOM = 58, 16, 16, 34
CATEGORY_COLOURS: dict[Category, str] = {
    Category.AMMUNITION: "#c0392b",
    Category.MISSILE: "#8e44ad",
    Category.WEAPON_SYSTEM: "#2c6fbb",
    Category.PERSONNEL: "#1e8449",
    Category.SHIPMENT: "#b9770e",
    Category.OTHER: "#7f8c8d",
}
MAX_TIMELINES = 6


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def sankey_svg(
    flows: Sequence[Flow], *, title: str = "Flows between states (width: number of claims)"
) -> Markup:
    """Suppliers on the left, recipients on the right, one band per supplier → recipient → category.

    Band width is the number of claims (units differ between categories, so figures cannot be summed);
    denied claims are left out. Each band's tooltip gives its category, claims and totals.
    """
    links: dict[tuple[str, str, Category], int] = defaultdict(int)
    for f in flows:
        if f.status is Status.DENIED:
            continue
        links[(f.supplier or "?", f.recipient or "?", f.category)] += f.claims
    if not links:
        return Markup("")
    out_total: dict[str, int] = defaultdict(int)
    in_total: dict[str, int] = defaultdict(int)
    for (s, r, _), n in links.items():
        out_total[s] += n
        in_total[r] += n
    suppliers = sorted(out_total, key=lambda k: -out_total[k])
    recipients = sorted(in_total, key=lambda k: -in_total[k])
    total = sum(links.values())
    rows = max(len(suppliers), len(recipients))
    gap = 10
    height = max(rows * _SANKEY_ROW + 40, 120)
    usable = height - 30 - gap * (rows - 1)
    scale = usable / total

    def place(nodes: list[str], totals: dict[str, int]) -> dict[str, float]:
        pos, y = {}, 20.0
        spare = usable - sum(totals[n] * scale for n in nodes)
        step = gap + spare / max(len(nodes) - 1, 1) if len(nodes) > 1 else gap
        for node in nodes:
            pos[node] = y
            y += totals[node] * scale + step
        return pos

    ys, yr = place(suppliers, out_total), place(recipients, in_total)
    x0, x1 = 150, _SANKEY_W - 150
    out = [
        f'<svg class="sankey chart" viewBox="0 0 {_SANKEY_W} {height:.0f}" role="img"'
        f' xmlns="http://www.w3.org/2000/svg" aria-label="{_attr(title)}"><title>{escape(title)}</title>'
    ]
    cursor_s = dict(ys)
    cursor_r = dict(yr)
    ordered = sorted(links.items(), key=lambda kv: (suppliers.index(kv[0][0]), recipients.index(kv[0][1])))
    for (s, r, cat), n in ordered:
        w = n * scale
        a, b = cursor_s[s], cursor_r[r]
        cursor_s[s] += w
        cursor_r[r] += w
        mid = (x0 + _SANKEY_NODE_W + x1) / 2
        path = (
            f"M{x0 + _SANKEY_NODE_W},{a:.1f} C{mid:.1f},{a:.1f} {mid:.1f},{b:.1f} {x1},{b:.1f}"
            f" L{x1},{b + w:.1f} C{mid:.1f},{b + w:.1f} {mid:.1f},{a + w:.1f} {x0 + _SANKEY_NODE_W},{a + w:.1f} Z"
        )
        tip = f"{state_name(s)} → {state_name(r)}: {category_label(cat)}, {n} claim{'s' if n != 1 else ''}"
        out.append(
            f'<path class="link" d="{path}" fill="{CATEGORY_COLOURS[cat]}" fill-opacity="0.45">'
            f"<title>{escape(tip)}</title></path>"
        )
    for nodes, pos, totals, x, anchor, dx in (
        (suppliers, ys, out_total, x0, "end", -6),
        (recipients, yr, in_total, x1, "start", _SANKEY_NODE_W + 6),
    ):
        for node in nodes:
            h = max(totals[node] * scale, 2)
            out.append(
                f'<rect class="node" x="{x}" y="{pos[node]:.1f}" width="{_SANKEY_NODE_W}" height="{h:.1f}"'
                f' fill="#1c2430"><title>{escape(state_name(node))}: {totals[node]} claims</title></rect>'
            )
            out.append(
                f'<text class="node-label" x="{x + dx}" y="{pos[node] + h / 2 + 4:.1f}" text-anchor="{anchor}">'
                f"{escape(state_name(node))}</text>"
            )
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class BandPoint:
    """The as-of answer of a flow on one report date: low / best / high."""

    on: date
    low: float | None
    value: float | None
    high: float | None


def band_series(
    flow: FlowKey, assertions: Sequence[Assertion], *, label: str | None = None
) -> list[BandPoint]:
    """The flow's as-of band after each report date that changed it."""
    dates = sorted({a.first_published for a in assertions if a.flow == flow})
    points = []
    for on in dates:
        best = answer(flow, assertions, on, label=label).best
        if best.value is None and best.low is None and best.high is None:
            continue
        points.append(BandPoint(on, best.low, best.value, best.high))
    return points


def _tick(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value / 1e6:.1f}M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:.0f}"


def band_chart_svg(points: Sequence[BandPoint], *, title: str) -> Markup:
    """A step chart of the best figure over report dates, with the low–high band shaded."""
    if not points:
        return Markup("")
    values = [v for p in points for v in (p.low, p.value, p.high) if v is not None]
    top = max(values) * 1.08 or 1.0
    first, last = points[0].on.toordinal(), points[-1].on.toordinal()
    span = max(last - first, 1)
    plot_w = _BAND_W - _BAND_LEFT - _BAND_RIGHT
    plot_h = _BAND_H - _BAND_TOP - _BAND_BOTTOM
    base = _BAND_TOP + plot_h

    def x(d: date) -> float:
        if last == first:
            return _BAND_LEFT + plot_w / 2
        return _BAND_LEFT + (d.toordinal() - first) / span * plot_w

    def y(v: float) -> float:
        return base - v / top * plot_h

    # Each point holds until the next report date (the figure stands until restated); the last one
    # is drawn to the right edge so a single report still shows a band.
    ends = [x(p.on) for p in points[1:]] + [float(_BAND_W - _BAND_RIGHT)]
    out = [
        f'<svg class="timeline chart" viewBox="0 0 {_BAND_W} {_BAND_H}" role="img"'
        f' xmlns="http://www.w3.org/2000/svg" aria-label="{_attr(title)}"><title>{escape(title)}</title>',
        f'<line class="axis" x1="{_BAND_LEFT}" y1="{base}" x2="{_BAND_W - _BAND_RIGHT}" y2="{base}"/>',
    ]
    for i in range(4):
        v = top * i / 3
        out.append(
            f'<text class="tick" x="{_BAND_LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{_tick(v)}</text>'
            f'<line class="grid" x1="{_BAND_LEFT}" y1="{y(v):.1f}" x2="{_BAND_W - _BAND_RIGHT}" y2="{y(v):.1f}"/>'
        )
    line: list[str] = []
    for p, end in zip(points, ends, strict=True):
        x0 = x(p.on)
        lo = p.low if p.low is not None else p.value
        hi = p.high if p.high is not None else p.value
        if lo is not None and hi is not None:
            out.append(
                f'<rect class="band" x="{x0:.1f}" y="{y(hi):.1f}" width="{max(end - x0, 2):.1f}"'
                f' height="{max(y(lo) - y(hi), 1.5):.1f}"><title>{p.on.isoformat()}: '
                f"{escape(format_number(lo))} – {escape(format_number(hi))}</title></rect>"
            )
        if p.value is not None:
            line.append(f"{x0:.1f},{y(p.value):.1f} {end:.1f},{y(p.value):.1f}")
            out.append(f'<circle class="point" cx="{x0:.1f}" cy="{y(p.value):.1f}" r="3"/>')
    if line:
        out.append(f'<polyline class="best" fill="none" points="{" ".join(line)}"/>')
    for p in (points[0], points[-1]) if len(points) > 1 else (points[0],):
        out.append(
            f'<text class="tick" x="{x(p.on):.1f}" y="{base + 16}" text-anchor="middle">{p.on.isoformat()}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class TimelineView:
    """One flow's as-of figure and its band chart."""

    anchor: str
    supplier: str
    recipient: str
    item_class: str
    heading: str
    label: str
    best: str
    assertions: int
    svg: Markup


@dataclass(frozen=True, slots=True)
class ForecastView:
    """An expected or pledged transfer and how later reports resolved it."""

    heading: str
    label: str
    figure: str
    attribution: str
    made: str
    window: str
    status: str
    why: str
    supplier: str
    recipient: str
    item_class: str


@dataclass(frozen=True, slots=True)
class FlowPanels:
    """Everything the flow panels show; ``note`` explains empty panels."""

    as_of: date
    sankey: Markup
    timelines: tuple[TimelineView, ...]
    forecasts: tuple[ForecastView, ...]
    conflicts: int
    note: str | None = None


def _slug(*parts: str | None) -> str:
    return re.sub(r"[^a-z0-9-]", "-", "-".join(p or "none" for p in parts).lower())


def timeline_view(lf: LedgerFlows, flow: FlowKey) -> TimelineView:
    """The timeline of one flow of ``lf``."""
    label = lf.labels.get(flow.item_class, flow.item_class)
    mine = [g.assertion for g in lf.assertions if g.assertion.flow == flow]
    heading = f"{state_name(flow.supplier)} → {state_name(flow.recipient)}"
    best = answer(flow, mine, lf.as_of, label=label)
    b = best.best
    figure = "no figure" if b.value is None else format_number(b.value)
    if (
        b.value is not None
        and b.low is not None
        and b.high is not None
        and (b.low, b.high) != (b.value, b.value)
    ):
        figure += f" (band {format_number(b.low)} – {format_number(b.high)})"
    return TimelineView(
        anchor=_slug("timeline", flow.supplier, flow.recipient, flow.item_class),
        supplier=flow.supplier or "",
        recipient=flow.recipient or "",
        item_class=flow.item_class,
        heading=heading,
        label=label,
        best=figure,
        assertions=len(mine),
        svg=band_chart_svg(
            band_series(flow, mine, label=label), title=f"{heading}: {label} as reported over time"
        ),
    )


def _forecast_views(lf: LedgerFlows, *, open_only: bool) -> list[ForecastView]:
    views = []
    for f in lf.forecasts:
        if open_only and f.status is not ForecastStatus.PENDING:
            continue
        a = f.assertion.assertion
        views.append(
            ForecastView(
                heading=f"{state_name(a.flow.supplier)} → {state_name(a.flow.recipient)}",
                label=lf.labels.get(a.flow.item_class, a.flow.item_class),
                figure=format_quantity(a.quantity),
                attribution=a.attribution or a.source.name,
                made=a.first_published.isoformat(),
                window=f"{f.window_start.isoformat()} – {f.window_end.isoformat()}",
                status=f.status.value,
                why=f.why,
                supplier=a.flow.supplier or "",
                recipient=a.flow.recipient or "",
                item_class=a.flow.item_class,
            )
        )
    return views


def flow_panels(
    ledger: Ledger, as_of: date, *, max_timelines: int = MAX_TIMELINES, open_only: bool = False
) -> FlowPanels:
    """The Sankey, the busiest flows' timelines and the forecasts of ``ledger`` on ``as_of``."""
    sankey = sankey_svg(ledger.flows())
    try:
        lf = ledger_flows(ledger, as_of)
    except ArmsledgerError as exc:
        return FlowPanels(as_of, sankey, (), (), 0, note=f"flow analysis unavailable: {exc}")
    counts: dict[FlowKey, int] = defaultdict(int)
    for g in lf.assertions:
        counts[g.assertion.flow] += 1
    busiest = sorted(counts, key=lambda k: (-counts[k], k.label()))[:max_timelines]
    timelines = tuple(t for t in (timeline_view(lf, k) for k in busiest) if t.svg)
    forecasts = tuple(_forecast_views(lf, open_only=open_only))
    return FlowPanels(as_of, sankey, timelines, forecasts, len(lf.conflicts))
