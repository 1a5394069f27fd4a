"""Claims → assertions: classify into flows, read each figure's bounds and basis, merge restatements.

A restatement is the same figure (within :data:`SAME_FIGURE_TOLERANCE`) from the same attributor on
the same basis (status, cumulative or period, capacity-based or not, unit, compatible dates). Its
reports are kept together and count once: syndication is not corroboration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from armsledger.estimate import load_catalogue
from armsledger.flows.classes import ItemClasses
from armsledger.flows.records import Assertion, Basis, Bounds, FlowKey, Report
from armsledger.flows.sources import SourceTable
from armsledger.models import Period, Qualifier, Quantity, Status
from armsledger.store.sourced import SourcedClaim

# score.py's rule for "the same quantity": central values within 0.5% (eval/SCHEMA.md, Scoring).
SAME_FIGURE_TOLERANCE = 0.005

QualifierFactors = Mapping[Qualifier, tuple[float, float]]


@lru_cache(maxsize=1)
def period_cues() -> re.Pattern[str]:
    """The cues of ``basis.yaml`` that mark a figure as counting one period, as one pattern."""
    text = (resources.files("armsledger.flows") / "basis.yaml").read_text(encoding="utf-8")
    return re.compile("|".join(f"(?:{p})" for p in yaml.safe_load(text)["period_cues"]), re.IGNORECASE)


def qualifier_factors() -> QualifierFactors:
    """How a qualified count is read, shared with estimate/ (catalogue conventions.yaml, issue 3):
    "over N" → N … 1.3 N, "about N" → ±10 %, "up to N" → 0.7 N … N."""
    return load_catalogue().qualifier_factors


def basis_of(time: Period | None, evidence: str) -> Basis:
    """Period when the time has an end or the evidence names a rate or a bounded period."""
    if time is not None and time.end is not None:
        return Basis.PERIOD
    if period_cues().search(evidence):
        return Basis.PERIOD
    return Basis.CUMULATIVE


def bounds_of(q: Quantity, factors: QualifierFactors) -> Bounds:
    """Hard bounds the wording states, and the implied band under the project's qualifier convention."""
    if q.is_empty:
        return Bounds(None, None, None, None, None)
    if q.qualifier is Qualifier.RANGE or (q.value is None and q.low is not None and q.high is not None):
        low, high = float(q.low or 0), float(q.high or 0)
        return Bounds((low + high) / 2, low, high, low, high)
    value = q.central
    assert value is not None
    qualifier = q.qualifier or Qualifier.EXACT
    f_low, f_high = factors.get(qualifier, (1.0, 1.0))
    implied = (value * f_low, value * f_high)
    if qualifier is Qualifier.EXACT:
        return Bounds(value, value, value, value, value)
    if qualifier is Qualifier.APPROXIMATELY:
        return Bounds(value, implied[0], implied[1], *implied)
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return Bounds(value, value, None, value, implied[1])
    return Bounds(value, None, value, implied[0], value)  # up_to, less_than


def _direction(q: Quantity) -> str:
    if q.is_empty:
        return "none"
    return {
        Qualifier.AT_LEAST: "floor",
        Qualifier.MORE_THAN: "floor",
        Qualifier.UP_TO: "ceiling",
        Qualifier.LESS_THAN: "ceiling",
        Qualifier.APPROXIMATELY: "about",
        Qualifier.RANGE: "range",
    }.get(q.qualifier or Qualifier.EXACT, "exact")


def _same_figure(a: Bounds, b: Bounds) -> bool:
    if a.point is None or b.point is None:
        return a.point is None and b.point is None
    scale = max(abs(a.point), abs(b.point), 1e-9)
    return abs(a.point - b.point) <= SAME_FIGURE_TOLERANCE * scale


def _compatible(a: str | None, b: str | None) -> bool:
    # An outlet that drops "since September" restates the figure; two different dates do not.
    return a is None or b is None or a == b


def _time_compatible(a: Period | None, b: Period | None) -> bool:
    return _compatible(a.start if a else None, b.start if b else None) and _compatible(
        a.end if a else None, b.end if b else None
    )


@dataclass(slots=True)
class _Building:
    key: tuple[object, ...]
    direction: str
    first: SourcedClaim
    bounds: Bounds
    basis: Basis
    flow: FlowKey
    reports: list[SourcedClaim]
    time: Period | None


def _report(s: SourcedClaim) -> Report:
    c = s.claim
    return Report(
        claim_id=s.claim_id,
        document_id=s.document_public_id,
        published=s.published,
        outlet=s.outlet,
        url=s.url,
        origin=s.origin,
        item=c.item,
        evidence=c.evidence,
        span=(c.span.start, c.span.end) if c.span else None,
        restated=s.restated,
        outlets=s.outlets,
    )


def merge_assertions(
    claims: Iterable[SourcedClaim],
    classes: ItemClasses,
    sources: SourceTable,
    *,
    item_class: str | None = None,
    factors: QualifierFactors | None = None,
) -> list[Assertion]:
    """Group ``claims`` into assertions (only those of ``item_class`` when given), oldest first.

    Denied claims are not assertions of a transfer and are left out.
    """
    factors = factors if factors is not None else qualifier_factors()
    building: list[_Building] = []
    open_by_key: dict[tuple[object, ...], list[_Building]] = {}
    for s in sorted(claims, key=lambda x: (x.published, x.document_id, x.claim_id)):
        c = s.claim
        if c.status.value == "denied":
            continue
        cls = classes.classify(c.item, c.category)
        if item_class is not None and cls != item_class:
            continue
        source = sources.match(c.attribution, (c.supplier, c.recipient))
        basis = basis_of(c.time, c.evidence)
        flow = FlowKey(c.supplier, c.recipient, cls)
        key = (flow, source.id, c.status, basis, c.estimated, c.quantity.unit)
        bounds = bounds_of(c.quantity, factors)
        direction = _direction(c.quantity)
        match = next(
            (
                b
                for b in open_by_key.get(key, ())
                if b.direction == direction
                and _same_figure(b.bounds, bounds)
                and _time_compatible(b.time, c.time)
            ),
            None,
        )
        if match is not None:
            match.reports.append(s)
            if match.time is None or (c.time and not match.time.start):
                match.time = c.time or match.time
            continue
        new = _Building(key, direction, s, bounds, basis, flow, [s], c.time)
        building.append(new)
        open_by_key.setdefault(key, []).append(new)
    return [_finish(b, sources) for b in building]


def _finish(b: _Building, sources: SourceTable) -> Assertion:
    c = b.first.claim
    attribution = next((r.claim.attribution for r in b.reports if r.claim.attribution), None)
    source = sources.match(attribution, (c.supplier, c.recipient))
    return Assertion(
        id=b.first.claim_id,
        flow=b.flow,
        attribution=attribution,
        source=source,
        status=c.status,
        basis=b.basis,
        capacity_based=c.estimated,
        quantity=c.quantity,
        bounds=b.bounds,
        time=b.time,
        first_published=min(r.published for r in b.reports),
        last_published=max(r.last_published or r.published for r in b.reports),
        reports=tuple(_report(r) for r in b.reports),
        is_plan=c.status in (Status.EXPECTED, Status.PLEDGED),
    )


def flows_of(assertions: Sequence[Assertion]) -> list[FlowKey]:
    """The distinct flows of ``assertions``, in first-seen order."""
    return list(dict.fromkeys(a.flow for a in assertions))


def alternatives(assertions: Sequence[Assertion]) -> dict[str, str]:
    """Figures one statement gives as alternatives ("2 million 152mm or 400,000 122mm rounds").

    Within one report, the same attributor's capacity-based figures of one flow and status are
    readings of one quantity; the largest stands for them. Returns {alternative id: main id}.
    """
    out: dict[str, str] = {}
    groups: dict[tuple[object, ...], list[Assertion]] = {}
    for a in assertions:
        if not a.capacity_based or a.bounds.point is None:
            continue
        for r in a.reports:
            groups.setdefault((a.flow, a.status, a.source.family, r.document_id), []).append(a)
    for group in groups.values():
        if len(group) < 2:
            continue
        main = max(group, key=lambda a: (a.bounds.point or 0.0, a.id))
        for a in group:
            if a.id != main.id:
                out.setdefault(a.id, main.id)
    return out
