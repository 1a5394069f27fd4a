"""Forecasts: expected and pledged transfers, the window they name, and how later reports resolved them.

A forecast's window runs from its stated start (else its report date) to its stated end (else
:data:`DEFAULT_WINDOW_DAYS` after the start). Occurred assertions of the same flow reported after the
forecast, about movements not before it was made, and no later than the window's end plus
:data:`REPORTING_LAG_DAYS`, resolve it: ``fulfilled`` when the largest reported figure reaches
:data:`FULFILLED_SHARE` of the forecast, ``partly`` when something arrived, ``not`` when the window
and the reporting lag have passed with no arrival, else ``pending``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from armsledger.flows.records import Assertion, Forecast, ForecastStatus, GradedAssertion, TrackRecord
from armsledger.store.rows import partial_date_bounds

# Announced deployments in the reference timeline were reported arrived within three months
# (NIS 2024-10-23 "~10,000 expected by December" → Pentagon ~10,000 on 2024-10-28; Shoigu 2025-06-17
# sappers → NIS ~1,000 engineers arrived on 2025-09-02, 77 days). Twice that is the default window.
DEFAULT_WINDOW_DAYS = 180
# Arrivals surface up to a quarter after they happen (ROK JCS reported the January–February 2025
# second wave in March 2025).
REPORTING_LAG_DAYS = 90
# "About 1,000" engineers against 1,000 announced is fulfilment: the project reads "about" as ±10 %
# (estimate/catalogue/conventions.yaml), so 90 % of the forecast counts as fulfilled.
FULFILLED_SHARE = 0.9


def window(a: Assertion) -> tuple[date, date]:
    """The window in which ``a`` says the transfer happens."""
    start_early, start_late = partial_date_bounds(a.time.start if a.time else None)
    _, end_late = partial_date_bounds(a.time.end if a.time else None)
    start = start_early or a.first_published
    end = end_late or ((start_late or a.first_published) + timedelta(days=DEFAULT_WINDOW_DAYS))
    return start, max(end, start)


def _moved_after(arrival: Assertion, made: date) -> bool:
    # An arrival counted "since October 2024" cannot resolve a June 2025 announcement.
    _, latest = partial_date_bounds(arrival.time.start if arrival.time else None)
    return (latest or arrival.first_published) >= made


def resolve(forecast: GradedAssertion, occurred: Sequence[Assertion], as_of: date) -> Forecast:
    """The status of one forecast on ``as_of`` given the flow's occurred assertions."""
    f = forecast.assertion
    start, end = window(f)
    deadline = end + timedelta(days=REPORTING_LAG_DAYS)
    arrivals = [
        a
        for a in occurred
        if a.flow == f.flow
        and a.quantity.unit == f.quantity.unit
        and f.first_published < a.first_published <= min(as_of, deadline)
        and _moved_after(a, f.first_published)
    ]
    figures = [a.bounds.point for a in arrivals if a.bounds.point is not None]
    delivered = max(figures) if figures else None
    target = f.bounds.point
    share = delivered / target if delivered is not None and target else None
    if not arrivals:
        status = ForecastStatus.NOT if as_of > deadline else ForecastStatus.PENDING
        why = (
            f"no arrival reported by {deadline} (window end {end} + {REPORTING_LAG_DAYS} days reporting lag)"
            if status is ForecastStatus.NOT
            else f"window open until {end}; no arrival reported yet"
        )
    elif share is None:
        status = ForecastStatus.FULFILLED if target is None else ForecastStatus.PARTLY
        why = "arrival reported" + ("" if target is None else " without a figure to compare")
    elif share >= FULFILLED_SHARE:
        status, why = (
            ForecastStatus.FULFILLED,
            f"{delivered:,.0f} reported arrived of {target:,.0f} ({share:.0%})",
        )
    else:
        status, why = (
            ForecastStatus.PARTLY,
            f"{delivered:,.0f} reported arrived of {target:,.0f} ({share:.0%})",
        )
    return Forecast(
        assertion=forecast,
        window_start=start,
        window_end=end,
        status=status,
        delivered=delivered,
        share=share,
        resolved_by=tuple(arrivals),
        why=why,
    )


def forecasts_of(graded: Sequence[GradedAssertion], as_of: date) -> list[Forecast]:
    """Every expected or pledged assertion among ``graded`` as a resolved forecast, oldest first."""
    occurred = [g.assertion for g in graded if not g.assertion.is_plan]
    plans = sorted(
        (g for g in graded if g.assertion.is_plan),
        key=lambda g: (g.assertion.first_published, g.assertion.id),
    )
    return [resolve(g, occurred, as_of) for g in plans]


def track_records(forecasts: Sequence[Forecast]) -> list[TrackRecord]:
    """Per attributor: how many of its forecasts were fulfilled, partly, not, or are pending."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sources = {}
    for f in forecasts:
        source = f.assertion.grade.source
        sources[source.id] = source
        counts[source.id][f.status.value] += 1
    return [
        TrackRecord(
            source=sources[sid],
            fulfilled=c[ForecastStatus.FULFILLED.value],
            partly=c[ForecastStatus.PARTLY.value],
            not_=c[ForecastStatus.NOT.value],
            pending=c[ForecastStatus.PENDING.value],
        )
        for sid, c in sorted(counts.items())
    ]
