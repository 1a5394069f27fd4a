"""Workbench fixtures: a ledger built from examples/ with real extraction, copied per test; accounts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from armsledger.accounts import Role
from armsledger.cli import app
from armsledger.store import Ledger
from armsledger.web import create_app

from ..conftest import EXAMPLES_DIR


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples ingested once (extraction included) by the real CLI."""
    path = tmp_path_factory.mktemp("examples") / "examples.db"
    result = CliRunner().invoke(app, ["ingest", str(EXAMPLES_DIR), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def web_db(examples_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "web.db"
    shutil.copy(examples_db, path)
    return path


@pytest.fixture
def tokens(web_db: Path) -> dict[str, str]:
    """One account of each role: name → API token."""
    out = {}
    with Ledger.open(str(web_db)) as ledger:
        for role in Role:
            _user, out[role.value] = ledger.add_user(role.value, role)
    return out


@pytest.fixture
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(web_db))) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
