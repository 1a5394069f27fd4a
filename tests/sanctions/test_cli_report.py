"""`armsledger sanctions` and the report's sanctions section, on the seed article's ledger."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsledger.cli import app
from armsledger.report import render_html
from armsledger.settings import REGISTRY
from armsledger.store import Ledger

from .test_rules import EU_RULES

REQUIRED = {
    "regime",
    "resolution",
    "paragraph",
    "kind",
    "claim_ids",
    "summary",
    "status",
    "confidence",
    "source_urls",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _json(runner: CliRunner, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["sanctions", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_json_findings_have_the_documented_fields(
    runner: CliRunner, seed_ledger: Ledger, db_path: Path
) -> None:
    findings = _json(runner, "--db", str(db_path))
    assert findings and all(set(f) >= REQUIRED for f in findings)
    ids = {c.claim_id for c in seed_ledger.list_claims()}
    nine = [f for f in findings if f["resolution"] == "1874 (2009)" and f["paragraph"] == "9"]
    assert nine and any(f["kind"] == "breach" and f["status"] == "occurred" for f in nine)
    assert all(set(f["claim_ids"]) <= ids for f in findings)  # type: ignore[arg-type]
    workers = [f for f in findings if f["resolution"] == "2397 (2017)" and f["paragraph"] == "8"]
    assert [(f["kind"], f["status"]) for f in workers] == [("intent", "expected")]


def test_regime_filter_and_unknown_regime(runner: CliRunner, seed_ledger: Ledger, db_path: Path) -> None:
    assert _json(runner, "--db", str(db_path), "--regime", "iran") == []
    dprk = _json(runner, "--db", str(db_path), "--regime", "DPRK")
    assert dprk and {f["regime"] for f in dprk} == {"DPRK"}
    bad = runner.invoke(app, ["sanctions", "--db", str(db_path), "--regime", "ATLANTIS"])
    assert bad.exit_code == 2 and "DPRK" in bad.output
    table = runner.invoke(app, ["sanctions", "--db", str(db_path)])
    assert table.exit_code == 0 and "1874 (2009), para. 9" in table.stdout and "intent" in table.stdout


def test_user_regimes_join_and_broken_rule_files_fail_with_their_line(
    runner: CliRunner, seed_ledger: Ledger, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    (folder / "eu.yaml").write_text(EU_RULES, encoding="utf-8")
    monkeypatch.setenv(REGISTRY["sanctions_dir"][0], str(folder))
    eu = _json(runner, "--db", str(db_path), "--regime", "EU-RUSSIA")
    assert eu and all(f["resolution"] == "2014/512/CFSP" and f["recipient"] == "RUS" for f in eu)
    (folder / "eu.yaml").write_text(EU_RULES.replace("goods: [arms]", "goods: [guns]"), encoding="utf-8")
    broken = runner.invoke(app, ["sanctions", "--db", str(db_path)])
    assert broken.exit_code == 1
    assert re.search(
        r"eu\.yaml:\d+: provisions\[0\]\.scope\.goods: unknown goods class 'guns'", broken.output
    )


def test_the_report_has_a_sanctions_section(seed_ledger: Ledger) -> None:
    html = render_html(seed_ledger)
    assert 'id="sanctions"' in html and 'href="#sanctions"' in html
    assert "1874 (2009), para. 9" in html and "badge-intent" in html and "badge-breach" in html
    for attr in re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html, re.IGNORECASE):
        assert "http" not in attr.lower(), attr
    assert "https://sipri.org/node/1421" in html  # sources shown as text


def test_the_report_of_a_ledger_without_findings(ledger: Ledger) -> None:
    assert "No claim engages a sanctions provision" in render_html(ledger)
