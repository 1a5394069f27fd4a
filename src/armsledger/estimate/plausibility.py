"""Checking a reported conversion "N carriers = M rounds" against what the carriers can physically hold.

The implied load per carrier (M ÷ N) is placed in the physical per-carrier distribution:

- at or below its p95: **plausible** (below p5 it suggests part-loaded carriers or other cargo);
- above p95 but not above the ceiling: **upper bound** — reachable only if nearly every carrier was
  loaded to its limit with that munition, as "if all were 152 mm" conversions assume;
- above the ceiling (every range at its favourable end, bare rounds): **implausible**.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from armsledger.estimate.model import Ceiling, Simulation
from armsledger.estimate.query import Conversion

# The band read as "plausible": the central 90% of the physical distribution, the same p5-p95 band
# every estimate reports.
LOW_PERCENTILE = 5.0
HIGH_PERCENTILE = 95.0


class Verdict(StrEnum):
    PLAUSIBLE = "plausible"
    UPPER_BOUND = "upper bound"
    IMPLAUSIBLE = "implausible"


@dataclass(frozen=True, slots=True)
class Check:
    """Where a reported conversion falls in the physical distribution, and the verdict."""

    carriers: float
    rounds: float
    implied_per_carrier: float
    percentile: float  # share of draws (in %) with fewer rounds per carrier than implied
    full_percentile: float  # the same if every carrier held munitions (munition share 1)
    p5: float
    p95: float
    ceiling: float
    verdict: Verdict
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {
            "carriers": self.carriers,
            "rounds": self.rounds,
            "implied_per_carrier": round(self.implied_per_carrier, 1),
            "percentile": round(self.percentile, 1),
            "percentile_if_all_carriers_held_munitions": round(self.full_percentile, 1),
            "physical_p5_per_carrier": round(self.p5, 1),
            "physical_p95_per_carrier": round(self.p95, 1),
            "ceiling_per_carrier": round(self.ceiling, 1),
            "verdict": self.verdict.value,
            "reason": self.reason,
        }


def check_conversion(
    conversion: Conversion,
    simulation: Simulation,
    ceiling: Ceiling,
    band: tuple[float, float],
    full_carrier: npt.NDArray[np.float64],
) -> Check:
    """The verdict on ``conversion`` given the physical draws of the same carriers and cargo.

    ``band`` is the (p5, p95) of ``simulation.per_carrier``; ``full_carrier`` is the per-carrier load if
    every carrier held munitions (mix applied).
    """
    implied = conversion.implied_per_carrier
    percentile = float(np.mean(simulation.per_carrier < implied)) * 100
    full_percentile = float(np.mean(full_carrier < implied)) * 100
    p5, p95 = band
    where = f"implied {implied:,.0f} per {conversion.carrier}"
    if implied > ceiling.per_carrier:
        verdict = Verdict.IMPLAUSIBLE
        reason = (
            f"{where} exceeds the physical ceiling of {ceiling.per_carrier:,.0f} ({ceiling.reason}): "
            f"no loading of these carriers holds that many"
        )
    elif implied > p95:
        verdict = Verdict.UPPER_BOUND
        reason = (
            f"{where} is above the physical p95 ({p95:,.0f}) but within the ceiling of {ceiling.per_carrier:,.0f}: "
            f"only reachable if nearly every carrier was filled to its limit with this munition, "
            f"so read it as an upper bound (percentile {percentile:.0f}; {full_percentile:.0f} "
            f"if every carrier held munitions)"
        )
    elif implied < p5:
        verdict = Verdict.PLAUSIBLE
        reason = (
            f"{where} is below the physical p5 ({p5:,.0f}): possible, e.g. with part-loaded carriers "
            f"or other cargo (percentile {percentile:.0f})"
        )
    else:
        verdict = Verdict.PLAUSIBLE
        reason = f"{where} lies within the physical p5-p95 band ({p5:,.0f}-{p95:,.0f}; percentile {percentile:.0f})"
    return Check(
        carriers=conversion.carriers.central,
        rounds=conversion.rounds.central,
        implied_per_carrier=implied,
        percentile=percentile,
        full_percentile=full_percentile,
        p5=p5,
        p95=p95,
        ceiling=ceiling.per_carrier,
        verdict=verdict,
        reason=reason,
    )
