"""Shared fixtures: real SQLite ledgers under tmp_path, claim and document builders, the eval dev set."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from armsledger.models import Category, Claim, Document, Period, Qualifier, Quantity, Span, Status
from armsledger.store import Ledger

from .postgres_server import (
    PostgresServer,
    PostgresUnavailable,
    create_database,
    drop_database,
    find_bin_dir,
    running_server,
)

REPO = Path(__file__).resolve().parents[1]
DEV_DIR = REPO.parent / "shared" / "eval" / "dev"
EXAMPLES_DIR = REPO / "examples"


@pytest.fixture
def dev_dir() -> Path:
    """The evaluation dev set (../shared/eval/dev); tests needing it skip when it is absent."""
    if not DEV_DIR.is_dir() or not any(DEV_DIR.glob("*.json")):
        pytest.skip(f"eval dev set not found at {DEV_DIR}")
    return DEV_DIR


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def ledger(db_path: Path) -> Iterator[Ledger]:
    """A fresh ledger in a real SQLite file."""
    with Ledger.open(str(db_path)) as opened:
        yield opened


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the whole run (tests/postgres_server.py), stopped at the end.

    Skipped when the server binaries are not installed, except under CI (CI set), where that fails.
    """
    missing = None
    try:
        find_bin_dir()
    except PostgresUnavailable as exc:
        missing = str(exc)
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {missing}", pytrace=False)
        pytest.skip(missing)
    with running_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh empty database on the test server, dropped after the test."""
    name = create_database(postgres_server)
    yield postgres_server.url(name)
    drop_database(postgres_server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, db_path: Path) -> str:
    """The URL of a fresh ledger database, once per backend: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{db_path}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def any_ledger(ledger_url: str) -> Iterator[Ledger]:
    """A fresh ledger on each backend (tests using it run once on SQLite, once on PostgreSQL)."""
    with Ledger.open(ledger_url) as opened:
        yield opened


def make_doc(text: str, **kwargs: Any) -> Document:
    """A document whose id is the hash of ``text``."""
    return Document.from_text(text, **kwargs)


def make_claim(
    supplier: str | None = "PRK",
    recipient: str | None = "RUS",
    category: Category = Category.AMMUNITION,
    item: str = "artillery shell",
    *,
    value: int | float | None = None,
    low: int | float | None = None,
    high: int | float | None = None,
    qualifier: Qualifier | None = None,
    unit: str | None = None,
    status: Status = Status.OCCURRED,
    estimated: bool = False,
    start: str | None = None,
    end: str | None = None,
    location: str | None = None,
    attribution: str | None = None,
    evidence: str = "",
    span: tuple[int, int] | None = None,
    extractor_version: str = "0.1.0",
) -> Claim:
    """A claim with sensible defaults; every field can be overridden."""
    return Claim(
        supplier=supplier,
        recipient=recipient,
        category=category,
        item=item,
        quantity=Quantity(value=value, low=low, high=high, qualifier=qualifier, unit=unit),
        status=status,
        estimated=estimated,
        time=Period(start, end) if (start or end) else None,
        location=location,
        attribution=attribution,
        evidence=evidence,
        span=Span(*span) if span else None,
        extractor_version=extractor_version,
    )


ClaimFactory = Callable[..., Claim]


@pytest.fixture
def claim() -> ClaimFactory:
    return make_claim


@pytest.fixture
def seeded(ledger: Ledger) -> Ledger:
    """A SQLite ledger with three documents and six claims covering every filter and flow case."""
    return seed_ledger(ledger)


@pytest.fixture
def any_seeded(any_ledger: Ledger) -> Ledger:
    """The ``seeded`` ledger on each backend."""
    return seed_ledger(any_ledger)


def seed_ledger(ledger: Ledger) -> Ledger:
    """Store three documents and six claims covering every filter and flow case; return ``ledger``."""
    a = make_doc(
        "Pyongyang shipped over 12 million shells to Russia. It also sent 13,000 troops.",
        title="A",
        published=date(2024, 8, 28),
        external_id="doc-a",
    )
    b = make_doc(
        "Seoul said 5,000 workers may be sent in July or August. Kim denied any arms sales.",
        title="B",
        published=date(2025, 7, 13),
    )
    c = make_doc(
        "Russia delivered more than 1 million barrels of oil to the North.",
        title="C",
        published=None,
    )
    ledger.add_document(
        a,
        [
            make_claim(
                value=12_000_000,
                qualifier=Qualifier.MORE_THAN,
                estimated=True,
                start="2023-10",
                evidence="Pyongyang shipped over 12 million shells to Russia.",
                span=(0, 51),
            ),
            make_claim(
                category=Category.PERSONNEL,
                item="troop",
                value=13_000,
                qualifier=Qualifier.EXACT,
                evidence="It also sent 13,000 troops.",
                span=(52, 79),
            ),
            make_claim(
                category=Category.AMMUNITION,
                item="artillery shell",
                low=3_000,
                high=5_000,
                qualifier=Qualifier.RANGE,
                start="2022",
                evidence="Pyongyang shipped over 12 million shells to Russia.",
                span=(0, 51),
            ),
        ],
    )
    ledger.add_document(
        b,
        [
            make_claim(
                category=Category.PERSONNEL,
                item="military construction worker",
                value=5_000,
                qualifier=Qualifier.EXACT,
                status=Status.EXPECTED,
                start="2025-07",
                end="2025-08",
                location="Kursk",
                attribution="NIS",
                span=(0, 55),
            ),
            make_claim(status=Status.DENIED, item="arms", category=Category.WEAPON_SYSTEM, span=(56, 82)),
        ],
    )
    ledger.add_document(
        c,
        [
            make_claim(
                supplier="RUS",
                recipient="PRK",
                category=Category.OTHER,
                item="oil",
                value=1_000_000,
                qualifier=Qualifier.MORE_THAN,
                unit="barrel",
                span=(0, 64),
            )
        ],
    )
    return ledger
