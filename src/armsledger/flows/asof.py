"""The as-of answer: a flow's best figure on a date, with a band and the assertions behind it.

Among cumulative statements of transfers that occurred (period figures are kept apart and used only
when there is no cumulative one), each assertion is weighted by its Admiralty grade and its age on the
as-of date; the heaviest is the best figure. The band spans the credible statements of the same kind
(capacity-based or counted) made within a month of it, read by the project's qualifier convention, and
never falls below a credible earlier floor: totals only grow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from armsledger.flows.assertions import QualifierFactors, alternatives, merge_assertions
from armsledger.flows.classes import ItemClasses, load_item_classes
from armsledger.flows.conflicts import CONTEMPORANEOUS_DAYS, find_conflicts
from armsledger.flows.grading import grade_assertions
from armsledger.flows.records import AsOfAnswer, Assertion, Band, Basis, Conflict, FlowKey, GradedAssertion
from armsledger.flows.sources import SourceTable, load_sources
from armsledger.models import Qualifier, Status
from armsledger.store.sourced import SourcedClaim

# Weights of the Admiralty letters and numbers in the choice of the best figure. They only order
# assertions: a grade step costs about as much as 1-2 months of age. F ("cannot be judged") sits
# between D and E. Tuned on tests/flows/test_dprk_fixture.py::test_containers_as_of_august_2024 and
# ::test_shells_as_of_august_2024_are_capacity_based.
RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.3}
CREDIBILITY_WEIGHT = {1: 1.0, 2: 0.9, 3: 0.75, 4: 0.5, 5: 0.25, 6: 0.4}
# Half-life of a cumulative statement's weight: a total three months old counts half. Cumulative
# figures in the reference timeline are superseded every 1-3 months (containers: 2023-10-13,
# 2023-12-29, 2024-02-23, 2024-05-20, 2024-06-14, 2024-08-27).
HALF_LIFE_DAYS = 90.0
CREDIBLE_RELIABILITY = frozenset("ABC")


def weight(a: Assertion, reliability: str, credibility: int, as_of: date) -> float:
    """Grade weight times 2^(-age / half-life), age counted from the assertion's latest report."""
    age = max(0, (as_of - a.last_published).days)
    return (
        RELIABILITY_WEIGHT.get(reliability, 0.3)
        * CREDIBILITY_WEIGHT.get(credibility, 0.4)
        * float(0.5 ** (age / HALF_LIFE_DAYS))
    )


def graded(assertions: Sequence[Assertion], as_of: date) -> tuple[list[GradedAssertion], list[Conflict]]:
    """Grade ``assertions`` against each other; also return their conflicts."""
    conflicts = find_conflicts(assertions)
    grades = grade_assertions(assertions, conflicts)
    out = [
        GradedAssertion(a, grades[a.id], weight(a, grades[a.id].reliability, grades[a.id].credibility, as_of))
        for a in assertions
    ]
    return out, conflicts


def _dominant_unit(items: Sequence[GradedAssertion]) -> str | None:
    units = Counter(g.assertion.quantity.unit for g in items)
    return units.most_common(1)[0][0] if units else None


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def answer(
    flow: FlowKey,
    assertions: Sequence[Assertion],
    as_of: date,
    *,
    label: str | None = None,
) -> AsOfAnswer:
    """The as-of answer for ``flow`` from its assertions (all reported on or before ``as_of``)."""
    mine = [a for a in assertions if a.flow == flow and a.first_published <= as_of]
    all_graded, conflicts = graded(mine, as_of)
    reasons: list[str] = []
    skip = alternatives(mine)
    if skip:
        reasons.append(f"{len(skip)} alternative reading(s) of one statement set aside for its main figure")
    figures = [
        g
        for g in all_graded
        if g.assertion.status is Status.OCCURRED
        and g.assertion.bounds.point is not None
        and g.assertion.id not in skip
    ]
    unit = _dominant_unit(figures)
    figures = [g for g in figures if g.assertion.quantity.unit == unit]
    cumulative = [g for g in figures if g.assertion.basis is Basis.CUMULATIVE]
    candidates = cumulative or [g for g in figures if g.assertion.basis is Basis.PERIOD]
    if not candidates:
        reasons.append("no occurred transfer with a figure reported by this date")
        return AsOfAnswer(
            flow,
            label or flow.item_class,
            as_of,
            Band(None, None, None),
            None,
            False,
            False,
            None,
            (),
            tuple(reasons),
            tuple(all_graded),
            tuple(conflicts),
        )
    chosen = max(
        candidates, key=lambda g: (g.weight, g.assertion.last_published, g.assertion.bounds.point or 0)
    )
    c = chosen.assertion
    basis = c.basis
    if not cumulative:
        reasons.append("no cumulative statement: the best figure counts one period only")
    runner_up = max((g for g in candidates if g is not chosen), key=lambda g: g.weight, default=None)
    reasons.append(
        f"heaviest {basis.value} statement: {_fmt(c.bounds.point)} by {c.source.name} "
        f"({c.first_published}, grade {chosen.grade.code}, weight {chosen.weight:.2f}"
        + (f" vs next {runner_up.weight:.2f} by {runner_up.assertion.source.name})" if runner_up else ")")
    )
    lower_bound = c.quantity.qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN)
    if lower_bound:
        reasons.append(
            f"stated as a floor ({c.quantity.qualifier.value if c.quantity.qualifier else ''}): the figure is a lower bound"
        )
    if c.capacity_based:
        reasons.append("capacity-based: an estimate of what carriers could hold, not a count of contents")

    same_kind = [
        g
        for g in candidates
        if g.assertion.capacity_based == c.capacity_based
        and g.assertion.basis is basis
        and (g is chosen or g.grade.reliability in CREDIBLE_RELIABILITY)
    ]
    around = [
        g
        for g in same_kind
        if abs((g.assertion.last_published - c.last_published).days) <= CONTEMPORANEOUS_DAYS
    ]
    lows = [g.assertion.bounds.implied_lower for g in around if g.assertion.bounds.implied_lower is not None]
    highs = [g.assertion.bounds.implied_upper for g in around if g.assertion.bounds.implied_upper is not None]
    value = c.bounds.point
    low = min(lows) if lows else value
    high = max(highs) if highs else value
    band_from = [g.assertion.id for g in around]
    if basis is Basis.CUMULATIVE and value is not None:
        floors = [
            (g.assertion.bounds.lower, g)
            for g in same_kind
            if g.assertion.first_published < c.first_published and g.assertion.bounds.lower is not None
        ]
        if floors:
            floor, by = max(floors, key=lambda f: f[0] or 0)
            assert floor is not None
            floor = min(floor, value)
            if low is None or floor > low:
                low = floor
                band_from.append(by.assertion.id)
                reasons.append(
                    f"low raised to an earlier credible floor of {_fmt(floor)} ({by.assertion.source.name}): totals only grow"
                )
    if len(around) > 1:
        reasons.append(f"band spans {len(around)} credible statements within {CONTEMPORANEOUS_DAYS} days")
    return AsOfAnswer(
        flow=flow,
        label=label or flow.item_class,
        as_of=as_of,
        best=Band(low, value, high),
        basis=basis,
        capacity_based=c.capacity_based,
        lower_bound=lower_bound,
        chosen=chosen,
        band_from=tuple(dict.fromkeys(band_from)),
        reasons=tuple(reasons),
        assertions=tuple(all_graded),
        conflicts=tuple(conflicts),
    )


def as_of_answer(
    claims: Sequence[SourcedClaim],
    flow: FlowKey,
    as_of: date,
    *,
    classes: ItemClasses | None = None,
    sources: SourceTable | None = None,
    factors: QualifierFactors | None = None,
) -> AsOfAnswer:
    """Merge ``claims`` (any flows; those of ``flow`` reported by ``as_of`` are used) and answer."""
    classes = classes or load_item_classes()
    sources = sources or load_sources()
    mine = [
        s
        for s in claims
        if s.published <= as_of and s.claim.supplier == flow.supplier and s.claim.recipient == flow.recipient
    ]
    assertions = merge_assertions(mine, classes, sources, item_class=flow.item_class, factors=factors)
    return answer(flow, assertions, as_of, label=classes.label(flow.item_class))
