"""The estimator's core: catalogue validation, parsing, the Monte Carlo, conventions, checks, sensitivity.

The acceptance numbers of issue 3 are computed here from the shipped catalogue, never hard-coded.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from armsledger.errors import CatalogueError, UsageError
from armsledger.estimate import (
    Catalogue,
    Count,
    EstimateQuery,
    MixShare,
    Verdict,
    load_catalogue,
    parse_check,
    parse_count,
    parse_mix,
    run_estimate,
    single,
)
from armsledger.estimate.catalogue import calibre_in, lookup_key
from armsledger.estimate.model import bytes_needed, check_memory, simulate
from armsledger.estimate.query import MAX_CARRIERS, parse_amount, validate_carriers
from armsledger.models import Qualifier

from .conftest import REPO

REFERENCE = REPO.parent / "shared" / "reference" / "reference-facts.json"
SHIPPED = REPO / "src" / "armsledger" / "estimate" / "catalogue"
DRAWS = 100_000
SEED = 1718


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def query(
    n: float | Count, carrier: str = "container-20ft", munition: str = "152mm", **kw: Any
) -> EstimateQuery:
    count = n if isinstance(n, Count) else Count(float(n))
    mix = kw.pop("mix", single(munition))
    return EstimateQuery(count, carrier, mix, kw.pop("draws", DRAWS), kw.pop("seed", SEED))


# -- catalogue ---------------------------------------------------------------------------------------


def _urls(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {u for v in node.values() for u in _urls(v)}
    if isinstance(node, list):
        return {u for v in node for u in _urls(v)}
    return {node} if isinstance(node, str) and node.startswith("http") else set()


def test_every_catalogue_url_comes_from_the_reference_facts() -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"reference facts not found at {REFERENCE}")
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    known = _urls(reference) | {
        # URLs inside free-text "source" fields of the reference (e.g. "https://x (note)")
        m.group(0)
        for m in re.finditer(r"https?://[^\s\"]+", REFERENCE.read_text(encoding="utf-8"))
    }
    used = set()
    for path in SHIPPED.glob("*.yaml"):
        used |= _urls(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert used, "the catalogue cites no URL"
    assert used - known == set()


def test_every_number_has_sources_and_unverified_values_are_flagged(cat: Catalogue) -> None:
    priors = [p for m in cat.munitions.values() for p in m.priors()]
    priors += [p for c in cat.carriers.values() for p in c.priors()] + list(cat.loading.priors())
    assert all(p.sources for p in priors)
    assert all(p.note for p in priors if p.unverified)
    # Values the reference marks UNVERIFIED / NOT FOUND enter as flagged priors ...
    assert cat.munitions["152mm"].complete_round_mass is not None
    assert cat.munitions["152mm"].complete_round_mass.unverified
    assert cat.munitions["152mm"].packaging.unverified
    assert cat.munitions["240mm-rocket"].mass.unverified
    assert (
        cat.carriers["ship-voyage"].holds is not None and cat.carriers["ship-voyage"].holds.count.unverified
    )
    # ... while sourced ranges are not flagged.
    assert not cat.munitions["152mm"].mass.unverified
    assert not cat.carriers["container-20ft"].payload.unverified  # type: ignore[union-attr]
    assert (cat.munitions["152mm"].mass.low, cat.munitions["152mm"].mass.high) == (40.0, 46.0)


def test_catalogue_has_the_required_munitions_and_carriers(cat: Catalogue) -> None:
    assert {"152mm", "122mm", "122mm-rocket", "155mm", "240mm-rocket", "82mm-mortar"} <= set(cat.munitions)
    assert {"container-20ft", "container-40ft", "railcar", "ship-voyage"} <= set(cat.carriers)


def _broken_copy(tmp_path: Path, name: str, edit: Any) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(SHIPPED, folder)
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "edit", "field"),
    [
        ("munitions.yaml", lambda d: d["munitions"][0]["mass_kg"].pop("sources"), "152mm.mass_kg.sources"),
        ("munitions.yaml", lambda d: d["munitions"][0]["mass_kg"].update(low=50.0), "152mm.mass_kg"),
        ("munitions.yaml", lambda d: d["munitions"][0]["mass_kg"].update(high="heavy"), "152mm.mass_kg.high"),
        ("munitions.yaml", lambda d: d["munitions"][0].update(kind="bomb"), "munitions.152mm.kind"),
        (
            "munitions.yaml",
            lambda d: d["munitions"][0]["packaging_mass_factor"].pop("note"),
            "152mm.packaging_mass_factor.note",
        ),
        (
            "munitions.yaml",
            lambda d: d["munitions"][0]["mass_kg"]["sources"].append("not a url"),
            "152mm.mass_kg.sources[3]",
        ),
        ("munitions.yaml", lambda d: d["munitions"][1].update(aliases=["152mm shell"]), "munitions.155mm"),
        ("carriers.yaml", lambda d: d["carriers"][0].pop("payload_kg"), "carriers.container-20ft"),
        ("carriers.yaml", lambda d: d["carriers"][4]["holds"].update(carrier="ship-voyage"), "holds.carrier"),
        ("loading.yaml", lambda d: d["loading"]["utilisation"].update(high=1.5), "loading.utilisation.high"),
        ("conventions.yaml", lambda d: d["qualifiers"]["factors"].pop("more_than"), "qualifiers.factors"),
        ("conventions.yaml", lambda d: d["official"]["statements"][0].update(munition="151mm"), "munition"),
        ("conventions.yaml", lambda d: d.update(version=2), "version"),
    ],
)
def test_catalogue_errors_name_file_and_field(tmp_path: Path, name: str, edit: Any, field: str) -> None:
    folder = _broken_copy(tmp_path, name, edit)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(folder)
    assert info.value.item == str(folder / name)
    assert field in info.value.message


def test_catalogue_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    shutil.copytree(SHIPPED, folder)
    (folder / "loading.yaml").write_text("version: 1\nloading: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"line \d+: YAML does not parse"):
        load_catalogue(folder)


def test_lookups_by_alias_plural_and_calibre(cat: Catalogue) -> None:
    assert cat.carrier("containers").id == "container-20ft"
    assert cat.carrier("40-ft containers").id == "container-40ft"
    assert cat.carrier("Voyages").id == "ship-voyage"
    assert cat.carrier("wagons").id == "railcar"
    assert cat.munition("152-millimetre artillery shells").id == "152mm"
    assert cat.munition("122mm MRL rockets").id == "122mm-rocket"
    assert cat.munition("122 mm rounds").id == "122mm"
    assert cat.munition("6-inch shells").id == "152mm"
    assert cat.munition("Grad").id == "122mm-rocket"
    assert lookup_key("152-mm Shells") == lookup_key("152mm shell")
    assert calibre_in("if filled with 240-mm rockets instead") == (240, "rocket")


def test_unknown_names_list_close_matches_and_point_to_list(cat: Catalogue) -> None:
    with pytest.raises(UsageError) as info:
        cat.munition("15mm")
    assert "152mm" in str(info.value) and "155mm" in str(info.value) and "--list" in str(info.value)
    with pytest.raises(UsageError) as info:
        cat.carrier("contaner")
    assert "container-20ft" in str(info.value) and "--list" in str(info.value)


# -- parsing -----------------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=10**11))
def test_amounts_with_thousands_separators_round_trip(n: int) -> None:
    assert parse_amount(f"{n:,}", "x") == n
    assert parse_amount(str(n), "x") == n


@pytest.mark.parametrize(
    ("text", "value"), [("12 million", 12e6), ("1.5m", 1.5e6), ("5K", 5e3), ("28,000", 28e3), ("2bn", 2e9)]
)
def test_amount_scales(text: str, value: float) -> None:
    assert parse_amount(text, "x") == value


def test_count_qualifiers_and_ranges() -> None:
    assert parse_count("over 28000") == Count(28000.0, Qualifier.MORE_THAN)
    assert parse_count("about 6,700") == Count(6700.0, Qualifier.APPROXIMATELY)
    assert parse_count("20000-28000") == Count(None, Qualifier.RANGE, 20000.0, 28000.0)
    assert parse_count("13000", qualifier=Qualifier.AT_LEAST).qualifier is Qualifier.AT_LEAST
    with pytest.raises(UsageError, match="--qualifier says"):
        parse_count("over 13000", qualifier=Qualifier.UP_TO)
    with pytest.raises(UsageError, match="runs backwards"):
        parse_count("28000-20000")
    with pytest.raises(UsageError, match="not a number"):
        parse_count("many")


@pytest.mark.parametrize("value", [0, -5, MAX_CARRIERS + 1])
def test_zero_negative_and_absurd_counts_are_refused(value: float) -> None:
    with pytest.raises(UsageError):
        validate_carriers(Count(float(value)))


def test_mix_parsing(cat: Catalogue) -> None:
    assert parse_mix("152mm:0.8,122mm-rocket:0.2", cat) == (
        MixShare("152mm", 0.8),
        MixShare("122mm-rocket", 0.2),
    )
    assert parse_mix("152mm:80%,122mm rocket:20%", cat) == parse_mix("152mm:0.8,122mm-rocket:0.2", cat)
    for bad, message in [
        ("152mm:0.5,122mm-rocket:0.2", "sum to 0.7"),
        ("152mm:0.5,152mm:0.5", "twice"),
        ("152mm", "MUNITION:SHARE"),
        ("152mm:lots", "not a number"),
        ("152mm:1.5", "at most 1"),
        ("151mm:1", "unknown munition"),
    ]:
        with pytest.raises(UsageError, match=message):
            parse_mix(bad, cat)


def test_check_parsing(cat: Catalogue) -> None:
    conv = parse_check("28000 containers = 12000000 152mm", cat)
    assert (conv.carriers.central, conv.carrier, conv.rounds.central, conv.munition) == (
        28000,
        "container-20ft",
        12e6,
        "152mm",
    )
    assert round(conv.implied_per_carrier) == 429
    conv = parse_check("over 6,700 containers -> 3 million rounds", cat)
    assert (
        conv.carriers.qualifier is Qualifier.MORE_THAN
        and conv.rounds.central == 3e6
        and conv.munition is None
    )
    assert parse_check("64 voyages = 5 million 152mm shells", cat).carrier == "ship-voyage"
    with pytest.raises(UsageError, match="N CARRIERS = M"):
        parse_check("28000 containers", cat)


# -- the Monte Carlo -----------------------------------------------------------------------------------


def test_a_seed_reproduces_the_draws_and_another_seed_does_not(cat: Catalogue) -> None:
    a, b = simulate(cat, query(28000, seed=7)), simulate(cat, query(28000, seed=7))
    c = simulate(cat, query(28000, seed=8))
    assert np.array_equal(a.total, b.total)
    assert not np.array_equal(a.total, c.total)
    assert (
        run_estimate(cat, query(28000, seed=7)).to_dict() == run_estimate(cat, query(28000, seed=7)).to_dict()
    )


def test_default_draws_are_stable_across_seeds(cat: Catalogue) -> None:
    p = [run_estimate(cat, query(28000, seed=s)).physical for s in (1, 2, 3)]
    for attr in ("p5", "p50", "p95"):
        values = [getattr(x, attr) for x in p]
        assert max(values) / min(values) < 1.02


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [
        (Count(28000.0, Qualifier.MORE_THAN), 28000, 28000 * 1.3),
        (Count(28000.0, Qualifier.AT_LEAST), 28000, 28000 * 1.3),
        (Count(28000.0, Qualifier.APPROXIMATELY), 28000 * 0.9, 28000 * 1.1),
        (Count(28000.0, Qualifier.UP_TO), 28000 * 0.7, 28000),
        (Count(None, Qualifier.RANGE, 20000.0, 28000.0), 20000, 28000),
    ],
)
def test_count_is_drawn_within_its_qualifier(cat: Catalogue, count: Count, low: float, high: float) -> None:
    sim = simulate(cat, query(count))
    [drawn] = [i.values for i in sim.inputs if i.prior.name == "count"]
    assert low <= drawn.min() < low + 0.01 * (high - low)
    assert high - 0.01 * (high - low) < drawn.max() <= high
    # uniform: the mean sits in the middle
    assert drawn.mean() == pytest.approx((low + high) / 2, rel=0.005)
    assert np.allclose(sim.total, sim.per_carrier * drawn)


def test_exact_count_is_not_drawn(cat: Catalogue) -> None:
    sim = simulate(cat, query(28000))
    assert "count" not in {i.prior.name for i in sim.inputs}
    assert np.allclose(sim.total, sim.per_carrier * 28000)


def test_over_shifts_the_total_up_by_the_mean_factor(cat: Catalogue) -> None:
    exact = run_estimate(cat, query(28000)).physical.mean
    over = run_estimate(cat, query(Count(28000.0, Qualifier.MORE_THAN))).physical.mean
    assert over / exact == pytest.approx(1.15, rel=0.01)


# -- acceptance numbers (issue 3) --------------------------------------------------------------------


@pytest.mark.parametrize(("containers", "stated"), [(6700, 3e6), (13000, 6e6), (28000, 12e6)])
def test_official_convention_reproduces_the_south_korean_statements(
    cat: Catalogue, containers: int, stated: float
) -> None:
    official = run_estimate(cat, query(containers)).official
    assert abs(official.value - stated) / stated < 0.10
    assert not official.calibrations[0].extrapolated


def test_physical_band_for_16000_containers_overlaps_the_reuters_osc_range(cat: Catalogue) -> None:
    physical = run_estimate(cat, query(16000)).physical
    assert physical.p5 < 6e6 and physical.p95 > 4e6
    assert physical.p5 < physical.p50 < physical.p95


def test_check_28000_containers_12_million_152mm(cat: Catalogue) -> None:
    conv = parse_check("28000 containers = 12000000 152mm", cat)
    result = run_estimate(cat, query(conv.carriers), conversion=conv)
    assert result.check is not None
    assert round(result.check.implied_per_carrier) == 429
    assert result.check.verdict in (Verdict.PLAUSIBLE, Verdict.UPPER_BOUND)
    assert result.check.implied_per_carrier < result.ceiling.per_carrier


def test_clearly_impossible_conversion_is_implausible(cat: Catalogue) -> None:
    conv = parse_check("1000 containers = 50000000 152mm", cat)
    result = run_estimate(cat, query(conv.carriers), conversion=conv)
    assert result.check is not None and result.check.verdict is Verdict.IMPLAUSIBLE
    assert "ceiling" in result.check.reason and result.check.percentile == 100


def test_low_conversion_is_plausible_with_a_reason(cat: Catalogue) -> None:
    conv = parse_check("1000 containers = 100000 152mm", cat)
    result = run_estimate(cat, query(conv.carriers), conversion=conv)
    assert result.check is not None and result.check.verdict is Verdict.PLAUSIBLE
    assert "below the physical p5" in result.check.reason


def test_ceiling_is_payload_over_the_lightest_bare_projectile(cat: Catalogue) -> None:
    top = run_estimate(cat, query(1000)).ceiling
    assert top.per_carrier == pytest.approx(28180 / 40)
    sim = simulate(cat, query(1000))
    assert sim.per_carrier.max() <= top.per_carrier


# -- mixes, carriers, conventions ----------------------------------------------------------------------


def test_mix_lies_between_its_munitions_and_weights_the_official_ratio(cat: Catalogue) -> None:
    shells = run_estimate(cat, query(28000, munition="152mm"))
    rockets = run_estimate(cat, query(28000, munition="122mm-rocket"))
    mixed = run_estimate(cat, query(28000, mix=(MixShare("152mm", 0.8), MixShare("122mm-rocket", 0.2))))
    assert rockets.physical.p50 < mixed.physical.p50 < shells.physical.p50
    assert mixed.official.value == pytest.approx(0.8 * shells.official.value + 0.2 * rockets.official.value)
    assert mixed.empirical.low is None and "no published analysis" in (mixed.empirical.note or "")
    assert any("shares of carriers" in n for n in mixed.notes)


def test_rockets_are_volume_limited_and_calibrated_on_their_own_statements(cat: Catalogue) -> None:
    result = run_estimate(cat, query(6700, munition="122mm-rocket"))
    assert result.volume_limited["122mm-rocket"] > 0.5
    assert abs(result.official.value - 500_000) / 500_000 < 0.10
    shells = run_estimate(cat, query(6700, munition="152mm"))
    assert shells.volume_limited["152mm"] < 0.5


def test_munition_without_statements_is_extrapolated_by_mass(cat: Catalogue) -> None:
    result = run_estimate(cat, query(1000, munition="240mm-rocket"))
    [calibration] = result.official.calibrations
    assert calibration.extrapolated and "scaled by mass" in calibration.basis
    ref = run_estimate(cat, query(1000)).official.per_carrier
    assert calibration.ratio == pytest.approx(ref * 43.5 / 408.0)


def test_composite_carriers_scale_with_what_they_hold(cat: Catalogue) -> None:
    box = run_estimate(cat, query(100)).per_carrier.p50
    flatcar = run_estimate(cat, query(100, carrier="container-flatcar")).per_carrier.p50
    voyage = run_estimate(cat, query(100, carrier="ship-voyage")).per_carrier.p50
    assert flatcar == pytest.approx(2 * box, rel=0.02)
    assert 180 * box < voyage < 300 * box
    assert run_estimate(cat, query(100, carrier="ship-voyage")).official.container_equivalents == 240


def test_empirical_convention_lists_each_analysis(cat: Catalogue) -> None:
    result = run_estimate(cat, query(16000))
    ids = {a.id for a in result.empirical.analyses}
    assert {"reuters_osc_2025_04_15", "c4ads_wapo_2024_06"} <= ids
    reuters = next(a for a in result.empirical.analyses if a.id == "reuters_osc_2025_04_15")
    assert (reuters.low, reuters.high) == pytest.approx((4e6, 6e6))
    c4ads = next(a for a in result.empirical.analyses if a.id == "c4ads_wapo_2024_06")
    assert c4ads.per_carrier_low == pytest.approx(21750 / 46.25)


def test_sensitivity_ranks_inputs_by_influence(cat: Catalogue) -> None:
    result = run_estimate(cat, query(Count(28000.0, Qualifier.APPROXIMATELY)))
    ranking = {s.parameter: s.rank_correlation for s in result.sensitivity}
    magnitudes = [abs(s.rank_correlation) for s in result.sensitivity]
    assert magnitudes == sorted(magnitudes, reverse=True)
    assert ranking["loading.utilisation"] > 0.2 and ranking["loading.charge_share"] < -0.2
    assert ranking["152mm.packaging_mass_factor"] < 0
    assert abs(ranking["container-20ft.internal_length_m"]) < 0.05  # volume rarely binds for shells
    assert "count" in ranking


def test_assumptions_surface_unverified_priors(cat: Catalogue) -> None:
    data = run_estimate(cat, query(28000)).to_dict()
    flagged = {a["parameter"] for a in data["assumptions"] if a["unverified"]}  # type: ignore[index]
    assert {"152mm.complete_round_mass_kg", "loading.munition_share", "loading.charge_share"} <= flagged
    assert "152mm.mass_kg" not in flagged


def test_memory_is_checked_before_allocating(cat: Catalogue) -> None:
    huge = query(28000, draws=10**10)
    assert bytes_needed(cat, huge) > 10**11
    with pytest.raises(UsageError, match="GiB of memory"):
        check_memory(cat, huge, 2 * 1024**3)
    with pytest.raises(UsageError, match="GiB of memory"):
        run_estimate(cat, query(28000, draws=10**7), max_bytes=10**6)
    check_memory(cat, query(28000, draws=10**6), 2 * 1024**3)  # fits


def test_json_form_has_the_documented_keys(cat: Catalogue) -> None:
    conv = parse_check("28000 containers = 12000000 152mm", cat)
    data = run_estimate(cat, query(conv.carriers), conversion=conv).to_dict()
    assert {"official", "physical", "empirical", "per_carrier", "assumptions", "sensitivity", "check"} <= set(
        data
    )
    assert {"value"} <= set(data["official"])  # type: ignore[arg-type]
    assert {"p5", "p50", "p95", "mean"} <= set(data["physical"])  # type: ignore[arg-type]
    assert {"low", "high"} <= set(data["empirical"])  # type: ignore[arg-type]
    assert {"implied_per_carrier", "verdict", "reason"} <= set(data["check"])  # type: ignore[arg-type]
    json.dumps(data)  # serialisable as is
