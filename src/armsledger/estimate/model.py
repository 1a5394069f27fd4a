"""The physical model: a vectorised Monte Carlo of how many rounds N carriers can hold.

Each draw is one possible world: every catalogue range is sampled once (uniformly) and applied to all
N carriers, because the unknowns (a shell's packed mass, how full the boxes were) are shared by the
whole shipment rather than varying box by box. Per munition and draw:

    packed mass   = (projectile + charge share × (complete round − projectile)) × packaging factor
    packed volume = projectile box volume + charge share × charge box volume
    mass limit    = payload limit × utilisation / packed mass
    volume limit  = internal volume × stowage × (whole boxes along the length) / packed volume
    full carrier  = min(mass limit, volume limit)              (× count held, capped, for composites)
    per carrier   = munition share × Σ mix share × full carrier
    total         = carrier count (drawn by its qualifier) × per carrier
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from armsledger.errors import UsageError
from armsledger.estimate.catalogue import Carrier, Catalogue, Munition, Prior
from armsledger.estimate.query import EstimateQuery

Array = npt.NDArray[np.float64]
Values = Array | float

# Working arrays alive at once besides the drawn inputs (packed mass and volume, the two limits and the
# box fit per munition, the per-carrier sum, the total, the percentile copy). With it the estimate is
# 15-25% above the peak tracemalloc measures for 10^6 draws (152mm in 20 ft containers, 122mm rockets
# by voyage, a three-munition mix on flatcars), so a run that passes the check fits.
_WORK_ARRAYS = 8
# A run may use at most this share of physical memory, whatever ARMSLEDGER_ESTIMATE_MAX_BYTES allows,
# so the machine keeps room for everything else.
_MAX_MEMORY_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Input:
    """One random input of a run and its draws (kept for the sensitivity ranking)."""

    prior: Prior
    values: Array


@dataclass(frozen=True, slots=True)
class Simulation:
    """The draws of one run: inputs, rounds per full carrier of each munition, per carrier and total."""

    draws: int
    seed: int
    inputs: tuple[Input, ...]
    full_carrier: dict[str, Array]  # munition id → rounds in one carrier holding only it
    volume_limited: dict[str, float]  # munition id → share of draws where volume, not mass, binds
    per_carrier: Array  # rounds per carrier, all carriers (munition share and mix applied)
    total: Array


@dataclass(frozen=True, slots=True)
class Ceiling:
    """The most rounds one carrier can hold with every range at its favourable end and bare rounds."""

    per_carrier: float
    by_munition: dict[str, float]
    reason: str


def direct_carrier(catalogue: Catalogue, carrier: Carrier) -> Carrier:
    """The carrier with the cargo space: ``carrier`` itself, or the one it holds."""
    return catalogue.carriers[carrier.holds.carrier] if carrier.holds else carrier


def priors_used(catalogue: Catalogue, query: EstimateQuery) -> tuple[Prior, ...]:
    """Every catalogue range the run samples."""
    carrier = catalogue.carriers[query.carrier]
    space = direct_carrier(catalogue, carrier)
    munitions = [catalogue.munitions[m] for m in query.munitions]
    loading = catalogue.loading
    shared = [loading.utilisation, loading.munition_share, loading.stowage]
    if any(m.separate_loading for m in munitions):
        shared.append(loading.charge_share)
    own = [carrier.holds.count] if carrier.holds else []
    if carrier.holds and carrier.payload:
        own.append(carrier.payload)
    return (*shared, *space.priors(), *own, *(p for m in munitions for p in m.priors()))


def bytes_needed(catalogue: Catalogue, query: EstimateQuery) -> int:
    """Memory the run's arrays take, estimated before anything is allocated."""
    arrays = 1 + len(priors_used(catalogue, query)) + _WORK_ARRAYS + 2 * len(query.mix)
    return query.draws * 8 * arrays


def memory_limit(max_bytes: int) -> int:
    """``max_bytes``, lowered to half the machine's physical memory when that is smaller."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return max_bytes
    return min(max_bytes, int(physical * _MAX_MEMORY_SHARE)) if physical > 0 else max_bytes


def check_memory(catalogue: Catalogue, query: EstimateQuery, max_bytes: int) -> None:
    """Refuse a run whose arrays would not fit, before allocating them."""
    needed, limit = bytes_needed(catalogue, query), memory_limit(max_bytes)
    if needed > limit:
        per_draw = needed / query.draws
        raise UsageError(
            f"--draws {query.draws:,} needs ~{needed / 2**30:.1f} GiB of memory; the limit is {limit / 2**30:.1f} GiB",
            hint=f"use --draws {int(limit // per_draw):,} or fewer (or raise ARMSLEDGER_ESTIMATE_MAX_BYTES)",
        )


class _Sampler:
    """Draws each prior once per run, in a fixed order; constants stay scalars."""

    def __init__(self, draws: int, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.draws = draws
        self.inputs: list[Input] = []

    def uniform(self, prior: Prior, low: float | None = None, high: float | None = None) -> Values:
        lo = prior.low if low is None else low
        hi = prior.high if high is None else high
        if lo == hi:
            return lo
        # One array per input, scaled in place: a (k, n) block would exceed glibc's mmap threshold
        # and page-fault on every run.
        values = self.rng.random(self.draws)
        values *= hi - lo
        values += lo
        self.inputs.append(Input(prior, values))
        return values


def _full_carrier(
    sample: _Sampler, munition: Munition, space: dict[str, Values], charge_share: Values
) -> tuple[Array, Array, float]:
    """Rounds of ``munition`` one carrier with cargo space ``space`` holds, the packed mass per round,
    and how often volume (not mass) binds."""
    n = sample.draws
    mass = sample.uniform(munition.mass)
    volume = sample.uniform(munition.packed_volume)
    # Work arrays are written in place (the drawn inputs are kept intact for the sensitivity ranking):
    # every fresh 8 MB array costs page faults that would dominate a 10^6-draw run.
    packed_mass, packed_volume = np.empty(n), np.empty(n)
    if munition.complete_round_mass is not None and munition.charge_volume is not None:
        complete = sample.uniform(munition.complete_round_mass)
        charge_volume = sample.uniform(munition.charge_volume)
        np.subtract(complete, mass, out=packed_mass)
        packed_mass *= charge_share
        packed_mass += mass
        np.multiply(charge_volume, charge_share, out=packed_volume)
        packed_volume += volume
    else:
        packed_mass[:] = mass
        packed_volume[:] = volume
    packed_mass *= sample.uniform(munition.packaging)
    box_length = sample.uniform(munition.packed_length)
    by_mass = np.multiply(space["payload"], space["utilisation"], out=np.empty(n))
    by_mass /= packed_mass
    by_volume = np.multiply(space["volume"], space["stowage"], out=np.empty(n))
    if "length" in space:
        # Boxes are not cut: only whole box lengths fit along the carrier (a 3 m rocket box fits once
        # in a 5.9 m container, leaving half of it empty).
        fit = np.divide(space["length"], box_length, out=np.empty(n))
        np.floor(fit, out=fit)
        fit *= box_length
        fit /= space["length"]
        by_volume *= fit
    by_volume /= packed_volume
    volume_binds = float(np.count_nonzero(by_volume < by_mass)) / n
    np.minimum(by_mass, by_volume, out=by_mass)
    return by_mass, packed_mass, volume_binds


def simulate(catalogue: Catalogue, query: EstimateQuery) -> Simulation:
    """Run the Monte Carlo for ``query`` (reproducible: the same seed gives the same draws)."""
    sample = _Sampler(query.draws, query.seed)
    carrier = catalogue.carriers[query.carrier]
    space_carrier = direct_carrier(catalogue, carrier)
    loading = catalogue.loading
    munitions = [catalogue.munitions[m] for m in query.munitions]

    count = sample.uniform(count_prior(catalogue, query))
    utilisation = sample.uniform(loading.utilisation)
    munition_share = sample.uniform(loading.munition_share)
    stowage = sample.uniform(loading.stowage)
    charge_share = sample.uniform(loading.charge_share) if any(m.separate_loading for m in munitions) else 0.0
    assert space_carrier.payload is not None and space_carrier.internal_volume is not None
    space: dict[str, Values] = {
        "payload": sample.uniform(space_carrier.payload),
        "volume": sample.uniform(space_carrier.internal_volume),
        "utilisation": utilisation,
        "stowage": stowage,
    }
    if space_carrier.internal_length is not None:
        space["length"] = sample.uniform(space_carrier.internal_length)
    held: Values = sample.uniform(carrier.holds.count) if carrier.holds else 1.0
    own_payload: Values | None = (
        sample.uniform(carrier.payload) if carrier.holds and carrier.payload else None
    )

    full: dict[str, Array] = {}
    volume_limited: dict[str, float] = {}
    per_carrier: Array | None = None
    for share, munition in zip((m.share for m in query.mix), munitions, strict=True):
        rounds, packed_mass, volume_binds = _full_carrier(sample, munition, space, charge_share)
        rounds *= held
        if own_payload is not None:
            # A composite carrier's own limit (a flatcar's 72 t) caps the boxes it holds.
            np.divide(np.multiply(own_payload, utilisation), packed_mass, out=packed_mass)
            np.minimum(rounds, packed_mass, out=rounds)
        full[munition.id] = rounds
        volume_limited[munition.id] = volume_binds
        if per_carrier is None:
            per_carrier = np.multiply(rounds, share)
        else:
            per_carrier += share * rounds
    assert per_carrier is not None  # a query has at least one munition
    per_carrier *= munition_share
    total = np.multiply(per_carrier, count)
    return Simulation(
        draws=query.draws,
        seed=query.seed,
        inputs=tuple(sample.inputs),
        full_carrier=full,
        volume_limited=volume_limited,
        per_carrier=per_carrier,
        total=np.asarray(total, dtype=np.float64),
    )


def count_prior(catalogue: Catalogue, query: EstimateQuery) -> Prior:
    """The carrier count as a range: its stated bounds, or the qualifier's factors around the figure."""
    low, high = query.count.bounds(catalogue)
    return Prior(
        name="count",
        label=f"{query.carrier} count ({query.count.describe()})",
        unit="carriers",
        low=low,
        high=high,
        sources=(),
        note=catalogue.qualifier_basis,
    )


def ceiling(catalogue: Catalogue, query: EstimateQuery) -> Ceiling:
    """The physical maximum per carrier: every range at its favourable end, bare projectiles, no charges.

    A reported conversion above it cannot be true of these carriers whatever the unknowns are.
    """
    carrier = catalogue.carriers[query.carrier]
    space = direct_carrier(catalogue, carrier)
    assert space.payload is not None and space.internal_volume is not None
    held = carrier.holds.count.high if carrier.holds else 1.0
    stowage = catalogue.loading.stowage.high
    by_munition: dict[str, float] = {}
    reasons: list[str] = []
    for m in (catalogue.munitions[x] for x in query.munitions):
        by_mass = space.payload.high / m.mass.low
        usable = space.internal_volume.high * stowage
        if space.internal_length is not None:
            length = space.internal_length.high
            usable *= math.floor(length / m.packed_length.low) * m.packed_length.low / length
        by_volume = usable / m.packed_volume.low
        rounds = min(by_mass, by_volume) * held
        if carrier.holds and carrier.payload:
            rounds = min(rounds, carrier.payload.high / m.mass.low)
        by_munition[m.id] = rounds
        if by_mass <= by_volume:
            reasons.append(f"{space.payload.high:,.0f} kg payload ÷ {m.mass.low:g} kg per bare {m.id} round")
        else:
            reasons.append(
                f"{usable:.1f} m³ usable ÷ {m.packed_volume.low:g} m³ per boxed {m.id} round"
                f" at {stowage:.0%} stowage"
            )
    total = sum(s.share * by_munition[s.munition] for s in query.mix)
    held_text = f" × {held:g} {space.id} per {carrier.id}" if carrier.holds else ""
    return Ceiling(per_carrier=total, by_munition=by_munition, reason="; ".join(reasons) + held_text)
