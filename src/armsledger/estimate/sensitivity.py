"""Which assumptions drive the spread: Spearman rank correlation of each random input with the total."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from armsledger.estimate.model import Simulation

# Rank correlations on 20,000 draws have a standard error of ~0.007, far below the gaps that order
# the ranking, and cost ~10 ms instead of ~1 s for 10^6 draws (argsort is O(n log n)).
SENSITIVITY_DRAWS = 20_000


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """How strongly one input moves the total: +1 / -1 monotone, 0 no effect."""

    parameter: str
    label: str
    rank_correlation: float
    unverified: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "parameter": self.parameter,
            "label": self.label,
            "rank_correlation": round(self.rank_correlation, 3),
            "unverified": self.unverified,
        }


def _ranks(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    ranks = np.empty(len(values))
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return ranks


def rank_inputs(simulation: Simulation, limit: int = SENSITIVITY_DRAWS) -> tuple[Sensitivity, ...]:
    """Inputs ordered by the absolute rank correlation of their draws with the total."""
    n = min(limit, simulation.draws)
    output = _ranks(simulation.total[:n])
    output -= output.mean()
    out_norm = float(np.sqrt(np.dot(output, output)))
    results: list[Sensitivity] = []
    for item in simulation.inputs:
        ranks = _ranks(item.values[:n])
        ranks -= ranks.mean()
        norm = float(np.sqrt(np.dot(ranks, ranks))) * out_norm
        rho = float(np.dot(ranks, output) / norm) if norm > 0 else 0.0
        results.append(Sensitivity(item.prior.name, item.prior.label, rho, item.prior.unverified))
    return tuple(sorted(results, key=lambda s: -abs(s.rank_correlation)))
