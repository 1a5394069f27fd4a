"""NATO Admiralty grading of assertions: source reliability A–F and information credibility 1–6.

Reliability comes from the source table (``sources.yaml``). Credibility follows AJP-2.1's scale from
what the ledger holds: 1 confirmed by two or more independent sources, 2 probably true (one), 3
possibly true (neither confirmed nor contradicted), 4 doubtful (contradicted by as reliable a source,
or more contradicted than confirmed), 5 improbable (contradicted by a more reliable source and
unconfirmed), 6 cannot be judged (no figure and nothing to compare).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence

from armsledger.flows.records import Assertion, Conflict, ConflictReason, Grade

# Independent restatements of one cumulative figure in the reference timeline come within two months
# of each other (ROK DIA >13,000 containers on 2024-08-27, ROK NIS >13,000 on 2024-10-22: 56 days).
# Checked by tests/flows/test_core.py::test_restatements_merge_but_other_attributors_stay_apart.
CORROBORATION_DAYS = 60
# Reasons that say two figures disagree about the facts; a different start date or a plan against an
# arrival explains a difference and contradicts neither.
CONTRADICTING = frozenset(
    {ConflictReason.ATTRIBUTOR, ConflictReason.COUNT, ConflictReason.CAPACITY_VS_CONTENT}
)


def _agree(a: Assertion, b: Assertion) -> bool:
    if a.bounds.point is None or b.bounds.point is None:
        return a.bounds.point is None and b.bounds.point is None
    lo_a, hi_a = a.bounds.implied_lower, a.bounds.implied_upper
    lo_b, hi_b = b.bounds.implied_lower, b.bounds.implied_upper
    if None in (lo_a, hi_a, lo_b, hi_b):
        return False
    assert lo_a is not None and hi_a is not None and lo_b is not None and hi_b is not None
    return lo_a <= hi_b and lo_b <= hi_a


def _kind(a: Assertion) -> tuple[object, ...]:
    return (a.flow, a.is_plan, a.basis, a.capacity_based, a.quantity.unit)


def _corroborates(a: Assertion, b: Assertion) -> bool:
    return (
        a.flow == b.flow
        and a.is_plan == b.is_plan
        and a.basis is b.basis
        and a.capacity_based == b.capacity_based
        and a.quantity.unit == b.quantity.unit
        and a.source.family != b.source.family
        and abs((a.first_published - b.first_published).days) <= CORROBORATION_DAYS
        and _agree(a, b)
    )


def grade_assertions(assertions: Sequence[Assertion], conflicts: Sequence[Conflict]) -> dict[str, Grade]:
    """The grade of each assertion (by id), judged against the others and the conflicts among them."""
    against: dict[str, list[Assertion]] = defaultdict(list)
    for conflict in conflicts:
        if conflict.reason in CONTRADICTING:
            against[conflict.first.id].append(conflict.second)
            against[conflict.second.id].append(conflict.first)
    grades: dict[str, Grade] = {}
    # Only assertions of the same kind within CORROBORATION_DAYS can corroborate: scan that window of
    # the date order of their kind.
    kinds: dict[tuple[object, ...], list[Assertion]] = defaultdict(list)
    for a in sorted(assertions, key=lambda x: x.first_published):
        kinds[_kind(a)].append(a)
    days = {k: [x.first_published.toordinal() for x in v] for k, v in kinds.items()}
    for a in assertions:
        day, kind = a.first_published.toordinal(), _kind(a)
        ordered = kinds[kind]
        window = ordered[
            bisect_left(days[kind], day - CORROBORATION_DAYS) : bisect_right(
                days[kind], day + CORROBORATION_DAYS
            )
        ]
        supporters = [b for b in window if b.id != a.id and _corroborates(a, b)]
        families = {b.source.family for b in supporters}
        contra = against.get(a.id, [])
        c, k = len(families), len(contra)
        better = [b for b in contra if b.source.reliability < a.source.reliability]
        if a.bounds.point is None and not c:
            credibility, why = 6, "no figure and no independent report to compare"
        elif k == 0 and c >= 2:
            credibility, why = 1, f"confirmed by {c} independent sources"
        elif k == 0 and c == 1:
            credibility, why = 2, "confirmed by one independent source"
        elif k == 0:
            credibility, why = 3, "neither confirmed nor contradicted by an independent source"
        elif c >= k:
            credibility, why = 3, f"confirmed by {c} and contradicted by {k} sources"
        elif c == 0 and better:
            credibility, why = 5, f"contradicted by a more reliable source ({better[0].source.name})"
        else:
            credibility, why = 4, f"contradicted by {k} source(s), confirmed by {c}"
        grades[a.id] = Grade(
            reliability=a.source.reliability,
            credibility=credibility,
            source=a.source,
            corroborated_by=tuple(b.id for b in supporters),
            contradicted_by=tuple(b.id for b in contra),
            why=f"{a.source.name}: {a.source.kind.replace('_', ' ')} ({a.source.reliability}); {why}",
        )
    return grades
