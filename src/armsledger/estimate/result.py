"""One estimate end to end: the three conventions side by side, assumptions, sensitivity and a check.

:func:`run_estimate` is what the CLI, the ledger link and the report call; :meth:`EstimateResult.to_dict`
is the JSON form (``--format json`` and the ``result`` column of stored estimates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from armsledger.estimate.catalogue import CATALOGUE_VERSION, Catalogue, Prior
from armsledger.estimate.conventions import (
    EmpiricalEstimate,
    OfficialEstimate,
    empirical_estimate,
    official_estimate,
)
from armsledger.estimate.model import (
    Ceiling,
    Simulation,
    ceiling,
    check_memory,
    count_prior,
    priors_used,
    simulate,
)
from armsledger.estimate.plausibility import Check, check_conversion
from armsledger.estimate.query import Conversion, EstimateQuery
from armsledger.estimate.sensitivity import Sensitivity, rank_inputs

PHYSICAL_LABEL = "physical: Monte Carlo of payload and volume limits over the sourced catalogue"
# The histogram spans the central 99% of the draws: the extreme 0.5% tails would stretch the axis
# without showing anything a reader can use.
HISTOGRAM_BINS = 40
HISTOGRAM_RANGE = (0.5, 99.5)
# Percentiles of each munition's full-carrier load are a detail, read from the first 100,000 draws
# (p5/p95 within ~0.5%); a full partition of 10^6 draws per munition would double the run time.
DETAIL_DRAWS = 100_000
_QUANTILES = (5.0, 50.0, 95.0)


@dataclass(frozen=True, slots=True)
class Distribution:
    p5: float
    p50: float
    p95: float
    mean: float

    @classmethod
    def of(cls, values: npt.NDArray[np.float64]) -> Distribution:
        p5, p50, p95 = (float(x) for x in np.percentile(values, _QUANTILES))
        return cls(p5=p5, p50=p50, p95=p95, mean=float(values.mean()))

    def scaled(self, factor: float) -> Distribution:
        return Distribution(self.p5 * factor, self.p50 * factor, self.p95 * factor, self.mean * factor)

    def to_dict(self, digits: int = 0) -> dict[str, float]:
        return {k: round(getattr(self, k), digits) for k in ("p5", "p50", "p95", "mean")}


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts of the total over equal bins (central 99% of the draws)."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]

    @classmethod
    def of(cls, values: npt.NDArray[np.float64], low: float, high: float) -> Histogram:
        """Bins between ``low`` and ``high`` (the HISTOGRAM_RANGE percentiles of ``values``)."""
        if high <= low:
            high = low + 1.0
        counts, edges = np.histogram(values, bins=HISTOGRAM_BINS, range=(low, high))
        return cls(edges=tuple(round(float(e), 1) for e in edges), counts=tuple(int(c) for c in counts))

    def to_dict(self) -> dict[str, object]:
        return {"edges": list(self.edges), "counts": list(self.counts)}


@dataclass(frozen=True, slots=True)
class Assumption:
    """One input of the estimate as the catalogue states it."""

    parameter: str
    label: str
    low: float
    high: float
    unit: str
    unverified: bool
    note: str | None
    sources: tuple[str, ...]

    @classmethod
    def of(cls, prior: Prior) -> Assumption:
        return cls(
            prior.name,
            prior.label,
            prior.low,
            prior.high,
            prior.unit,
            prior.unverified,
            prior.note,
            prior.sources,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "parameter": self.parameter,
            "label": self.label,
            "low": self.low,
            "high": self.high,
            "unit": self.unit,
            "unverified": self.unverified,
            "note": self.note,
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class EstimateResult:
    """Everything an estimate reports."""

    query: EstimateQuery
    official: OfficialEstimate
    physical: Distribution
    per_carrier: Distribution
    full_carrier: dict[str, Distribution]  # munition id → one carrier holding only it
    volume_limited: dict[str, float]
    ceiling: Ceiling
    empirical: EmpiricalEstimate
    assumptions: tuple[Assumption, ...]
    sensitivity: tuple[Sensitivity, ...]
    histogram: Histogram
    check: Check | None = None
    notes: tuple[str, ...] = ()

    @property
    def unverified(self) -> tuple[Assumption, ...]:
        return tuple(a for a in self.assumptions if a.unverified)

    def to_dict(self) -> dict[str, object]:
        """The JSON form; numbers are rounded to what the model can support."""
        data: dict[str, object] = {
            "query": self.query.to_dict(),
            "catalogue_version": CATALOGUE_VERSION,
            "official": self.official.to_dict(),
            "physical": {"label": PHYSICAL_LABEL, **self.physical.to_dict()},
            "empirical": self.empirical.to_dict(),
            "per_carrier": {
                "physical": self.per_carrier.to_dict(1),
                "official": round(self.official.per_carrier, 1),
                "empirical_low": _r(self.empirical.per_carrier_low),
                "empirical_high": _r(self.empirical.per_carrier_high),
                "ceiling": round(self.ceiling.per_carrier, 1),
                "ceiling_reason": self.ceiling.reason,
                "full_carrier": {m: d.to_dict(1) for m, d in self.full_carrier.items()},
                "volume_limited_share": {m: round(v, 3) for m, v in self.volume_limited.items()},
            },
            "assumptions": [a.to_dict() for a in self.assumptions],
            "sensitivity": [s.to_dict() for s in self.sensitivity],
            "histogram": self.histogram.to_dict(),
            "notes": list(self.notes),
        }
        if self.check is not None:
            data["check"] = self.check.to_dict()
        return data


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _notes(catalogue: Catalogue, query: EstimateQuery, simulation: Simulation) -> tuple[str, ...]:
    notes = list(query.notes)
    for m in query.munitions:
        munition = catalogue.munitions[m]
        if munition.note:
            notes.append(f"{m}: {munition.note}")
    carrier = catalogue.carriers[query.carrier]
    if carrier.note:
        notes.append(f"{carrier.id}: {carrier.note}")
    if len(query.mix) > 1:
        notes.append("mix shares are shares of carriers; each carrier holds one munition type")
    for m, share in simulation.volume_limited.items():
        if share >= 0.5:
            notes.append(f"{m}: volume, not payload, limits the load in {share:.0%} of draws")
    return tuple(notes)


def run_estimate(
    catalogue: Catalogue,
    query: EstimateQuery,
    *,
    conversion: Conversion | None = None,
    max_bytes: int | None = None,
) -> EstimateResult:
    """Estimate the rounds in ``query``'s carriers under the three conventions; check ``conversion`` if given.

    ``max_bytes`` bounds the memory of the draws (checked before allocating); None skips the check.
    """
    if max_bytes is not None:
        check_memory(catalogue, query, max_bytes)
    simulation = simulate(catalogue, query)
    top = ceiling(catalogue, query)
    # One partition of the total gives its percentiles and the histogram's range.
    lo, p5, p50, p95, hi = (
        float(x)
        for x in np.percentile(simulation.total, (HISTOGRAM_RANGE[0], *_QUANTILES, HISTOGRAM_RANGE[1]))
    )
    physical = Distribution(p5, p50, p95, float(simulation.total.mean()))
    count = count_prior(catalogue, query)
    # With a fixed count the total is count × per carrier, so its percentiles need no second partition.
    per_carrier = (
        physical.scaled(1 / count.low) if count.is_constant else Distribution.of(simulation.per_carrier)
    )
    full_carrier = {m: Distribution.of(v[:DETAIL_DRAWS]) for m, v in simulation.full_carrier.items()}
    check = None
    if conversion is not None:
        # The per-carrier load if every carrier held munitions: the per-carrier draws without the share.
        if len(query.mix) == 1:
            full_mix = simulation.full_carrier[query.mix[0].munition]
        else:
            full_mix = np.asarray(sum(s.share * simulation.full_carrier[s.munition] for s in query.mix))
        band = (per_carrier.p5, per_carrier.p95)
        check = check_conversion(conversion, simulation, top, band, full_mix)
    priors = ((count,) if not count.is_constant else ()) + priors_used(catalogue, query)
    return EstimateResult(
        query=query,
        official=official_estimate(catalogue, query),
        physical=physical,
        per_carrier=per_carrier,
        full_carrier=full_carrier,
        volume_limited=simulation.volume_limited,
        ceiling=top,
        empirical=empirical_estimate(catalogue, query),
        assumptions=tuple(Assumption.of(p) for p in priors),
        sensitivity=rank_inputs(simulation),
        histogram=Histogram.of(simulation.total, lo, hi),
        check=check,
        notes=_notes(catalogue, query, simulation),
    )
