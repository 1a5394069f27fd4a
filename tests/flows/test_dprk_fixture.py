"""The issue's checks on the curated DPRK → Russia fixture, through the ledger and the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from armsledger.cli import app
from armsledger.flows import ForecastStatus, ledger_flows, timeline
from armsledger.store import Ledger

AUGUST_2024 = "2024-08-31"


def _timeline(runner: CliRunner, db: Path, cls: str, as_of: str = AUGUST_2024) -> dict[str, Any]:
    result = runner.invoke(
        app, ["timeline", "PRK", "RUS", cls, "--as-of", as_of, "--format", "json", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_containers_as_of_august_2024(runner: CliRunner, dprk_db: Path) -> None:
    data = _timeline(runner, dprk_db, "containers")
    assert data["flow"] == {
        "supplier": "PRK",
        "recipient": "RUS",
        "item_class": "containers",
        "label": "Shipping containers",
    }
    assert data["as_of"] == AUGUST_2024
    best = data["best"]
    assert best["value"] == 13_000 and best["low"] >= 13_000 and best["high"] > 13_000
    assert data["lower_bound"] is True and data["capacity_based"] is False
    chosen = data["chosen"]
    assert chosen["source"]["id"] == "kor-dia"
    assert "Defense Intelligence Agency" in chosen["attribution"]
    assert chosen["quantity"]["qualifier"] == "more_than"
    # Nothing reported after the as-of date is used.
    assert all(a["published"] <= AUGUST_2024 for a in data["assertions"])
    assert {"attribution", "published", "quantity", "grade", "reports"} <= set(data["assertions"][0])


def test_shells_as_of_august_2024_are_capacity_based(runner: CliRunner, dprk_db: Path) -> None:
    data = _timeline(runner, dprk_db, "152mm shells")
    assert data["flow"]["item_class"] == "artillery-ammunition"
    assert 5_500_000 <= data["best"]["value"] <= 6_500_000
    assert data["capacity_based"] is True
    assert data["chosen"]["capacity_based"] is True
    assert any("capacity-based" in r for r in data["reasons"])
    # Synonyms reach the same flow.
    assert _timeline(runner, dprk_db, "artillery rounds")["best"] == data["best"]


def test_february_2024_conflict(runner: CliRunner, dprk_db: Path) -> None:
    data = _timeline(runner, dprk_db, "containers")
    pairs = [
        c
        for c in data["conflicts"]
        if {c["first"]["published"], c["second"]["published"]} == {"2024-02-23", "2024-02-26"}
    ]
    assert len(pairs) == 1
    conflict = pairs[0]
    assert conflict["reason"] == "attributor"
    figures = {conflict["first"]["quantity"]["value"], conflict["second"]["quantity"]["value"]}
    assert figures == {10_000, 6_700}
    assert "State Department" in conflict["first"]["attribution"]
    assert "Shin" in conflict["second"]["attribution"]
    # Both evidence sentences travel with the conflict.
    assert "10,000 containers" in conflict["first"]["evidence"]
    assert "6,700 containers" in conflict["second"]["evidence"]


def test_june_2025_announcement_is_a_resolved_forecast(runner: CliRunner, dprk_db: Path) -> None:
    result = runner.invoke(
        app, ["forecasts", "--as-of", "2026-06-30", "--format", "json", "--db", str(dprk_db)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    june = [f for f in data["forecasts"] if f["published"] == "2025-06-17"]
    by_class = {f["flow"]["item_class"]: f for f in june}
    assert set(by_class) == {"military-engineers", "workers"}
    sappers, builders = by_class["military-engineers"], by_class["workers"]
    assert sappers["quantity"]["value"] == 1_000 and builders["quantity"]["value"] == 5_000
    assert "Shoigu" in sappers["attribution"]
    assert sappers["window"]["start"] == "2025-06-17"
    # The ledger has a later arrival for the sappers (NIS, 2025-09-02), none for the builders.
    assert sappers["status"] == "fulfilled"
    assert [r["published"] for r in sappers["resolved_by"]] == ["2025-09-02"]
    assert builders["status"] == "not" and builders["resolved_by"] == []
    assert all(f["status"] in {s.value for s in ForecastStatus} for f in data["forecasts"])
    records = {t["source"]["id"]: t for t in data["track_records"]}
    assert records["rus-government"]["fulfilled"] == 1 and records["rus-government"]["not"] == 1


def test_forecast_is_pending_before_its_window_closes(dprk_db: Path) -> None:
    with Ledger.open(str(dprk_db)) as ledger:
        flows = ledger_flows(ledger, date(2025, 7, 1))
    june = [f for f in flows.forecasts if f.assertion.assertion.first_published == date(2025, 6, 17)]
    assert {f.status for f in june} == {ForecastStatus.PENDING}


def test_restatements_by_two_outlets_are_one_assertion(dprk_db: Path) -> None:
    with Ledger.open(str(dprk_db)) as ledger:
        ans = timeline(ledger, "PRK", "RUS", "shells", date(2025, 7, 31))
    twelve = [g for g in ans.assertions if g.assertion.bounds.point == 12_000_000]
    assert len(twelve) == 1
    merged = twelve[0].assertion
    assert merged.report_count == 2
    assert sum(r.outlets for r in merged.reports) == 2
    # Syndication is not corroboration: the second outlet adds no independent support.
    assert twelve[0].grade.corroborated_by == ()


def test_plan_vs_arrival_conflict_for_troops(runner: CliRunner, dprk_db: Path) -> None:
    data = _timeline(runner, dprk_db, "troops", "2024-10-31")
    reasons = {
        (c["reason"], c["first"]["quantity"]["value"], c["second"]["quantity"]["value"])
        for c in data["conflicts"]
    }
    assert ("plan_vs_arrival", 12_000, 1_500) in reasons


def test_conflicts_command_lists_reasons(runner: CliRunner, dprk_db: Path) -> None:
    result = runner.invoke(
        app, ["conflicts", "--format", "json", "--as-of", "2025-12-31", "--db", str(dprk_db)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    reasons = {c["reason"] for c in data["conflicts"]}
    assert {"attributor", "capacity_vs_content", "start_date", "plan_vs_arrival"} <= reasons
    for c in data["conflicts"]:
        assert c["first"]["evidence"] and c["second"]["evidence"]


def test_timeline_table_and_report_chart(runner: CliRunner, dprk_db: Path, tmp_path: Path) -> None:
    table = runner.invoke(
        app, ["timeline", "PRK", "RUS", "containers", "--as-of", AUGUST_2024, "--db", str(dprk_db)]
    )
    assert table.exit_code == 0, table.output
    assert "13,000" in table.output and "attributor" in table.output
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--db", str(dprk_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'href="#timelines"' in html and 'id="timelines"' in html
    assert html.count('<svg class="timeline"') >= 2
    assert 'class="band"' in html and "<script" not in html
    # Grade colours: B (green) markers for the intelligence services.
    assert 'stroke="#2e7d32"' in html


def test_unknown_class_is_a_usage_error(runner: CliRunner, dprk_db: Path) -> None:
    result = runner.invoke(app, ["timeline", "PRK", "RUS", "spaceships", "--db", str(dprk_db)])
    assert result.exit_code == 2
    assert "containers" in result.output
