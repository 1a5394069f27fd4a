"""Parsers of numbers and dates: examples and properties (hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from armsledger.extract.dates import find_dates
from armsledger.extract.numbers import find_quantities, parse_number
from armsledger.models import Qualifier


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("over 12 million shells", 12_000_000, Qualifier.MORE_THAN),
        ("approximately 28,000 containers", 28_000, Qualifier.APPROXIMATELY),
        ("at least 3,000 soldiers", 3_000, Qualifier.AT_LEAST),
        ("as many as 12,000 troops", 12_000, Qualifier.UP_TO),
        ("fewer than 500 advisers", 500, Qualifier.LESS_THAN),
        ("half a million shells", 500_000, Qualifier.EXACT),
        ("1.2m rounds", 1_200_000, Qualifier.EXACT),
        ("5K drones", 5_000, Qualifier.EXACT),
        ("two dozen tanks", 24, Qualifier.EXACT),
        ("twenty-five launchers", 25, Qualifier.EXACT),
        ("5,000-plus troops", 5_000, Qualifier.AT_LEAST),
    ],
)
def test_quantities(text: str, value: int, qualifier: Qualifier) -> None:
    q = find_quantities(text)[0]
    assert (q.value, q.qualifier, q.kind) == (value, qualifier, "count")


def test_range_and_non_counts() -> None:
    (r,) = find_quantities("between 3,000 and 5,000 troops")
    assert (r.low, r.high, r.qualifier) == (3_000, 5_000, Qualifier.RANGE)
    (r2,) = find_quantities("3 to 5 million shells")
    assert (r2.low, r2.high) == (3_000_000, 5_000_000)
    kinds = {q.kind for q in find_quantities("6,500 500-pound bombs, 30% of output and $400 million in aid")}
    assert kinds == {"count", "modifier", "percent"}
    assert find_quantities("152mm shells") == []
    (u,) = find_quantities("76,000 tons of equipment")
    assert (u.kind, u.unit) == ("unit", "tonne")
    (b,) = find_quantities("a package built around four launchers")
    assert b.qualifier is Qualifier.EXACT


@given(st.integers(min_value=1, max_value=10**9))
def test_digits_with_separators_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert find_quantities(f"sent {n:,} shells")[0].value == n


@pytest.mark.parametrize(
    ("text", "future", "start", "end"),
    [
        ("may be sent in July or August", True, "2025-07", "2025-08"),
        ("began around October last year", False, "2024-10", None),
        ("since July last year", False, "2024-07", None),
        ("between Sept. 7 and Oct. 1", False, "2024-09-07", "2024-10-01"),
        ("since November 2024", False, "2024-11", None),
        ("since mid-2022", False, "2022", None),
        ("the handover took place on Tuesday", False, "2025-07-08", None),
        ("by the end of the year", True, None, "2025-12"),
        ("between March and October last year", False, "2024-03", "2024-10"),
    ],
)
def test_dates_resolve_against_publication(
    text: str, future: bool, start: str | None, end: str | None
) -> None:
    d = find_dates(text, date(2025, 7, 13), future=future)[0]
    assert (d.start, d.end) == (start, end)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2049, 12, 31)))
def test_last_year_is_the_year_before_publication(published: date) -> None:
    d = find_dates("delivered last year", published)[0]
    assert d.start == str(published.year - 1)
