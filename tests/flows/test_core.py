"""flows/ core on small hand-made ledgers: classes, restatement merge, bands, grading, conflicts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from armsledger.errors import LexiconError, UsageError
from armsledger.flows import (
    Basis,
    ConflictReason,
    ForecastStatus,
    ledger_flows,
    load_item_classes,
    load_sources,
    timeline,
)
from armsledger.models import Category, Document, Qualifier, Status
from armsledger.store import Ledger
from armsledger.store.sourced import NewCuratedClaim

from ..conftest import make_claim, make_doc


def _report(ledger: Ledger, text: str, published: date, outlet: str, *claims: object) -> None:
    doc = make_doc(text, published=published, outlet=outlet, url=f"https://example.org/{outlet}")
    ledger.add_document(doc, list(claims))  # type: ignore[arg-type]


def _containers(
    value: int,
    attribution: str | None,
    *,
    q: Qualifier = Qualifier.MORE_THAN,
    start: str | None = "2023-09",
    span: tuple[int, int] = (0, 10),
) -> object:
    return make_claim(
        category=Category.SHIPMENT,
        item="container",
        value=value,
        qualifier=q,
        start=start,
        attribution=attribution,
        evidence=f"{value} containers",
        span=span,
    )


def test_item_classes_fold_synonyms() -> None:
    classes = load_item_classes()
    assert classes.classify("152mm shells", Category.AMMUNITION) == "artillery-ammunition"
    assert classes.classify("152-mm artillery rounds", Category.AMMUNITION) == "artillery-ammunition"
    assert classes.classify("munitions", Category.AMMUNITION) == "artillery-ammunition"
    assert classes.classify("soldiers", Category.PERSONNEL) == "troops"
    assert classes.classify("troop", Category.PERSONNEL) == "troops"
    assert classes.classify("sapper", Category.PERSONNEL) == "military-engineers"
    assert classes.classify("containers of munitions", Category.SHIPMENT) == "containers"
    assert classes.classify("ballistic missile launcher", Category.WEAPON_SYSTEM) == "missile-launchers"
    assert classes.classify("KN-23 ballistic missiles", Category.MISSILE) == "ballistic-missiles"
    assert classes.classify("drone engines", Category.OTHER) == "other-other"
    assert classes.resolve("Shells") == "artillery-ammunition"
    assert classes.resolve("soldiers") == "troops"
    with pytest.raises(UsageError):
        classes.resolve("spaceships")


def test_broken_tables_name_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "classes.yaml"
    bad.write_text("classes:\n  - id: Bad Id\n    categories: [shipment]\n    terms: [x]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"classes\[0\]\.id"):
        load_item_classes(bad)
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "kinds:\n  anonymous: {reliability: F}\n  unlisted: {reliability: G}\n", encoding="utf-8"
    )
    with pytest.raises(LexiconError, match=r"kinds\.unlisted\.reliability"):
        load_sources(sources)


def test_restatements_merge_but_other_attributors_stay_apart(ledger: Ledger) -> None:
    _report(
        ledger,
        "A: over 10,000 containers.",
        date(2024, 2, 23),
        "wire",
        _containers(10_000, "US State Department"),
    )
    _report(
        ledger,
        "B: repeats over 10,000.",
        date(2024, 2, 24),
        "paper",
        _containers(10_000, "the State Department"),
    )
    _report(
        ledger,
        "C: repeat without the start date.",
        date(2024, 2, 25),
        "blog",
        _containers(10_000, "State Department", start=None),
    )
    _report(
        ledger, "D: a ministry's own count.", date(2024, 2, 25), "daily", _containers(10_000, "Shin Won-sik")
    )
    ans = timeline(ledger, "PRK", "RUS", "containers", date(2024, 3, 1))
    by_source = {g.assertion.source.id: g for g in ans.assertions}
    assert set(by_source) == {"usa-government", "kor-mnd"}
    us = by_source["usa-government"]
    assert len(us.assertion.reports) == 3
    assert {r.outlet for r in us.assertion.reports} == {"wire", "paper", "blog"}
    # Three outlets of one attributor are not corroboration; another ministry is.
    assert us.grade.corroborated_by == (by_source["kor-mnd"].assertion.id,)
    assert us.grade.credibility == 2


def test_different_start_dates_are_different_assertions_and_conflict(ledger: Ledger) -> None:
    _report(
        ledger, "A", date(2024, 8, 27), "x", _containers(13_000, "Defense Intelligence Agency", start="2022")
    )
    _report(
        ledger,
        "B",
        date(2024, 9, 1),
        "y",
        _containers(9_000, "National Intelligence Service", q=Qualifier.APPROXIMATELY, start="2023-08"),
    )
    ans = timeline(ledger, "PRK", "RUS", "containers", date(2024, 9, 30))
    assert len(ans.assertions) == 2
    assert [c.reason for c in ans.conflicts] == [ConflictReason.START_DATE]


def test_band_floors_and_period_figures(ledger: Ledger) -> None:
    _report(
        ledger, "A", date(2024, 1, 10), "x", _containers(5_000, "Shin Won-sik", q=Qualifier.APPROXIMATELY)
    )
    _report(ledger, "B", date(2024, 5, 20), "y", _containers(11_000, "Robert Wood, US mission to the UN"))
    period = make_claim(
        category=Category.SHIPMENT,
        item="container",
        value=1_000,
        qualifier=Qualifier.MORE_THAN,
        start="2023-09-07",
        end="2023-10-01",
        attribution="John Kirby",
        evidence="in that month",
        span=(0, 5),
    )
    _report(ledger, "C", date(2024, 5, 25), "z", period)
    ans = timeline(ledger, "PRK", "RUS", "containers", date(2024, 6, 1))
    assert ans.basis is Basis.CUMULATIVE and ans.lower_bound
    assert ans.best.value == 11_000
    assert ans.best.low == 11_000
    # "over N" is read as N to 1.3 N (estimate/catalogue/conventions.yaml).
    assert ans.best.high == pytest.approx(14_300)
    periods = [g for g in ans.assertions if g.assertion.basis is Basis.PERIOD]
    assert len(periods) == 1 and ans.chosen is not None and ans.chosen.assertion.basis is Basis.CUMULATIVE
    # With only the period figure the answer says so.
    only = timeline(ledger, "PRK", "RUS", "containers", date(2024, 1, 1))
    assert only.best.value is None and only.chosen is None


def test_reliability_comes_from_the_table_and_parties_are_graded_down(tmp_path: Path, ledger: Ledger) -> None:
    table = load_sources()
    assert table.match("South Korea Defense Intelligence Agency").reliability == "B"
    assert table.match(None).reliability == "F"
    assert table.match("a blogger nobody knows").kind == "unlisted"
    assert table.match("South Korean intelligence per Rio Times (unconfirmed)").reliability == "E"
    shoigu = table.match("Sergei Shoigu", ("PRK", "RUS"))
    assert shoigu.kind == "government_party" and shoigu.reliability == "D"
    assert table.match("Sergei Shoigu", ("PRK", "SYR")).reliability == "B"
    # An analyst edits the table: the grade follows.
    edited = tmp_path / "sources.yaml"
    edited.write_text(
        "kinds:\n  anonymous: {reliability: F}\n  unlisted: {reliability: F}\n  media: {reliability: C}\n"
        "sources:\n  - id: dia\n    name: DIA\n    kind: media\n    reliability: A\n    patterns: ['intelligence agency']\n",
        encoding="utf-8",
    )
    _report(ledger, "A", date(2024, 8, 27), "x", _containers(13_000, "Defense Intelligence Agency"))
    ans = timeline(ledger, "PRK", "RUS", "containers", date(2024, 9, 1), sources=load_sources(edited))
    assert ans.chosen is not None and ans.chosen.grade.code == "A3"


def test_credibility_drops_when_contradicted_by_a_more_reliable_source(ledger: Ledger) -> None:
    _report(ledger, "A", date(2024, 2, 23), "x", _containers(10_000, "US State Department"))
    _report(ledger, "B", date(2024, 2, 26), "y", _containers(6_700, "a blogger", q=Qualifier.APPROXIMATELY))
    ans = timeline(ledger, "PRK", "RUS", "containers", date(2024, 3, 1))
    grades = {g.assertion.source.kind: g.grade for g in ans.assertions}
    assert grades["unlisted"].code == "F5"
    assert grades["government"].code == "B4"
    assert ans.chosen is not None and ans.chosen.assertion.source.id == "usa-government"


def test_curated_claims_sit_beside_extracted_ones(ledger: Ledger, db_path: Path) -> None:
    _report(
        ledger,
        "Extracted report text.",
        date(2024, 8, 27),
        "wire",
        _containers(13_000, "Defense Intelligence Agency", start="2022"),
    )
    doc = Document.from_text(
        "Analyst-curated claims citing https://example.org/a",
        published=date(2024, 8, 28),
        url="https://example.org/a",
        outlet="curated",
    )
    claim = _containers(13_000, "Defense Intelligence Agency", start="2022")
    new = NewCuratedClaim(
        claim=claim, claim_id="c" * 16, document=doc, source_file="f.jsonl", line=1, row_sha256="0" * 64
    )  # type: ignore[arg-type]
    assert ledger.import_curated([new], source="f.jsonl").claims_added == 1
    assert ledger.import_curated([new], source="f.jsonl").claims_unchanged == 1
    origins = {s.origin for s in ledger.sourced_claims(supplier="PRK")}
    assert origins == {"extracted", "curated"}
    ans = timeline(ledger, "PRK", "RUS", "containers", date(2024, 9, 1))
    assert len(ans.assertions) == 1 and ans.assertions[0].assertion.report_count == 2
    indexes = {ix["name"] for ix in inspect(create_engine(f"sqlite:///{db_path}")).get_indexes("claims")}
    assert "ix_claims_flow" in indexes


def test_forecast_partly_fulfilled(ledger: Ledger) -> None:
    plan = make_claim(
        category=Category.PERSONNEL,
        item="soldier",
        value=12_000,
        status=Status.EXPECTED,
        attribution="NIS",
        evidence="plan",
        span=(0, 4),
    )
    _report(ledger, "plan", date(2024, 10, 18), "x", plan)
    arrived = make_claim(
        category=Category.PERSONNEL,
        item="troops",
        value=3_000,
        qualifier=Qualifier.APPROXIMATELY,
        start="2024-10",
        attribution="Pentagon",
        evidence="arrived",
        span=(0, 7),
    )
    _report(ledger, "arrival", date(2024, 10, 23), "y", arrived)
    flows = ledger_flows(ledger, date(2024, 11, 1))
    (forecast,) = flows.forecasts
    assert forecast.status is ForecastStatus.PARTLY and forecast.share == pytest.approx(0.25)
    (record,) = flows.track_records
    assert record.partly == 1 and record.score == pytest.approx(0.5)
