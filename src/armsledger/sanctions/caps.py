"""Quantity caps (the DPRK refined-petroleum and crude-oil ceilings): a flow engages a cap when the
claims show more than the cap allows in one cap period.

A claim counts by the smallest amount its wording allows ("more than 1 million" counts 1 million, a
range its low end; "up to" and "fewer than" prove nothing and are skipped). A claim whose period
spans several cap periods is compared with the cap times that many periods. Claims within one period
are added up only when their periods do not overlap: overlapping figures may be restatements of one
delivery, so of those only the largest set of disjoint ones is summed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from armsledger.models import Qualifier, Quantity, Status
from armsledger.sanctions.assemble import Context, build_finding
from armsledger.sanctions.matching import Match, match
from armsledger.sanctions.records import Cap, CapLimit, Finding, Provision, Regime
from armsledger.store.records import StoredClaim


def lower_bound(quantity: Quantity) -> float | None:
    """The least amount the claim's wording allows, or None when it proves no minimum."""
    if quantity.qualifier in (Qualifier.UP_TO, Qualifier.LESS_THAN):
        return None
    if quantity.value is not None:
        return float(quantity.value)
    return float(quantity.low) if quantity.low is not None else None


def _add_months(day: date, months: int) -> date:
    years, month0 = divmod(day.month - 1 + months, 12)
    return date(day.year + years, month0 + 1, day.day)  # anchors are on day 1-28 (validated)


def period_index(cap: Cap, day: date) -> int:
    """Which cap period ``day`` falls in (0 = the one starting at the anchor; earlier ones negative)."""
    anchor = cap.period_anchor
    months = (day.year - anchor.year) * 12 + day.month - anchor.month - (1 if day.day < anchor.day else 0)
    return months // cap.period_months


def period_label(cap: Cap, index: int) -> str:
    start = _add_months(cap.period_anchor, index * cap.period_months)
    end = _add_months(cap.period_anchor, (index + 1) * cap.period_months) - timedelta(days=1)
    if cap.period_months == 12 and (start.month, start.day) == (1, 1):
        return str(start.year)
    return f"{start.isoformat()} to {end.isoformat()}"


@dataclass(frozen=True, slots=True)
class _Amount:
    match: Match
    amount: float
    limit: CapLimit
    earliest: date
    latest: date
    first: int  # first and last cap period the claim's period touches
    last: int


def _amount(m: Match, cap: Cap) -> _Amount | None:
    quantity = m.stored.claim.quantity
    limit = cap.limit_for(quantity.unit)
    amount = lower_bound(quantity)
    earliest = m.span.earliest or m.span.latest
    latest = m.span.latest or m.span.earliest
    if limit is None or amount is None or earliest is None or latest is None:
        return None
    return _Amount(m, amount, limit, earliest, latest, period_index(cap, earliest), period_index(cap, latest))


def _disjoint_best(amounts: Sequence[_Amount]) -> list[_Amount]:
    """The set of claims with pairwise disjoint periods whose amounts add up most (interval scheduling)."""
    ordered = sorted(amounts, key=lambda a: (a.latest, a.earliest))
    best: list[tuple[float, list[_Amount]]] = [(0.0, [])]
    for i, a in enumerate(ordered):
        j = max((k for k in range(i) if ordered[k].latest < a.earliest), default=-1)
        take = (best[j + 1][0] + a.amount, [*best[j + 1][1], a])
        best.append(take if take[0] > best[i][0] else best[i])
    return best[-1][1]


def _units(amount: float, unit: str) -> str:
    return f"{amount:,.0f} {unit}s"


def evaluate_cap(
    provision: Provision, regime: Regime, claims: Sequence[StoredClaim], ctx: Context
) -> list[Finding]:
    """Findings for each flow whose claims exceed ``provision``'s cap in some period."""
    cap = provision.cap
    if cap is None:
        return []
    groups: dict[tuple[str | None, str | None, Status], list[_Amount]] = defaultdict(list)
    for stored in claims:
        m = match(provision, stored, ctx.classes[stored.claim_id])
        if m is None or (a := _amount(m, cap)) is None:
            continue
        claim = stored.claim
        groups[(claim.supplier, claim.recipient, claim.status)].append(a)

    findings = []
    for (_, _, status), amounts in groups.items():
        chosen: dict[str, _Amount] = {}
        notes: list[str] = []
        for a in amounts:
            periods = a.last - a.first + 1
            allowed = a.limit.amount * periods
            if a.amount > allowed:
                chosen[a.match.stored.claim_id] = a
                span = period_label(cap, a.first) if periods == 1 else f"{periods} cap periods"
                notes.append(
                    f"{span}: one claim alone reports at least {_units(a.amount, a.limit.unit)}, "
                    f"above the cap of {_units(allowed, a.limit.unit)}"
                )
        buckets: dict[tuple[int, str], list[_Amount]] = defaultdict(list)
        for a in amounts:
            if a.first == a.last:
                buckets[(a.first, a.limit.unit)].append(a)
        for (index, unit), bucket in sorted(buckets.items()):
            subset = _disjoint_best(bucket)
            total = sum(a.amount for a in subset)
            limit = subset[0].limit.amount if subset else 0.0
            if len(subset) > 1 and total > limit:
                chosen.update({a.match.stored.claim_id: a for a in subset})
                notes.append(
                    f"{period_label(cap, index)}: {len(subset)} claims for separate periods add up to at least "
                    f"{_units(total, unit)}, above the cap of {_units(limit, unit)}"
                )
        if chosen:
            matches = [a.match for a in chosen.values()]
            findings.append(build_finding(provision, regime, status, matches, ctx, notes=notes))
    return findings
