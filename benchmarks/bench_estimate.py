"""Monte Carlo speed on one core: seconds for 10^6 draws of an estimate (28,000 containers as 152mm).

Usage: ``python benchmarks/bench_estimate.py [DRAWS]`` (default 1,000,000). After one warm-up run (first
touch of the arrays' memory, catalogue loading), ROUNDS timed runs of the whole estimate are made —
draws, conventions, percentiles, histogram, sensitivity and the check of "28000 containers = 12000000
152mm" — and of the simulation alone; medians are reported. The issue's target is under 0.2 s for 10^6
draws. Results are printed and written to ``benchmarks/results/estimate.json``. This is a measurement,
not a test.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from armsledger.estimate import EstimateQuery, load_catalogue, parse_check, run_estimate, single
from armsledger.estimate.model import simulate

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "estimate.json"
DEFAULT_DRAWS = 1_000_000
ROUNDS = 7
TARGET_SECONDS = 0.2  # issue 3: 10^6 draws in under 0.2 s on one core


def pin_to_one_core() -> str:
    """Restrict this process to its first allowed CPU (Linux), as bench_extract.py does."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    first = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {first})
    return f"pinned to cpu {first}"


def _timed(run: Callable[[], object]) -> list[float]:
    run()  # warm-up
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return timings


def main(argv: list[str]) -> int:
    draws = int(argv[1]) if len(argv) > 1 else DEFAULT_DRAWS
    pinning = pin_to_one_core()
    catalogue = load_catalogue()
    conversion = parse_check("28000 containers = 12000000 152mm", catalogue)
    query = EstimateQuery(conversion.carriers, conversion.carrier, single("152mm"), draws, 1718)

    cold_start = time.perf_counter()
    result = run_estimate(catalogue, query, conversion=conversion)
    cold = time.perf_counter() - cold_start
    full = _timed(lambda: run_estimate(catalogue, query, conversion=conversion))
    sim = _timed(lambda: simulate(catalogue, query))
    median_full, median_sim = statistics.median(full), statistics.median(sim)

    check = result.check
    assert check is not None
    record = {
        "benchmark": "estimate (28000 containers = 12000000 152mm)",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "cpu": pinning,
        "draws": draws,
        "rounds": ROUNDS,
        "first_run_seconds": round(cold, 6),
        "estimate_seconds": [round(t, 6) for t in full],
        "estimate_median_seconds": round(median_full, 6),
        "simulate_seconds": [round(t, 6) for t in sim],
        "simulate_median_seconds": round(median_sim, 6),
        "target_seconds": TARGET_SECONDS,
        "within_target": median_full < TARGET_SECONDS,
        "official": round(result.official.value),
        "physical_p5_p50_p95": [
            round(result.physical.p5),
            round(result.physical.p50),
            round(result.physical.p95),
        ],
        "implied_per_carrier": round(check.implied_per_carrier, 1),
        "verdict": check.verdict.value,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"estimate ({pinning}): {draws:,} draws, median of {ROUNDS} runs after a warm-up")
    print(
        f"  whole estimate {median_full:.3f} s   simulation alone {median_sim:.3f} s   first run {cold:.3f} s"
    )
    print(f"  target < {TARGET_SECONDS} s: {'met' if median_full < TARGET_SECONDS else 'NOT met'}")
    print(
        f"  official {result.official.value:,.0f}; physical p5/p50/p95 {result.physical.p5:,.0f} / "
        f"{result.physical.p50:,.0f} / {result.physical.p95:,.0f}; implied {check.implied_per_carrier:.0f} "
        f"per container: {check.verdict.value}"
    )
    print(f"  written to {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
