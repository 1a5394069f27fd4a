"""The ledger on a real PostgreSQL server (started by the test run), checked against the same input on SQLite.

The server comes from the session fixture ``postgres_server`` (tests/postgres_server.py); each test
gets its own empty database. Documents go through the real loader and extractor.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from armsledger.errors import StoreError, UsageError
from armsledger.estimate.catalogue import load_catalogue
from armsledger.estimate.link import store_document_estimates
from armsledger.extract import extract_document
from armsledger.ingest.curated import read_curated
from armsledger.ingest.loader import load_file
from armsledger.models import Category, Claim, Document, Status
from armsledger.store import AddState, ClaimFilter, Flow, Ledger, SaveState, StoredClaim
from armsledger.store.engine import engine_url
from armsledger.store.sourced import NewCuratedClaim, SourcedClaim

from .conftest import EXAMPLES_DIR, REPO, make_claim, make_doc
from .postgres_server import PostgresServer

SEED_ARTICLE = REPO.parent / "shared" / "seed-article.txt"
# Reports with shells, containers, troops, oil and denials; 007 and 010 each hold a container-to-shell
# conversion, so they also exercise stored estimates.
EXAMPLE_FILES = (
    "001-us-intel-russia-buying-shells.json",
    "005-nis-million-shells.json",
    "007-dia-13000-containers-6m-shells.json",
    "008-nis-troops-10000-by-december.json",
    "009-russia-oil-air-defence-to-north.json",
    "010-msmt-vs-osc-shell-estimates.json",
    "012-iran-admits-prewar-drones.json",
)
ESTIMATE_DRAWS = 2_000  # enough to compare backends; the estimate's accuracy is tested in test_estimate.py
ESTIMATE_SEED = 7


@dataclass(frozen=True, slots=True)
class Extracted:
    document: Document
    claims: list[Claim]


def _input_paths() -> list[Path]:
    paths = [EXAMPLES_DIR / name for name in EXAMPLE_FILES]
    if SEED_ARTICLE.is_file():
        paths.append(SEED_ARTICLE)
    return paths


@pytest.fixture(scope="module")
def extracted() -> list[Extracted]:
    """The example reports (and ../shared/seed-article.txt), loaded and run through the real extractor."""
    out = []
    for path in _input_paths():
        for outcome in load_file(path):
            assert isinstance(outcome, Document), outcome
            out.append(Extracted(outcome, extract_document(outcome)))
    assert sum(len(e.claims) for e in out) > 20
    return out


@pytest.fixture
def pg_ledger(postgres_url: str) -> Iterator[Ledger]:
    with Ledger.open(postgres_url) as opened:
        yield opened


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(str(tmp_path / "twin.db")) as opened:
        yield opened


def _ingest(ledger: Ledger, docs: list[Extracted]) -> list[AddState]:
    return [ledger.add_document(e.document, e.claims).state for e in docs]


@pytest.fixture
def twins(pg_ledger: Ledger, sqlite_ledger: Ledger, extracted: list[Extracted]) -> tuple[Ledger, Ledger]:
    """The same extracted reports stored in a PostgreSQL ledger and a SQLite ledger."""
    for ledger in (pg_ledger, sqlite_ledger):
        assert set(_ingest(ledger, extracted)) == {AddState.INSERTED}
    return pg_ledger, sqlite_ledger


def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(engine_url(url))
    try:
        with engine.connect() as conn:
            return {
                table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
                for table in ("documents", "claims", "estimates", "curated_rows")
            }
    finally:
        engine.dispose()


def _comparable(rows: list[StoredClaim]) -> list[tuple[Any, ...]]:
    # created_at is the wall clock of each backend's insert; everything else must match exactly.
    return [
        (r.claim_id, r.claim, r.document_id, r.document_public_id, r.document_published, r.origin)
        for r in rows
    ]


def _flow_key(flow: Flow) -> tuple[Any, ...]:
    return (flow.supplier, flow.recipient, flow.category, flow.status, flow.claims, flow.unquantified)


# -- opening and migrations ----------------------------------------------------------------------


def test_migrations_create_the_schema(postgres_url: str, postgres_server: PostgresServer) -> None:
    with Ledger.open(postgres_url) as ledger:
        assert ledger.counts().documents == 0
    engine = create_engine(engine_url(postgres_url))
    try:
        inspector = inspect(engine)
        assert {"documents", "claims", "estimates", "curated_rows", "alembic_version"} <= set(
            inspector.get_table_names()
        )
        indexed = {ix["name"] for ix in inspector.get_indexes("claims")}
        assert {"ix_claims_supplier", "ix_claims_status", "ix_claims_flow"} <= indexed
        fks = {fk["name"] for fk in inspector.get_foreign_keys("estimates")}
        assert "fk_estimates_carrier_claim_id_claims" in fks
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            server_version = conn.execute(text("SHOW server_version")).scalar_one()
    finally:
        engine.dispose()
    from alembic.script import ScriptDirectory

    from armsledger.store.engine import alembic_config

    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert str(server_version).startswith(postgres_server.version)


def test_plain_postgresql_url_uses_psycopg(postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
    assert make_url(engine_url(plain)).drivername == "postgresql+psycopg"
    assert make_url(engine_url(plain.replace("postgresql://", "postgres://", 1))).drivername == (
        "postgresql+psycopg"
    )
    with Ledger.open(plain) as first:
        first.add_document(make_doc("Some text."), [make_claim(span=(0, 10))])
        assert first.url == plain  # shown to the user as given
    # Reopening an existing ledger (already at head) through the explicit driver changes nothing.
    with Ledger.open(postgres_url) as second:
        assert second.counts().claims == 1


def test_engine_url_leaves_other_urls_alone() -> None:
    for url in ("sqlite:///x.db", "postgresql+psycopg://h/db", "postgresql+psycopg2://h/db", "not a url"):
        assert engine_url(url) == url
    assert engine_url("postgresql://u:p%40ss@h:5432/db?sslmode=disable") == (
        "postgresql+psycopg://u:p%40ss@h:5432/db?sslmode=disable"
    )


def test_unreachable_server_is_a_store_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connections are refused
        with pytest.raises(StoreError) as info:
            Ledger.open(f"postgresql://nobody@127.0.0.1:{port}/nothing?connect_timeout=2")
    assert "could not open the ledger" in str(info.value)
    assert "server is reachable" in (info.value.hint or "")


# -- ingest ---------------------------------------------------------------------------------------


def test_ingest_with_real_extraction_is_idempotent(pg_ledger: Ledger, extracted: list[Extracted]) -> None:
    assert set(_ingest(pg_ledger, extracted)) == {AddState.INSERTED}
    before = _row_counts(pg_ledger.url)
    assert before["documents"] == len(extracted)
    assert before["claims"] == sum(len({c.claim_id for c in e.claims}) for e in extracted)
    assert set(_ingest(pg_ledger, extracted)) == {AddState.UNCHANGED}
    assert _row_counts(pg_ledger.url) == before
    seed = next((e for e in extracted if e.document.source_path == str(SEED_ARTICLE)), None)
    if seed is not None:
        stored = pg_ledger.get_document(seed.document.id)
        assert stored is not None and stored.text == seed.document.text
        assert [s.claim for s in pg_ledger.document_claims(seed.document.id)] == [
            c.with_changes(document_id=seed.document.id) for c in seed.claims
        ]


def test_newer_extractor_replaces_claims(pg_ledger: Ledger, extracted: list[Extracted]) -> None:
    first = extracted[0]
    pg_ledger.add_document(first.document, first.claims)
    result = pg_ledger.add_document(first.document, first.claims[:1], extractor_version="99.0.0")
    assert result.state is AddState.REPLACED
    assert result.claims_removed == len({c.claim_id for c in first.claims})
    assert len(pg_ledger.document_claims(first.document.id)) == 1


# -- the same answers as SQLite ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        None,
        ClaimFilter(supplier="prk"),
        ClaimFilter(recipient="RUS"),
        ClaimFilter(supplier="RUS", recipient="PRK"),
        ClaimFilter(category=Category.AMMUNITION),
        ClaimFilter(category=Category.PERSONNEL),
        ClaimFilter(status=Status.OCCURRED),
        ClaimFilter(status=Status.DENIED),
        ClaimFilter(since=date(2024, 1, 1)),
        ClaimFilter(until=date(2023, 12, 31)),
        ClaimFilter(since=date(2023, 10, 1), until=date(2024, 10, 31)),
        ClaimFilter(supplier="PRK", category=Category.AMMUNITION, since=date(2023, 1, 1)),
    ],
    ids=lambda f: "all" if f is None else ",".join(f"{k}={v}" for k, v in asdict(f).items() if v),
)
def test_claim_filters_match_sqlite(twins: tuple[Ledger, Ledger], filters: ClaimFilter | None) -> None:
    pg, lite = twins
    on_pg = _comparable(pg.list_claims(filters))
    assert on_pg == _comparable(lite.list_claims(filters))
    if filters is None or filters.supplier or filters.category:
        assert on_pg, "the input should give this filter something to match"


def test_flows_counts_and_documents_match_sqlite(twins: tuple[Ledger, Ledger]) -> None:
    pg, lite = twins
    pg_flows, lite_flows = pg.flows(), lite.flows()
    assert [_flow_key(f) for f in pg_flows] == [_flow_key(f) for f in lite_flows]
    for a, b in zip(pg_flows, lite_flows, strict=True):
        assert [(t.unit, t.claims) for t in a.totals] == [(t.unit, t.claims) for t in b.totals]
        # Sums of doubles may be added in another order by each database.
        assert [t.total for t in a.totals] == pytest.approx([t.total for t in b.totals], rel=1e-12)
    assert any(t.total for f in pg_flows for t in f.totals)
    filtered = ClaimFilter(supplier="PRK", since=date(2024, 1, 1))
    assert [_flow_key(f) for f in pg.flows(filtered)] == [_flow_key(f) for f in lite.flows(filtered)]
    assert pg.counts() == lite.counts()
    strip = lambda docs: [(d.id, d.external_id, d.published, d.claims, d.raw_sha256) for d in docs]  # noqa: E731
    assert strip(pg.list_documents()) == strip(lite.list_documents())


def test_estimates_match_sqlite_and_are_idempotent(twins: tuple[Ledger, Ledger]) -> None:
    catalogue = load_catalogue()
    saved: dict[str, list[tuple[int, SaveState]]] = {}
    for name, ledger in zip(("pg", "lite"), twins, strict=True):
        for doc in ledger.list_documents():
            saved.setdefault(name, []).extend(
                store_document_estimates(ledger, catalogue, doc.id, draws=ESTIMATE_DRAWS, seed=ESTIMATE_SEED)
            )
    pg, lite = twins
    assert saved["pg"] and {state for _, state in saved["pg"]} == {SaveState.INSERTED}
    pg_estimates, lite_estimates = pg.list_estimates(), lite.list_estimates()
    assert len(pg_estimates) == len(saved["pg"]) == len(lite_estimates)
    for a, b in zip(pg_estimates, lite_estimates, strict=True):
        assert (a.document_id, a.carrier_claim_id, a.ammunition_claim_id) == (
            b.document_id,
            b.carrier_claim_id,
            b.ammunition_claim_id,
        )
        assert (a.inputs, a.result) == (b.inputs, b.result)
    first = pg_estimates[0]
    assert pg.list_estimates(claim_id=first.ammunition_claim_id)[0].id == first.id
    again = store_document_estimates(
        pg, catalogue, first.document_id, draws=ESTIMATE_DRAWS, seed=ESTIMATE_SEED
    )
    assert {state for _, state in again} == {SaveState.UNCHANGED}
    changed = store_document_estimates(
        pg, catalogue, first.document_id, draws=ESTIMATE_DRAWS, seed=ESTIMATE_SEED + 1
    )
    assert {state for _, state in changed} == {SaveState.UPDATED}
    # Re-extraction deletes the claims, and with them (ON DELETE CASCADE) their estimates.
    pg.add_document(pg.get_document(first.document_id) or make_doc("x"), [], extractor_version="99.0.0")
    assert pg.list_estimates(document_id=first.document_id) == []


CURATED_ROWS = [
    {
        "supplier": "PRK",
        "recipient": "RUS",
        "category": "ammunition",
        "item": "artillery shell",
        "quantity": {"value": 1000000, "qualifier": "more_than"},
        "status": "occurred",
        "time": {"start": "2023-08"},
        "evidence": "Analyst note: more than one million shells by late 2023.",
        "published": "2023-11-01",
        "outlet": "Test Desk",
        "source_url": "https://example.org/curated/1",
    },
    {
        "supplier": "PRK",
        "recipient": "RUS",
        "category": "personnel",
        "item": "troop",
        "quantity": {"value": 11000, "qualifier": "exact"},
        "status": "occurred",
        "time": {"start": "2024-10"},
        "evidence": "Analyst note: eleven thousand troops in the autumn.",
        "published": "2024-11-05",
        "outlet": "Test Desk",
        "source_url": "https://example.org/curated/2",
    },
]


def _curated(path: Path) -> list[NewCuratedClaim]:
    path.write_text("\n".join(json.dumps(row) for row in CURATED_ROWS) + "\n", encoding="utf-8")
    curated = read_curated(path)
    assert not curated.errors, curated.errors
    return [
        NewCuratedClaim(
            claim=row.claim,
            claim_id=row.claim_id,
            document=Document(
                id=row.document_id,
                text=row.document_text,
                title=row.title,
                published=row.published,
                url=row.source_url,
                outlet=row.outlet,
                external_id=f"curated-{row.document_id[:12]}",
                source_path=str(path),
            ),
            source_file=str(path),
            line=row.line,
            row_sha256=row.row_sha256,
        )
        for row in curated.rows
    ]


def _sourced(rows: list[SourcedClaim]) -> list[tuple[Any, ...]]:
    return [(r.claim_id, r.claim, r.document_id, r.published, r.outlet, r.url, r.origin) for r in rows]


def test_curated_claims_and_sourced_claims_match_sqlite(twins: tuple[Ledger, Ledger], tmp_path: Path) -> None:
    new = _curated(tmp_path / "curated.jsonl")
    pg, lite = twins
    for ledger in twins:
        first = ledger.import_curated(new, source="curated.jsonl")
        assert (first.claims_added, first.claims_unchanged, first.documents_added) == (2, 0, 2)
        again = ledger.import_curated(new, source="curated.jsonl")
        assert (again.claims_added, again.claims_unchanged, again.documents_added) == (0, 2, 0)
    assert _row_counts(pg.url)["curated_rows"] == 2
    queries: list[dict[str, Any]] = [
        {},
        {"supplier": "PRK", "recipient": "RUS"},
        {"supplier": "PRK", "recipient": "RUS", "categories": {Category.AMMUNITION, Category.SHIPMENT}},
        {"until": date(2024, 6, 30)},
    ]
    for query in queries:
        on_pg = _sourced(pg.sourced_claims(**query))
        assert on_pg == _sourced(lite.sourced_claims(**query)), query
        assert on_pg
    assert {r.origin for r in pg.sourced_claims()} == {"extracted", "curated"}


def test_accounts_review_and_audit_match_sqlite(twins: tuple[Ledger, Ledger]) -> None:
    from armsledger.accounts import Role
    from armsledger.store.review import ReviewAction, ReviewRequest

    results = []
    for ledger in twins:
        user, token = ledger.add_user("ana", Role.ANALYST)
        assert ledger.user_by_token(token) == user == ledger.user_by_id(user.id)
        assert ledger.user_by_token(token + "x") is None
        with pytest.raises(UsageError, match="already exists"):
            ledger.add_user("ana", Role.VIEWER)
        first, second, *_ = ledger.list_claims(ClaimFilter(supplier="PRK"))
        ledger.review_claim(first.claim_id, ReviewRequest(ReviewAction.ACCEPT), user="ana")
        edited = ledger.review_claim(
            second.claim_id,
            ReviewRequest(ReviewAction.EDIT, changes={"location": "Rajin_100%"}, note="checked"),
            user="ana",
        )
        assert edited.claim.location == "Rajin_100%" and edited.review_state == "edited"
        total, page = ledger.claims_page(review_state="accepted")
        # LIKE wildcards in the search text are literal: "_100%" matches only the edited claim.
        found, hits = ledger.claims_page(text="N_100%")
        missed, _ = ledger.claims_page(text="NX100")
        n_audit, audit = ledger.audit_entries()
        check = ledger.verify_audit()
        assert check.ok and check.rows == n_audit == 3
        results.append(
            (
                total,
                [c.claim_id for c in page],
                found,
                [c.claim_id for c in hits],
                missed,
                [(a.id, a.user, a.action, a.target, a.before, a.after) for a in audit],
                [(u.name, u.role) for u in ledger.list_users()],
            )
        )
    assert results[0] == results[1]
    assert results[0][0] == 1 and results[0][2] == 1 and results[0][4] == 0


def test_concurrent_reviews_keep_one_audit_chain(pg_ledger: Ledger, extracted: list[Extracted]) -> None:
    from armsledger.store.review import ReviewAction, ReviewRequest

    _ingest(pg_ledger, extracted)
    ids = [c.claim_id for c in pg_ledger.list_claims()][:12]
    pg_ledger.review_claim(ids[0], ReviewRequest(ReviewAction.ACCEPT), user="first")  # creates the head row
    with ThreadPoolExecutor(max_workers=6) as pool:
        done = list(
            pool.map(
                lambda cid: pg_ledger.review_claim(cid, ReviewRequest(ReviewAction.REJECT), user="t"), ids[1:]
            )
        )
    assert {c.review_state for c in done} == {"rejected"}
    check = pg_ledger.verify_audit()
    assert check.ok and check.rows == len(ids), check


# -- failures -------------------------------------------------------------------------------------


POISON_TRIGGER = """
CREATE FUNCTION reject_poison() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.item = 'poison' THEN
        RAISE EXCEPTION 'poisoned claim';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER poison BEFORE INSERT ON claims FOR EACH ROW EXECUTE FUNCTION reject_poison();
"""


def test_failed_insert_in_a_batch_loses_nothing(twins: tuple[Ledger, Ledger]) -> None:
    pg, _ = twins
    before = _row_counts(pg.url)
    claims_before = _comparable(pg.list_claims())
    engine = create_engine(engine_url(pg.url))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(POISON_TRIGGER)
    finally:
        engine.dispose()
    # The document row is inserted, then one claim row of the executemany is rejected by the server.
    doc = make_doc("A new report with a poisoned claim.")
    with pytest.raises(StoreError) as info:
        pg.add_document(doc, [make_claim(span=(0, 5)), make_claim(item="poison", span=(6, 9))])
    assert "poisoned claim" in str(info.value)
    assert pg.get_document(doc.id) is None
    # A curated import with one bad row stores none of its rows.
    poisoned = make_claim(item="poison", evidence="x")
    bad = NewCuratedClaim(poisoned, poisoned.claim_id, make_doc("curated report"), "f.jsonl", 1, "0" * 64)
    with pytest.raises(StoreError):
        pg.import_curated([bad], source="f.jsonl")
    assert _row_counts(pg.url) == before
    assert _comparable(pg.list_claims()) == claims_before
    # The ledger goes on working after the failed transactions.
    assert pg.add_document(make_doc("Another report."), [make_claim(span=(0, 7))]).state is AddState.INSERTED


def test_values_sqlite_would_accept_but_postgresql_rejects_are_store_errors(pg_ledger: Ledger) -> None:
    # Text with a NUL character cannot be stored in PostgreSQL; it must fail cleanly, as one item.
    doc = make_doc("A report\x00 with a NUL byte.")
    with pytest.raises(StoreError) as info:
        pg_ledger.add_document(doc, [])
    assert info.value.item is not None
    assert pg_ledger.counts().documents == 0


# -- the command line ---------------------------------------------------------------------------------


def _armsledger() -> list[str]:
    script = Path(sys.executable).with_name("armsledger")
    return [str(script)] if script.exists() else [sys.executable, "-m", "armsledger.cli"]


def test_cli_ingest_and_claims_with_database_url(postgres_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "ARMSLEDGER_DATABASE_URL": postgres_url}
    inputs = [str(EXAMPLES_DIR / name) for name in EXAMPLE_FILES[:3]]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_armsledger(), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )

    first = run("ingest", *inputs)
    assert first.returncode == 0, first.stderr
    assert "documents: 3 new, 0 unchanged" in first.stdout
    assert "postgresql+psycopg://" in first.stdout
    again = run("ingest", *inputs)
    assert again.returncode == 0, again.stderr
    assert "documents: 0 new, 3 unchanged" in again.stdout and "claims added: 0" in again.stdout
    listed = run("claims", "--format", "json", "--supplier", "PRK")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows and all(r["supplier"] == "PRK" for r in rows)
    assert not (tmp_path / "armsledger.db").exists()  # the default SQLite file was not used
    # The same reports in SQLite give the same JSON.
    lite = tmp_path / "twin.db"
    assert run("ingest", "--db", str(lite), *inputs).returncode == 0
    on_sqlite = run("claims", "--format", "json", "--supplier", "PRK", "--db", str(lite))
    assert json.loads(on_sqlite.stdout) == rows
