"""The two published conventions shown beside the physical model.

``official``: every carrier full of one calibre, as the South Korean statements compute it. The ratio per
20 ft container of a munition is calibrated on its statements (sum of rounds over sum of containers);
a munition without statements is scaled from the reference munition by mass (the South Korean figures
behave as weight-limited, ~19 t of projectiles per box). Other carriers count as container equivalents.

``empirical``: the per-carrier ratios of published analyses of what the carriers actually held.
"""

from __future__ import annotations

from dataclasses import dataclass

from armsledger.estimate.catalogue import Carrier, Catalogue
from armsledger.estimate.query import EstimateQuery


@dataclass(frozen=True, slots=True)
class Calibration:
    """Rounds per reference container of one munition under the official convention."""

    munition: str
    ratio: float
    statements: tuple[str, ...]  # ids of the statements it is calibrated on
    extrapolated: bool  # True: scaled from the reference munition by mass
    basis: str


@dataclass(frozen=True, slots=True)
class OfficialEstimate:
    label: str
    value: float
    per_carrier: float
    calibrations: tuple[Calibration, ...]
    container_equivalents: float
    equivalents_basis: str

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "value": round(self.value),
            "per_carrier": round(self.per_carrier, 1),
            "container_equivalents": round(self.container_equivalents, 3),
            "equivalents_basis": self.equivalents_basis,
            "calibration": [
                {
                    "munition": c.munition,
                    "per_container": round(c.ratio, 1),
                    "statements": list(c.statements),
                    "extrapolated": c.extrapolated,
                    "basis": c.basis,
                }
                for c in self.calibrations
            ],
        }


@dataclass(frozen=True, slots=True)
class AnalysisRange:
    """One published analysis applied to this query."""

    id: str
    actor: str
    description: str
    per_carrier_low: float
    per_carrier_high: float
    low: float
    high: float
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EmpiricalEstimate:
    label: str
    low: float | None
    high: float | None
    per_carrier_low: float | None
    per_carrier_high: float | None
    analyses: tuple[AnalysisRange, ...]
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        def r(x: float | None, digits: int = 0) -> float | None:
            return None if x is None else round(x, digits)

        return {
            "label": self.label,
            "low": r(self.low),
            "high": r(self.high),
            "per_carrier_low": r(self.per_carrier_low, 1),
            "per_carrier_high": r(self.per_carrier_high, 1),
            "note": self.note,
            "analyses": [
                {
                    "id": a.id,
                    "actor": a.actor,
                    "description": a.description,
                    "per_carrier_low": round(a.per_carrier_low, 1),
                    "per_carrier_high": round(a.per_carrier_high, 1),
                    "low": round(a.low),
                    "high": round(a.high),
                    "sources": list(a.sources),
                }
                for a in self.analyses
            ],
        }


def calibration(catalogue: Catalogue, munition_id: str) -> Calibration:
    """The official rounds per container of ``munition_id``: calibrated, or scaled from the reference by mass."""
    statements = catalogue.calibrating(munition_id)
    if statements:
        ratio = sum(s.rounds for s in statements) / sum(s.carriers for s in statements)
        ids = tuple(s.id for s in statements)
        basis = f"{len(statements)} South Korean statements: " + "; ".join(
            f"{s.carriers:,} → {s.rounds:,} ({s.date})" for s in statements
        )
        return Calibration(munition_id, ratio, ids, extrapolated=False, basis=basis)
    ref_id = catalogue.official.reference_munition
    reference = calibration(catalogue, ref_id)
    ref_mass = catalogue.munitions[ref_id].mass.mid
    mass = catalogue.munitions[munition_id].mass.mid
    return Calibration(
        munition_id,
        reference.ratio * ref_mass / mass,
        reference.statements,
        extrapolated=True,
        basis=(
            f"no official statement for {munition_id}: the {ref_id} ratio ({reference.ratio:,.0f} per container)"
            f" scaled by mass ({ref_mass:g} kg ÷ {mass:g} kg); ignores volume limits"
        ),
    )


def container_equivalents(catalogue: Catalogue, carrier: Carrier) -> tuple[float, str]:
    """How many reference containers one ``carrier`` counts as, and why."""
    reference = catalogue.carriers[catalogue.official.carrier]
    if carrier.id == reference.id:
        return 1.0, f"one {reference.id}"
    if carrier.holds is not None:
        inner, _ = container_equivalents(catalogue, catalogue.carriers[carrier.holds.carrier])
        count = carrier.holds.count.mid
        return count * inner, f"{count:g} × {carrier.holds.carrier} per {carrier.id}"
    assert carrier.payload is not None and reference.payload is not None
    ratio = carrier.payload.mid / reference.payload.mid
    return ratio, (
        f"payload ratio {carrier.payload.mid:,.0f} kg ÷ {reference.payload.mid:,.0f} kg per {reference.id}"
    )


def official_estimate(catalogue: Catalogue, query: EstimateQuery) -> OfficialEstimate:
    """The stated count × the calibrated ratio (mix-weighted) × container equivalents."""
    calibrations = tuple(calibration(catalogue, m) for m in query.munitions)
    equivalents, basis = container_equivalents(catalogue, catalogue.carriers[query.carrier])
    per_container = sum(s.share * c.ratio for s, c in zip(query.mix, calibrations, strict=True))
    per_carrier = per_container * equivalents
    return OfficialEstimate(
        label=catalogue.official.label,
        value=query.count.central * per_carrier,
        per_carrier=per_carrier,
        calibrations=calibrations,
        container_equivalents=equivalents,
        equivalents_basis=basis,
    )


def _payload_range(catalogue: Catalogue, carrier: Carrier) -> tuple[float, float]:
    if carrier.holds is not None:
        inner = catalogue.carriers[carrier.holds.carrier]
        low, high = _payload_range(catalogue, inner)
        low, high = low * carrier.holds.count.low, high * carrier.holds.count.high
        if carrier.payload is not None:
            low, high = min(low, carrier.payload.low), min(high, carrier.payload.high)
        return low, high
    assert carrier.payload is not None
    return carrier.payload.low, carrier.payload.high


def empirical_estimate(catalogue: Catalogue, query: EstimateQuery) -> EmpiricalEstimate:
    """Each published analysis covering every munition of the query, applied to the count's bounds."""
    carrier = catalogue.carriers[query.carrier]
    count_low, count_high = query.count.bounds(catalogue)
    ranges: list[AnalysisRange] = []
    for a in catalogue.empirical.analyses:
        if not set(query.munitions) <= set(a.applies_to):
            continue
        if a.kg_per_round is not None:
            payload_low, payload_high = _payload_range(catalogue, carrier)
            low, high = payload_low / a.kg_per_round, payload_high / a.kg_per_round
        else:
            assert a.carrier is not None and a.per_carrier_low is not None and a.per_carrier_high is not None
            if a.carrier == carrier.id:
                factor = 1.0
            else:
                own, _ = container_equivalents(catalogue, carrier)
                theirs, _ = container_equivalents(catalogue, catalogue.carriers[a.carrier])
                factor = own / theirs
            low, high = a.per_carrier_low * factor, a.per_carrier_high * factor
        ranges.append(
            AnalysisRange(
                a.id, a.actor, a.description, low, high, low * count_low, high * count_high, a.sources
            )
        )
    label = catalogue.empirical.label
    if not ranges:
        covered = sorted({m for a in catalogue.empirical.analyses for m in a.applies_to})
        note = (
            f"no published analysis covers {', '.join(query.munitions)} (analyses cover {', '.join(covered)})"
        )
        return EmpiricalEstimate(label, None, None, None, None, (), note)
    return EmpiricalEstimate(
        label=label,
        low=min(r.low for r in ranges),
        high=max(r.high for r in ranges),
        per_carrier_low=min(r.per_carrier_low for r in ranges),
        per_carrier_high=max(r.per_carrier_high for r in ranges),
        analyses=tuple(ranges),
        note="analyses of mixed cargo; their rounds are not calibre-specific",
    )
