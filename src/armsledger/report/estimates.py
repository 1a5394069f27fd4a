"""Renderers for estimates: rich tables for the terminal, an inline-SVG histogram and views for the HTML report.

They read the JSON form of a result (``EstimateResult.to_dict()``, also what the ledger stores), so a
fresh estimate and a stored one render the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from armsledger.estimate.catalogue import Catalogue, Prior
from armsledger.store.records import StoredEstimate

VERDICT_STYLES = {"plausible": "green", "upper bound": "yellow", "implausible": "bold red"}
SENSITIVITY_ROWS = 8
# Histogram geometry (SVG user units); the viewBox scales it to the page width.
_W, _H = 640, 210
_LEFT, _RIGHT, _TOP, _BOTTOM = 14, 14, 30, 38


def format_rounds(value: float | None) -> str:
    """A count of rounds at the precision an estimate supports: "12.3 million", "448,000", "429"."""
    if value is None:
        return "—"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} million" if abs(value) < 1e7 else f"{value / 1e6:,.1f} million"
    if abs(value) >= 1e4:
        return f"{round(value, -3):,.0f}"
    return f"{value:,.0f}"


def _range(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return f"{format_rounds(low)} – {format_rounds(high)}"


def _carrier_line(result: Mapping[str, Any]) -> str:
    query = result["query"]
    carriers = query["carriers"]
    count = carriers["value"]
    qualifier = {"approximately": "about ", "more_than": "over ", "at_least": "at least ", "up_to": "up to "}
    stated = (
        f"{carriers['low']:,.0f}–{carriers['high']:,.0f}"
        if count is None
        else f"{qualifier.get(carriers['qualifier'], '')}{count:,.0f}"
    )
    mix = ", ".join(
        m["munition"] if m["share"] == 1 else f"{m['munition']} {m['share']:.0%}" for m in query["mix"]
    )
    return f"{stated} × {carriers['carrier']} as {mix}"


def estimate_renderable(result: Mapping[str, Any], *, title: str | None = None) -> Group:
    """The three conventions side by side, the check, the sensitivity ranking and the assumptions."""
    query = result["query"]
    official, physical, empirical = result["official"], result["physical"], result["empirical"]
    per = result["per_carrier"]
    heading = Text(title or f"Estimate: {_carrier_line(result)}", style="bold")
    heading.append(f"   ({query['draws']:,} draws, seed {query['seed']})", style="dim")

    conventions = Table(title="Rounds under each convention", title_justify="left", expand=False)
    conventions.add_column("Convention", style="bold")
    conventions.add_column("Total rounds", justify="right")
    conventions.add_column("Per carrier", justify="right")
    conventions.add_column("Basis")
    calibration = "; ".join(
        f"{c['munition']}: {c['per_container']:,.0f}/container"
        + (" (extrapolated by mass)" if c["extrapolated"] else f" from {len(c['statements'])} statements")
        for c in official["calibration"]
    )
    conventions.add_row(
        "official", format_rounds(official["value"]), f"{official['per_carrier']:,.0f}", calibration
    )
    pp = per["physical"]
    conventions.add_row(
        "physical p5 · p50 · p95",
        " · ".join(format_rounds(physical[k]) for k in ("p5", "p50", "p95")),
        " · ".join(f"{pp[k]:,.0f}" for k in ("p5", "p50", "p95")),
        f"mean {format_rounds(physical['mean'])}; payload and volume limits over the catalogue",
    )
    conventions.add_row(
        "empirical low – high",
        _range(empirical["low"], empirical["high"]),
        _range(empirical["per_carrier_low"], empirical["per_carrier_high"]),
        "; ".join(a["actor"] for a in empirical["analyses"]) or (empirical.get("note") or ""),
    )
    conventions.add_row("physical ceiling", "", f"{per['ceiling']:,.0f}", per["ceiling_reason"])

    parts: list[Any] = [heading, conventions]
    check = result.get("check")
    if check:
        verdict = Text(check["verdict"].upper(), style=VERDICT_STYLES.get(check["verdict"], ""))
        body = Text.assemble(
            "implied ",
            (f"{check['implied_per_carrier']:,.0f}", "bold"),
            f" per carrier (percentile {check['percentile']:.0f} of the physical distribution): ",
            verdict,
            "\n",
            check["reason"],
        )
        parts.append(Panel(body, title="Check of the reported conversion", title_align="left"))

    ranking = Table(title="What drives the spread (rank correlation with the total)", title_justify="left")
    ranking.add_column("Assumption")
    ranking.add_column("ρ", justify="right")
    ranking.add_column("", no_wrap=True)
    for s in result["sensitivity"][:SENSITIVITY_ROWS]:
        rho = s["rank_correlation"]
        bar = Text("█" * round(abs(rho) * 20), style="green" if rho > 0 else "red")
        label = s["label"] + ("  [UNVERIFIED]" if s["unverified"] else "")
        ranking.add_row(label, f"{rho:+.2f}", bar)
    parts.append(ranking)

    assumptions = Table(title="Assumptions (UNVERIFIED: a prior, not a sourced figure)", title_justify="left")
    assumptions.add_column("Input")
    assumptions.add_column("Range", justify="right")
    assumptions.add_column("Status")
    for a in result["assumptions"]:
        status = Text("UNVERIFIED", style="yellow") if a["unverified"] else Text("sourced", style="dim")
        assumptions.add_row(a["label"], _span(a), status)
    parts.append(assumptions)
    if result.get("notes"):
        parts.append(Text("\n".join(f"note: {n}" for n in result["notes"]), style="dim"))
    return Group(*parts)


def _span(a: Mapping[str, Any]) -> str:
    unit = "" if a["unit"] in ("", "share", "×", "carriers") else f" {a['unit']}"
    if a["unit"] == "share":
        return f"{a['low']:.0%} – {a['high']:.0%}"
    if a["low"] == a["high"]:
        return f"{a['low']:,g}{unit}"
    return f"{a['low']:,g} – {a['high']:,g}{unit}"


def _prior_cell(prior: Prior | None) -> Text:
    if prior is None:
        return Text("—", style="dim")
    unit = "" if prior.unit in ("", "×", "share") else f" {prior.unit}"
    text = Text(f"{prior.low:,g}–{prior.high:,g}{unit}" if not prior.is_constant else f"{prior.low:,g}{unit}")
    if prior.unverified:
        text.append("*", style="yellow")
    return text


def catalogue_renderable(catalogue: Catalogue) -> Group:
    """``armsledger estimate --list``: munitions, carriers and the published conventions."""
    munitions = Table(title="Munitions (--as / --mix)", title_justify="left")
    for column in ("id", "name", "mass", "packaging ×", "box volume", "box length", "aliases"):
        munitions.add_column(column)
    for m in catalogue.munitions.values():
        munitions.add_row(
            Text(m.id, style="bold"),
            m.name,
            _prior_cell(m.mass),
            _prior_cell(m.packaging),
            _prior_cell(m.packed_volume),
            _prior_cell(m.packed_length),
            ", ".join(m.aliases[:4]),
        )
    carriers = Table(title="Carriers", title_justify="left")
    for column in ("id", "name", "payload", "volume", "holds", "aliases"):
        carriers.add_column(column)
    for c in catalogue.carriers.values():
        holds = Text("")
        if c.holds is not None:
            holds = _prior_cell(c.holds.count)
            holds.append(f" × {c.holds.carrier}")
        carriers.add_row(
            Text(c.id, style="bold"),
            c.name,
            _prior_cell(c.payload),
            _prior_cell(c.internal_volume),
            holds,
            ", ".join(c.aliases[:5]),
        )
    statements = Table(title=catalogue.official.label, title_justify="left")
    for column in ("date", "actor", "containers", "rounds", "munition", "per container", "calibrates"):
        statements.add_column(column)
    for s in catalogue.official.statements:
        statements.add_row(
            s.date,
            s.actor,
            f"{s.carriers:,}",
            f"{s.rounds:,}",
            s.munition,
            f"{s.ratio:,.0f}",
            "yes" if s.calibrate else "",
        )
    analyses = Table(title=catalogue.empirical.label, title_justify="left")
    for column in ("analysis", "finding", "per carrier", "applies to"):
        analyses.add_column(column)
    for a in catalogue.empirical.analyses:
        ratio = (
            f"{a.kg_per_round:.1f} kg per round"
            if a.kg_per_round is not None
            else f"{a.per_carrier_low:,.0f}–{a.per_carrier_high:,.0f} per {a.carrier}"
        )
        analyses.add_row(a.actor, a.description, ratio, ", ".join(a.applies_to))
    legend = Text(
        "* UNVERIFIED in the reference facts: a wide prior, listed under assumptions", style="yellow"
    )
    return Group(munitions, carriers, statements, analyses, legend)


def _prior_dict(prior: Prior) -> dict[str, Any]:
    return {
        "low": prior.low,
        "high": prior.high,
        "point": prior.point,
        "unit": prior.unit,
        "unverified": prior.unverified,
        "note": prior.note,
        "sources": list(prior.sources),
    }


def catalogue_dict(catalogue: Catalogue) -> dict[str, Any]:
    """``armsledger estimate --list --format json``: the whole catalogue with every source."""
    return {
        "munitions": [
            {
                "id": m.id,
                "name": m.name,
                "kind": m.kind,
                "calibre_mm": m.calibre_mm,
                "reference": m.ref,
                "aliases": list(m.aliases),
                "note": m.note,
                "values": {p.name.split(".", 1)[1]: _prior_dict(p) for p in m.priors()},
            }
            for m in catalogue.munitions.values()
        ],
        "carriers": [
            {
                "id": c.id,
                "name": c.name,
                "reference": c.ref,
                "aliases": list(c.aliases),
                "note": c.note,
                "holds": {"carrier": c.holds.carrier, "count": _prior_dict(c.holds.count)}
                if c.holds
                else None,
                "values": {
                    p.name.split(".", 1)[1]: _prior_dict(p) for p in c.priors() if ".holds." not in p.name
                },
            }
            for c in catalogue.carriers.values()
        ],
        "loading": {p.name.split(".", 1)[1]: _prior_dict(p) for p in catalogue.loading.priors()},
        "qualifiers": {
            "basis": catalogue.qualifier_basis,
            "factors": {q.value: list(f) for q, f in catalogue.qualifier_factors.items()},
        },
        "official": {
            "label": catalogue.official.label,
            "carrier": catalogue.official.carrier,
            "statements": [
                {
                    "id": s.id,
                    "date": s.date,
                    "actor": s.actor,
                    "carriers": s.carriers,
                    "rounds": s.rounds,
                    "munition": s.munition,
                    "per_carrier": round(s.ratio, 1),
                    "calibrate": s.calibrate,
                    "sources": list(s.sources),
                }
                for s in catalogue.official.statements
            ],
        },
        "empirical": {
            "label": catalogue.empirical.label,
            "analyses": [
                {
                    "id": a.id,
                    "actor": a.actor,
                    "description": a.description,
                    "carrier": a.carrier,
                    "per_carrier_low": a.per_carrier_low,
                    "per_carrier_high": a.per_carrier_high,
                    "kg_per_round": a.kg_per_round,
                    "applies_to": list(a.applies_to),
                    "sources": list(a.sources),
                }
                for a in catalogue.empirical.analyses
            ],
        },
    }


# -- HTML ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical line on the histogram at ``value`` with a short label."""

    value: float
    label: str
    css: str


def _tick_label(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.1f}M" if value < 1e7 else f"{value / 1e6:.0f}M"
    if value >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:.0f}"


def histogram_svg(
    edges: Sequence[float],
    counts: Sequence[int],
    *,
    markers: Sequence[Marker] = (),
    band: tuple[float, float] | None = None,
    title: str = "",
) -> Markup:
    """An inline SVG histogram (no script, no external resource); markers outside the axis are clamped."""
    if len(edges) != len(counts) + 1 or not counts:
        return Markup("")
    lo, hi = float(edges[0]), float(edges[-1])
    for m in markers:
        lo, hi = min(lo, m.value), max(hi, m.value)
    span = (hi - lo) or 1.0
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    top = max(counts) or 1

    def x(value: float) -> float:
        return _LEFT + (value - lo) / span * plot_w

    out = [
        f'<svg class="histogram" viewBox="0 0 {_W} {_H}" role="img" xmlns="http://www.w3.org/2000/svg"'
        f' aria-label="{escape(title, {chr(34): "&quot;"})}">',
        f"<title>{escape(title)}</title>",
    ]
    if band is not None:
        out.append(
            f'<rect class="band" x="{x(band[0]):.1f}" y="{_TOP}" width="{max(x(band[1]) - x(band[0]), 1):.1f}"'
            f' height="{plot_h}"/>'
        )
    for left, right, n in zip(edges[:-1], edges[1:], counts, strict=True):
        h = n / top * plot_h
        out.append(
            f'<rect class="bar" x="{x(left):.1f}" y="{_TOP + plot_h - h:.1f}"'
            f' width="{max(x(right) - x(left) - 0.6, 0.5):.1f}" height="{h:.1f}"/>'
        )
    base = _TOP + plot_h
    out.append(f'<line class="axis" x1="{_LEFT}" y1="{base}" x2="{_W - _RIGHT}" y2="{base}"/>')
    for i in range(5):
        value = lo + span * i / 4
        out.append(
            f'<text class="tick" x="{x(value):.1f}" y="{base + 14}" text-anchor="middle">{_tick_label(value)}</text>'
        )
    for i, m in enumerate(markers):
        mx = x(m.value)
        anchor = "end" if mx > _W * 0.75 else "start"
        dx = -4 if anchor == "end" else 4
        out.append(
            f'<line class="marker {escape(m.css)}" x1="{mx:.1f}" y1="{_TOP - 4}" x2="{mx:.1f}" y2="{base}"/>'
        )
        # Labels alternate above the plot and below the axis so two close markers do not overlap.
        y = _TOP - 8 if i % 2 == 0 else base + 30
        out.append(
            f'<text class="mlabel {escape(m.css)}" x="{mx + dx:.1f}" y="{y}"'
            f' text-anchor="{anchor}">{escape(m.label)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True, slots=True)
class EstimateView:
    """One stored estimate, formatted for the HTML report."""

    anchor: str
    heading: str
    document_title: str
    published: str
    carrier_claim_id: str
    ammunition_claim_id: str
    munition_basis: str
    verdict: str
    verdict_class: str
    reason: str
    rows: tuple[tuple[str, str, str], ...]  # convention, total, per carrier
    drivers: tuple[str, ...]
    unverified: int
    svg: Markup


def _stated(count: Mapping[str, Any]) -> str:
    """A stored count as the report wrote it: "about 28,000", "over 12,000,000", "3,000–5,000"."""
    words = {"approximately": "about ", "more_than": "over ", "at_least": "at least ", "up_to": "up to "}
    if count.get("value") is None and count.get("low") is not None:
        return f"{count['low']:,.0f}–{count['high']:,.0f}"
    value = count.get("value")
    return f"{words.get(count.get('qualifier') or '', '')}{value:,.0f}" if value is not None else ""


def estimate_view(stored: StoredEstimate) -> EstimateView:
    """The report's view of a stored estimate: conventions, check, main drivers and the histogram."""
    r, inputs = stored.result, stored.inputs
    official, physical, empirical, per = r["official"], r["physical"], r["empirical"], r["per_carrier"]
    check = r.get("check") or {}
    ammo, carrier = inputs.get("ammunition", {}), inputs.get("carrier", {})
    reported = check.get("rounds")
    munitions = ", ".join(m["munition"] for m in r["query"]["mix"])
    heading = (
        f"{_stated(carrier)} {carrier.get('item', r['query']['carriers']['carrier'])}"
        f" → {_stated(ammo)} {ammo.get('item', 'rounds')} (estimated as {munitions})"
        if carrier and ammo
        else _carrier_line(r)
    )
    markers = [Marker(float(official["value"]), f"official {format_rounds(official['value'])}", "official")]
    if reported and abs(reported - official["value"]) > 0.01 * reported:
        markers.append(Marker(float(reported), f"reported {format_rounds(reported)}", "reported"))
    hist = r.get("histogram", {})
    svg = histogram_svg(
        hist.get("edges", []),
        hist.get("counts", []),
        markers=markers,
        band=(physical["p5"], physical["p95"]),
        title=f"Physical distribution of the total, {r['query']['draws']:,} draws",
    )
    rows = (
        ("official", format_rounds(official["value"]), f"{official['per_carrier']:,.0f}"),
        (
            "physical p5 – p95 (p50)",
            f"{_range(physical['p5'], physical['p95'])} ({format_rounds(physical['p50'])})",
            f"{per['physical']['p5']:,.0f} – {per['physical']['p95']:,.0f}",
        ),
        (
            "empirical",
            _range(empirical["low"], empirical["high"]),
            _range(empirical["per_carrier_low"], empirical["per_carrier_high"]),
        ),
        ("physical ceiling", "", f"{per['ceiling']:,.0f}"),
    )
    verdict = check.get("verdict", "")
    return EstimateView(
        anchor=f"estimate-{stored.id}",
        heading=heading,
        document_title=stored.document_title or stored.document_public_id,
        published=stored.document_published.isoformat() if stored.document_published else "undated",
        carrier_claim_id=stored.carrier_claim_id,
        ammunition_claim_id=stored.ammunition_claim_id,
        munition_basis=str(inputs.get("munition_basis", "")),
        verdict=verdict,
        verdict_class=verdict.replace(" ", "-"),
        reason=check.get("reason", ""),
        rows=rows,
        drivers=tuple(f"{s['label']} ({s['rank_correlation']:+.2f})" for s in r.get("sensitivity", [])[:3]),
        unverified=sum(1 for a in r.get("assumptions", []) if a.get("unverified")),
        svg=svg,
    )
