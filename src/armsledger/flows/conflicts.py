"""Conflicts: pairs of assertions of one flow that cannot both hold, each with a reason.

Cumulative totals only grow, so a later total below an earlier stated floor contradicts it; figures
stated within :data:`CONTEMPORANEOUS_DAYS` of each other must also overlap. A plan and an arrival
reported together conflict when the arrival falls short of the plan. The reason names the most
specific explanation: different start dates, capacity against content, different attributors, or one
attributor contradicting itself (``count``).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from armsledger.flows.assertions import alternatives
from armsledger.flows.records import Assertion, Basis, Conflict, ConflictReason

# Paired statements in the reference timeline (../shared/reference/dprk-russia-timeline.md) answer
# each other within days: US >10,000 containers (2024-02-23) vs ROK ~6,700 (2024-02-26); NIS 1,500
# arrived vs 12,000 planned (same day, 2024-10-18); Zelensky's 10,000 planned (2024-10-17) vs NIS ~3,000
# moved (2024-10-23). A month covers them with margin while totals months apart, which may grow,
# are only compared by the growth rule. Checked by tests/flows/test_dprk_fixture.py::test_february_2024_conflict and
# ::test_plan_vs_arrival_conflict_for_troops.
CONTEMPORANEOUS_DAYS = 30


def _days(a: Assertion, b: Assertion) -> int:
    return abs((b.first_published - a.first_published).days)


def _shared_report(a: Assertion, b: Assertion) -> bool:
    return bool({r.document_id for r in a.reports} & {r.document_id for r in b.reports})


def _reason(a: Assertion, b: Assertion) -> ConflictReason:
    a_start = a.time.start if a.time else None
    b_start = b.time.start if b.time else None
    if a_start and b_start and a_start != b_start:
        return ConflictReason.START_DATE
    if a.capacity_based != b.capacity_based:
        return ConflictReason.CAPACITY_VS_CONTENT
    if a.source.family != b.source.family:
        return ConflictReason.ATTRIBUTOR
    return ConflictReason.COUNT


def _fmt(x: float) -> str:
    return f"{x:,.0f}"


def _plan_vs_arrival(a: Assertion, b: Assertion) -> Conflict | None:
    plan, arrival = (a, b) if a.is_plan else (b, a)
    if _days(a, b) > CONTEMPORANEOUS_DAYS:
        return None
    planned, arrived = plan.bounds.implied_lower, arrival.bounds.implied_upper
    if planned is None or arrived is None or arrived >= planned:
        return None
    return Conflict(
        ConflictReason.PLAN_VS_ARRIVAL,
        plan,
        arrival,
        f"planned at least {_fmt(planned)} but at most {_fmt(arrived)} reported arrived "
        f"({plan.first_published} vs {arrival.first_published})",
    )


def _occurred(a: Assertion, b: Assertion) -> Conflict | None:
    # a is the earlier statement
    if a.basis is not b.basis:
        return None
    if a.source.family == b.source.family and _shared_report(a, b):
        return None  # alternatives in one statement ("2 million 152mm or 400,000 122mm rounds")
    if a.basis is Basis.PERIOD:
        if (a.time or None) != (b.time or None):
            return None
        clash = (
            a.bounds.upper is not None and b.bounds.lower is not None and a.bounds.upper < b.bounds.lower
        ) or (b.bounds.upper is not None and a.bounds.lower is not None and b.bounds.upper < a.bounds.lower)
        why = "the same period counted with figures that do not overlap"
    else:
        shrinks = (
            b.bounds.upper is not None and a.bounds.lower is not None and b.bounds.upper < a.bounds.lower
        )
        jumps = (
            _days(a, b) <= CONTEMPORANEOUS_DAYS
            and a.bounds.upper is not None
            and b.bounds.lower is not None
            and a.bounds.upper < b.bounds.lower
        )
        clash = shrinks or jumps
        why = (
            "a later total below an earlier stated floor"
            if shrinks
            else f"totals stated within {CONTEMPORANEOUS_DAYS} days that do not overlap"
        )
    if not clash:
        return None
    return Conflict(_reason(a, b), a, b, f"{why} ({a.first_published} vs {b.first_published})")


def _distant(earlier: Sequence[Assertion], b: Assertion) -> list[Conflict]:
    """Conflicts of ``b`` with statements made before the contemporaneous window.

    A total below an earlier floor is reported against the latest such floor of each source family
    (the most recent word of each source, not every older restatement of it).
    """
    if b.is_plan:
        return []
    latest: dict[str, Assertion] = {}
    for a in earlier:
        if a.is_plan or a.flow != b.flow or a.basis is not b.basis or a.quantity.unit != b.quantity.unit:
            continue
        if b.basis is Basis.PERIOD:
            if a.time == b.time:
                latest[a.id] = a
        elif b.bounds.upper is not None and a.bounds.lower is not None and b.bounds.upper < a.bounds.lower:
            latest[a.source.family] = a
    out = []
    for a in latest.values():
        found = _occurred(a, b)
        if found is not None:
            out.append(found)
    return out


def find_conflicts(assertions: Sequence[Assertion]) -> list[Conflict]:
    """Conflicting pairs among ``assertions`` (same flow, both with a figure), oldest pair first."""
    # An alternative reading of one statement is not a second claim: compare its main figure only.
    skip = alternatives(assertions)
    dated = sorted(
        (a for a in assertions if a.bounds.point is not None and a.id not in skip),
        key=lambda a: (a.first_published, a.id),
    )
    days = [a.first_published.toordinal() for a in dated]
    # Highest stated floor among occurred cumulative totals before each position, per flow and unit:
    # a total at or above it cannot fall below any earlier floor, so the scan of older ones is skipped.
    floor_so_far: list[dict[tuple[object, ...], float]] = []
    running: dict[tuple[object, ...], float] = {}
    for a in dated:
        floor_so_far.append(dict(running))
        if not a.is_plan and a.basis is Basis.CUMULATIVE and a.bounds.lower is not None:
            key = (a.flow, a.quantity.unit)
            running[key] = max(running.get(key, a.bounds.lower), a.bounds.lower)
    out: list[Conflict] = []
    for j, b in enumerate(dated):
        start = bisect_left(days, days[j] - CONTEMPORANEOUS_DAYS)
        floor = floor_so_far[start].get((b.flow, b.quantity.unit)) if start < len(dated) else None
        below = b.bounds.upper is not None and floor is not None and b.bounds.upper < floor
        if start and (b.basis is Basis.PERIOD or below):
            out.extend(_distant(dated[:start], b))
        for a in dated[start:j]:
            if a.flow != b.flow or a.quantity.unit != b.quantity.unit or (a.is_plan and b.is_plan):
                continue
            found = _plan_vs_arrival(a, b) if a.is_plan != b.is_plan else _occurred(a, b)
            if found is not None:
                out.append(found)
    out.sort(key=lambda c: (c.first.first_published, c.second.first_published, c.first.id, c.second.id))
    return out
