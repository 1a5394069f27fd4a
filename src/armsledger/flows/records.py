"""Typed results of flows: assertions with their reports, grades, bands, conflicts and forecasts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from armsledger.flows.sources import Source
from armsledger.models import Period, Quantity, Status


class Basis(StrEnum):
    """What a figure counts: everything so far (cumulative) or one bounded period."""

    CUMULATIVE = "cumulative"
    PERIOD = "period"


class ConflictReason(StrEnum):
    """Why two assertions cannot both hold."""

    ATTRIBUTOR = "attributor"  # different sources, same basis, incompatible figures
    CAPACITY_VS_CONTENT = "capacity_vs_content"  # a "could hold" estimate against a count of contents
    START_DATE = "start_date"  # the figures count from different start dates
    PLAN_VS_ARRIVAL = "plan_vs_arrival"  # a planned figure against what arrived
    COUNT = "count"  # one source contradicting itself


class ForecastStatus(StrEnum):
    """How later reports resolved an expected or pledged transfer."""

    FULFILLED = "fulfilled"
    PARTLY = "partly"
    NOT = "not"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class FlowKey:
    """Supplier, recipient and item class: one flow."""

    supplier: str | None
    recipient: str | None
    item_class: str

    def label(self) -> str:
        return f"{self.supplier or '?'} → {self.recipient or '?'} {self.item_class}"


@dataclass(frozen=True, slots=True)
class Report:
    """One report of an assertion: the claim as one outlet carried it, with its evidence."""

    claim_id: str
    document_id: str
    published: date
    outlet: str | None
    url: str | None
    origin: str
    item: str
    evidence: str
    span: tuple[int, int] | None
    restated: int = 1  # claims in the ledger stating this word for word (syndicated copies)
    outlets: int = 1


@dataclass(frozen=True, slots=True)
class Bounds:
    """Numeric reading of a figure: hard bounds the wording states, and the wider implied band."""

    point: float | None
    lower: float | None  # stated floor ("more than N", "about N" less its rounding, a range's low)
    upper: float | None  # stated ceiling ("up to N", "about N" plus its rounding, a range's high)
    implied_lower: float | None  # for the band: open ends read by the project's qualifier convention
    implied_upper: float | None


@dataclass(frozen=True, slots=True)
class Grade:
    """NATO Admiralty code: source reliability A–F and information credibility 1–6, with reasons."""

    reliability: str
    credibility: int
    source: Source
    corroborated_by: tuple[str, ...]  # assertion ids of independent agreeing sources
    contradicted_by: tuple[str, ...]  # assertion ids in conflict with this one
    why: str

    @property
    def code(self) -> str:
        return f"{self.reliability}{self.credibility}"


@dataclass(frozen=True, slots=True)
class Assertion:
    """One figure asserted by one attributor on one basis, with every report that carried it.

    Restatements by several outlets are merged here: ``reports`` lists them, and they count once.
    """

    id: str
    flow: FlowKey
    attribution: str | None
    source: Source
    status: Status
    basis: Basis
    capacity_based: bool  # estimated=true: a capacity conversion or hedged estimate, not a count
    quantity: Quantity
    bounds: Bounds
    time: Period | None
    first_published: date
    last_published: date
    reports: tuple[Report, ...]
    is_plan: bool = False  # expected or pledged: a forecast, not a transfer that happened

    @property
    def report_count(self) -> int:
        """Every report carrying the assertion, syndicated copies included."""
        return sum(r.restated for r in self.reports)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two assertions that cannot both hold, why, and the evidence of each."""

    reason: ConflictReason
    first: Assertion
    second: Assertion
    explanation: str


@dataclass(frozen=True, slots=True)
class Band:
    """The as-of figure: low / best / high."""

    low: float | None
    value: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class GradedAssertion:
    """An assertion with its grade and its weight in the as-of choice."""

    assertion: Assertion
    grade: Grade
    weight: float


@dataclass(frozen=True, slots=True)
class AsOfAnswer:
    """The best figure of a flow on a date, the assertions behind it and why they were chosen."""

    flow: FlowKey
    label: str
    as_of: date
    best: Band
    basis: Basis | None
    capacity_based: bool
    lower_bound: bool  # the best figure is an "at least"/"more than" floor
    chosen: GradedAssertion | None
    band_from: tuple[str, ...]  # assertion ids that set the band
    reasons: tuple[str, ...]
    assertions: tuple[GradedAssertion, ...]  # every assertion of the flow reported by as_of
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True, slots=True)
class Forecast:
    """An expected or pledged transfer, its window and how later occurred reports resolved it."""

    assertion: GradedAssertion
    window_start: date
    window_end: date
    status: ForecastStatus
    delivered: float | None
    share: float | None
    resolved_by: tuple[Assertion, ...]
    why: str


@dataclass(frozen=True, slots=True)
class TrackRecord:
    """How an attributor's forecasts turned out."""

    source: Source
    fulfilled: int
    partly: int
    not_: int
    pending: int

    @property
    def resolved(self) -> int:
        return self.fulfilled + self.partly + self.not_

    @property
    def score(self) -> float | None:
        """Share of resolved forecasts borne out (a partly fulfilled one counts half)."""
        if not self.resolved:
            return None
        return (self.fulfilled + 0.5 * self.partly) / self.resolved
