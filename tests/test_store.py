"""The ledger on real databases: a SQLite file, and a PostgreSQL server for the `any_` fixtures."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from armsledger.errors import InvalidRecordError, StoreError
from armsledger.models import Category, Qualifier, Status
from armsledger.store import AddState, ClaimFilter, Ledger, is_newer_version, resolve_database_url
from armsledger.store.rows import partial_date_bounds

from .conftest import make_claim, make_doc


def _table_counts(db_path: Path) -> tuple[int, int]:
    with sqlite3.connect(db_path) as conn:
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    return docs, claims


def test_open_creates_schema_with_indices(ledger: Ledger, db_path: Path) -> None:
    inspector = inspect(create_engine(f"sqlite:///{db_path}"))
    assert {"documents", "claims", "alembic_version"} <= set(inspector.get_table_names())
    indexed = {ix["column_names"][0] for ix in inspector.get_indexes("claims")}
    assert {"supplier", "recipient", "category", "status", "document_id"} <= indexed
    columns = {c["name"] for c in inspector.get_columns("claims")}
    assert {"quantity_qualifier", "span_start", "extractor_version", "origin", "review_state"} <= columns


def test_reopen_is_a_no_op(db_path: Path) -> None:
    with Ledger.open(str(db_path)) as first:
        first.add_document(make_doc("Some text."), [make_claim(span=(0, 10))])
    with Ledger.open(f"sqlite:///{db_path}") as second:
        assert second.counts().claims == 1


def test_add_document_then_again_changes_nothing(ledger: Ledger, db_path: Path) -> None:
    doc = make_doc("North Korea sent 1,000 containers.", external_id="x-1")
    claims = [make_claim(category=Category.SHIPMENT, item="container", value=1000, span=(0, 34))]
    first = ledger.add_document(doc, claims)
    assert first.state is AddState.INSERTED and first.claims_added == 1
    before = _table_counts(db_path)
    again = ledger.add_document(doc, claims)
    assert again.state is AddState.UNCHANGED and again.claims_added == 0
    assert _table_counts(db_path) == before == (1, 1)
    # Same text, different metadata: still the same document.
    relabelled = make_doc("North Korea sent 1,000 containers.\n", title="Other title")
    assert ledger.add_document(relabelled, claims).state is AddState.UNCHANGED


def test_newer_extractor_version_replaces_claims(ledger: Ledger, db_path: Path) -> None:
    doc = make_doc("Iran supplied drones and shells to Russia.")
    ledger.add_document(doc, [make_claim(supplier="IRN", span=(0, 10))], extractor_version="0.1.0")
    newer = [
        make_claim(
            supplier="IRN",
            category=Category.WEAPON_SYSTEM,
            item="drone",
            span=(0, 20),
            extractor_version="0.2.0",
        ),
        make_claim(supplier="IRN", item="shell", span=(21, 41), extractor_version="0.2.0"),
    ]
    result = ledger.add_document(doc, newer, extractor_version="0.2.0")
    assert result.state is AddState.REPLACED
    assert (result.claims_added, result.claims_removed) == (2, 1)
    assert _table_counts(db_path) == (1, 2)
    assert {c.claim.item for c in ledger.list_claims()} == {"drone", "shell"}
    assert ledger.list_documents()[0].extractor_version == "0.2.0"
    # An older extractor does not overwrite newer claims.
    assert ledger.add_document(doc, [], extractor_version="0.1.5").state is AddState.UNCHANGED
    assert _table_counts(db_path) == (1, 2)


def test_version_ordering() -> None:
    assert is_newer_version("0.10.0", "0.9.1")
    assert not is_newer_version("0.1.0", "0.1.0")
    assert not is_newer_version("0.1.0", "0.2.0")


def test_duplicate_claims_stored_once(any_ledger: Ledger) -> None:
    doc = make_doc("One sentence.")
    claim = make_claim(value=5, span=(0, 13))
    assert any_ledger.add_document(doc, [claim, claim]).claims_added == 1


def test_claim_of_another_document_is_refused(any_ledger: Ledger) -> None:
    doc = make_doc("Text A.")
    foreign = make_claim().with_changes(document_id="0" * 64)
    with pytest.raises(InvalidRecordError, match="belongs to document"):
        any_ledger.add_document(doc, [foreign])
    assert any_ledger.counts().documents == 0


def test_failed_document_is_rolled_back_and_loses_nothing(seeded: Ledger, db_path: Path) -> None:
    before = _table_counts(db_path)
    # A real database failure half-way through a document: a trigger rejects one claim row after
    # the document row has been inserted in the same transaction.
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "CREATE TRIGGER poison BEFORE INSERT ON claims WHEN NEW.item = 'poison' "
            "BEGIN SELECT RAISE(ABORT, 'poisoned claim'); END"
        )
    doc = make_doc("A new report with a poisoned claim.")
    with pytest.raises(StoreError) as info:
        seeded.add_document(doc, [make_claim(span=(0, 5)), make_claim(item="poison", span=(6, 9))])
    assert "poisoned claim" in str(info.value)
    assert _table_counts(db_path) == before
    assert seeded.get_document(doc.id) is None
    # The ledger still works afterwards.
    assert seeded.add_document(make_doc("Another report."), []).state is AddState.INSERTED


def test_stored_claim_round_trips(any_seeded: Ledger) -> None:
    rows = any_seeded.list_claims(ClaimFilter(supplier="RUS"))
    assert len(rows) == 1
    stored = rows[0]
    assert stored.claim.quantity.value == 1_000_000 and isinstance(stored.claim.quantity.value, int)
    assert stored.claim.quantity.unit == "barrel"
    assert stored.claim.quantity.qualifier is Qualifier.MORE_THAN
    assert stored.claim.span is not None and (stored.claim.span.start, stored.claim.span.end) == (0, 64)
    assert stored.claim_id == stored.claim.claim_id
    assert stored.origin == "extracted" and stored.review_state == "unreviewed"
    assert stored.document_published is None


def test_list_claims_order_and_document_info(any_seeded: Ledger) -> None:
    rows = any_seeded.list_claims()
    assert len(rows) == 6
    # Oldest report first, undated last, text order inside a report.
    assert [r.document_title for r in rows] == ["A", "A", "A", "B", "B", "C"]
    assert rows[0].document_public_id == "doc-a"
    assert rows[3].document_public_id == rows[3].document_id  # no external id: the sha256 id


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ClaimFilter(supplier="prk"), 5),
        (ClaimFilter(recipient="PRK"), 1),
        (ClaimFilter(category=Category.PERSONNEL), 2),
        (ClaimFilter(status=Status.DENIED), 1),
        (ClaimFilter(supplier="PRK", category=Category.AMMUNITION), 2),
        # time_start 2023-10 (claim 1), 2022 (claim 3, latest day 2022-12-31), published 2024-08-28 (claim 2)
        (
            ClaimFilter(since=date(2023, 10, 31)),
            4,
        ),  # 2023-10 reaches 10-31; B's claims (2025); not C (undated)
        (ClaimFilter(since=date(2023, 11, 1)), 3),
        (ClaimFilter(until=date(2022, 1, 1)), 1),  # only the "2022" claim can be that early
        (
            ClaimFilter(since=date(2025, 7, 1), until=date(2025, 7, 31)),
            2,
        ),  # B: 2025-07 start, denial dated 07-13
        (ClaimFilter(since=date(2026, 1, 1)), 0),
    ],
)
def test_claim_filters(any_seeded: Ledger, filters: ClaimFilter, expected: int) -> None:
    assert len(any_seeded.list_claims(filters)) == expected


def test_partial_date_bounds() -> None:
    assert partial_date_bounds("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert partial_date_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert partial_date_bounds("2024-10-05") == (date(2024, 10, 5), date(2024, 10, 5))
    assert partial_date_bounds("2024-13") == (None, None)
    assert partial_date_bounds(None) == (None, None)


def test_flows_totals(any_seeded: Ledger) -> None:
    flows = {(f.supplier, f.recipient, f.category.value, f.status.value): f for f in any_seeded.flows()}
    ammo = flows[("PRK", "RUS", "ammunition", "occurred")]
    assert ammo.claims == 2
    # 12,000,000 plus the midpoint of 3,000-5,000.
    assert [(t.unit, t.total, t.claims) for t in ammo.totals] == [(None, 12_004_000.0, 2)]
    assert ammo.unquantified == ()
    denied = flows[("PRK", "RUS", "weapon_system", "denied")]
    assert denied.totals == () and len(denied.unquantified) == 1
    oil = flows[("RUS", "PRK", "other", "occurred")]
    assert [(t.unit, t.total) for t in oil.totals] == [("barrel", 1_000_000.0)]
    assert sum(f.claims for f in flows.values()) == 6
    assert len(flows) == 5


def test_flows_mixed_units_and_missing_numbers(any_ledger: Ledger) -> None:
    doc = make_doc("Fuel and more fuel.")
    any_ledger.add_document(
        doc,
        [
            make_claim(
                supplier="RUS",
                recipient="PRK",
                category=Category.OTHER,
                item="fuel",
                value=10,
                unit="tonne",
                span=(0, 4),
            ),
            make_claim(
                supplier="RUS",
                recipient="PRK",
                category=Category.OTHER,
                item="oil",
                value=5,
                unit="barrel",
                span=(5, 8),
            ),
            make_claim(supplier="RUS", recipient="PRK", category=Category.OTHER, item="parts", span=(9, 12)),
            make_claim(
                supplier="RUS",
                recipient="PRK",
                category=Category.OTHER,
                item="oil",
                value=7,
                unit="barrel",
                span=(13, 18),
            ),
        ],
    )
    [flow] = any_ledger.flows()
    assert flow.claims == 4
    assert [(t.unit, t.total, t.claims) for t in flow.totals] == [("barrel", 12.0, 2), ("tonne", 10.0, 1)]
    assert len(flow.unquantified) == 1


def test_counts_and_documents(any_seeded: Ledger) -> None:
    counts = any_seeded.counts()
    assert counts.documents == 3 and counts.claims == 6
    assert counts.states == ("PRK", "RUS")
    assert counts.by_status == {"occurred": 4, "expected": 1, "denied": 1}
    docs = any_seeded.list_documents()
    assert [d.title for d in docs] == ["A", "B", "C"]
    assert [d.claims for d in docs] == [3, 2, 1]
    full = any_seeded.get_document("doc-a")
    assert full is not None and full.text.startswith("Pyongyang shipped")


def test_not_a_database_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        Ledger.open(str(path))
    assert "not an armsledger SQLite database" in (info.value.hint or "")
    assert path.read_text(encoding="utf-8").startswith("these are my notes")  # untouched


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Ledger.open(str(tmp_path / "no" / "such" / "ledger.db"))


def test_unknown_schema_revision(db_path: Path) -> None:
    Ledger.open(str(db_path)).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    with pytest.raises(StoreError, match="unknown to this armsledger"):
        Ledger.open(str(db_path))


def test_bad_url() -> None:
    with pytest.raises(StoreError, match="cannot use database URL"):
        Ledger.open("nosuchdialect://host/db")


def test_resolve_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_database_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert resolve_database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("ARMSLEDGER_DATABASE_URL", "sqlite:///elsewhere.db")
    assert resolve_database_url(None) == "sqlite:///elsewhere.db"
