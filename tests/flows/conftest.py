"""Fixtures for flows: a real SQLite ledger with the curated DPRK → Russia claims imported by the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from armsledger.cli import app

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "dprk_russia_claims.jsonl"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def dprk_db(tmp_path: Path, runner: CliRunner) -> Path:
    """A ledger file holding the curated fixture, imported through `armsledger import-claims`."""
    db = tmp_path / "dprk.db"
    result = runner.invoke(app, ["import-claims", str(FIXTURE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db
