"""Which assumptions drive the spread: Spearman rank correlation of each random input with the total."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from armsledger.estimate.model import Simulation

# Rank correlations on 50,000 draws have a standard error of ~0.005, far below the gaps that order the
# ranking, and ranking the output costs ~5 ms instead of ~0.1 s for 10^6 draws.
SENSITIVITY_DRAWS = 50_000


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


def _dot(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    # Not np.dot: BLAS may start threads for it, which stall for ~0.1 s when the process is pinned
    # to one core (benchmarks/bench_estimate.py).
    return float(np.einsum("i,i->", a, b))


def _centred(values: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], float]:
    centred = values - values.mean()
    return centred, _dot(centred, centred) ** 0.5


def rank_inputs(simulation: Simulation, limit: int = SENSITIVITY_DRAWS) -> tuple[Sensitivity, ...]:
    """Inputs ordered by the absolute Spearman correlation of their draws with the total.

    Every input is drawn uniformly, so its ranks are (up to sampling noise) a linear function of its
    values: correlating the values with the ranks of the total gives Spearman's coefficient while
    sorting only the output.
    """
    n = min(limit, simulation.draws)
    ranks = np.empty(n)
    ranks[np.argsort(simulation.total[:n], kind="stable")] = np.arange(n)
    output, out_norm = _centred(ranks)
    results: list[Sensitivity] = []
    for item in simulation.inputs:
        values, norm = _centred(item.values[:n])
        rho = _dot(values, output) / (norm * out_norm) if norm * out_norm > 0 else 0.0
        results.append(Sensitivity(item.prior.name, item.prior.label, rho, item.prior.unverified))
    return tuple(sorted(results, key=lambda s: -abs(s.rank_correlation)))
