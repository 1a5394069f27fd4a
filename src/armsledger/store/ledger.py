"""The ledger: documents and their claims in a SQL database (SQLite file by default, PostgreSQL by URL)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Double,
    Engine,
    Select,
    and_,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)

from armsledger.errors import InvalidRecordError
from armsledger.models import EXTRACTOR_VERSION, Category, Claim, Document, Status
from armsledger.store.engine import (
    create_ledger_engine,
    display_url,
    resolve_database_url,
    store_errors,
    upgrade,
)
from armsledger.store.records import (
    AddResult,
    AddState,
    ClaimFilter,
    Flow,
    LedgerCounts,
    StoredClaim,
    StoredDocument,
    UnitTotal,
)
from armsledger.store.rows import (
    claim_row,
    document_from_row,
    document_row,
    stored_claim_from_row,
    stored_document_from_row,
)
from armsledger.store.schema import ORIGIN_EXTRACTED, claims, documents


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    # "0.10.0" must sort after "0.9.1": compare numeric parts as numbers, the rest as text.
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version))


def is_newer_version(candidate: str, stored: str) -> bool:
    """True when extractor version ``candidate`` is newer than ``stored``."""
    return _version_key(candidate) > _version_key(stored)


def _central() -> ColumnElement[Any]:
    # The same central value Quantity.central (and score.py) use: value, else midpoint, else a bound.
    return func.coalesce(
        claims.c.quantity_value,
        # Multiply by a float literal: PostgreSQL would otherwise divide DOUBLE by a NUMERIC cast.
        (claims.c.quantity_low + claims.c.quantity_high) * literal(0.5, Double()),
        claims.c.quantity_low,
        claims.c.quantity_high,
    )


def _apply_filters(stmt: Select[Any], filters: ClaimFilter | None) -> Select[Any]:
    """Restrict a select over claims JOIN documents to the claims ``filters`` describes."""
    if filters is None:
        return stmt
    conditions: list[ColumnElement[bool]] = []
    if filters.supplier:
        conditions.append(claims.c.supplier == filters.supplier.upper())
    if filters.recipient:
        conditions.append(claims.c.recipient == filters.recipient.upper())
    if filters.category:
        conditions.append(claims.c.category == filters.category.value)
    if filters.status:
        conditions.append(claims.c.status == filters.status.value)
    # A partial start date ("2024-10") matches `since` if its last possible day is on or after it,
    # and `until` if its first possible day is on or before it; undated claims use the report date.
    if filters.since:
        latest = func.coalesce(claims.c.time_start_latest, documents.c.published)
        conditions.append(latest >= filters.since)
    if filters.until:
        earliest = func.coalesce(claims.c.time_start_earliest, documents.c.published)
        conditions.append(earliest <= filters.until)
    return stmt.where(and_(*conditions)) if conditions else stmt


class Ledger:
    """A ledger database. Open with :meth:`open` (which applies migrations); close or use ``with``."""

    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str | None = None) -> Ledger:
        """Open (creating if needed) the ledger at ``url`` or file path; default ``settings.database_url``.

        Runs the shipped Alembic migrations up to head. Raises :class:`StoreError` with a hint when the
        database cannot be opened or is not an armsledger ledger.
        """
        resolved = resolve_database_url(url)
        engine = create_ledger_engine(resolved)
        try:
            upgrade(engine, resolved)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, resolved)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Ledger({display_url(self.url)!r})"

    @contextmanager
    def _transaction(self, action: str) -> Iterator[Connection]:
        # One transaction per call: on any error nothing of this call is kept and nothing
        # committed earlier is touched.
        with store_errors(action, self.url), self._engine.begin() as conn:
            yield conn

    @contextmanager
    def _reading(self, action: str) -> Iterator[Connection]:
        with store_errors(action, self.url), self._engine.connect() as conn:
            yield conn

    # -- writing -----------------------------------------------------------------------------

    def add_document(
        self, doc: Document, doc_claims: Sequence[Claim], *, extractor_version: str = EXTRACTOR_VERSION
    ) -> AddResult:
        """Store ``doc`` with its extracted claims, in one transaction.

        A document already stored (same text, hence same id) is left unchanged, unless
        ``extractor_version`` is newer than the one that produced its stored claims: then its
        extracted claims are replaced by ``doc_claims``. Claims get ``document_id = doc.id``; exact
        duplicates (same claim id) are stored once.
        """
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        for claim in doc_claims:
            if claim.document_id not in (None, doc.id):
                raise InvalidRecordError(
                    f"claim belongs to document {claim.document_id}, not {doc.id}",
                    item=doc.public_id,
                    hint="pass each document's own claims",
                )
            owned = claim if claim.document_id == doc.id else claim.with_changes(document_id=doc.id)
            claim_id = owned.claim_id
            if claim_id in seen:
                continue
            seen.add(claim_id)
            rows.append(claim_row(owned, claim_id=claim_id, seq=len(rows), now=now))

        with self._transaction(f"store document {doc.public_id}") as conn:
            stored_version = conn.execute(
                select(documents.c.extractor_version).where(documents.c.id == doc.id)
            ).scalar_one_or_none()
            if stored_version is None:
                conn.execute(
                    insert(documents), [document_row(doc, extractor_version=extractor_version, now=now)]
                )
                if rows:
                    conn.execute(insert(claims), rows)
                return AddResult(doc.id, AddState.INSERTED, claims_added=len(rows))
            if not is_newer_version(extractor_version, stored_version):
                return AddResult(doc.id, AddState.UNCHANGED)
            removed = conn.execute(
                delete(claims).where(claims.c.document_id == doc.id, claims.c.origin == ORIGIN_EXTRACTED)
            ).rowcount
            conn.execute(
                update(documents).where(documents.c.id == doc.id).values(extractor_version=extractor_version)
            )
            if rows:
                conn.execute(insert(claims), rows)
            return AddResult(doc.id, AddState.REPLACED, claims_added=len(rows), claims_removed=removed)

    # -- reading -----------------------------------------------------------------------------

    def list_claims(self, filters: ClaimFilter | None = None) -> list[StoredClaim]:
        """Claims matching ``filters``, oldest report first, in text order within a report."""
        stmt = select(
            claims,
            documents.c.external_id,
            documents.c.title,
            documents.c.published,
        ).join(documents, claims.c.document_id == documents.c.id)
        stmt = _apply_filters(stmt, filters).order_by(
            documents.c.published.is_(None), documents.c.published, documents.c.id, claims.c.seq
        )
        with self._reading("list claims") as conn:
            return [stored_claim_from_row(row) for row in conn.execute(stmt)]

    def flows(self, filters: ClaimFilter | None = None) -> list[Flow]:
        """Claims grouped by supplier, recipient, category and status, with summed quantities per unit.

        Claims whose text gives no number are counted and listed in ``Flow.unquantified``.
        """
        central = _central()
        keys = (claims.c.supplier, claims.c.recipient, claims.c.category, claims.c.status)
        base = select().select_from(claims.join(documents, claims.c.document_id == documents.c.id))
        totals_stmt = _apply_filters(
            base.add_columns(
                *keys,
                claims.c.quantity_unit,
                func.count().label("n"),
                func.count(central).label("n_quantified"),
                func.sum(central).label("total"),
            ),
            filters,
        ).group_by(*keys, claims.c.quantity_unit)
        unquantified_stmt = _apply_filters(
            base.add_columns(*keys, claims.c.claim_id).where(central.is_(None)), filters
        ).order_by(claims.c.document_id, claims.c.seq)

        counts: dict[tuple[Any, ...], int] = defaultdict(int)
        unit_totals: dict[tuple[Any, ...], list[UnitTotal]] = defaultdict(list)
        missing: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        with self._reading("compute flows") as conn:
            for row in conn.execute(totals_stmt):
                key = (row.supplier, row.recipient, row.category, row.status)
                counts[key] += int(row.n)
                if row.n_quantified:
                    unit_totals[key].append(
                        UnitTotal(
                            unit=row.quantity_unit, total=float(row.total), claims=int(row.n_quantified)
                        )
                    )
            for row in conn.execute(unquantified_stmt):
                missing[(row.supplier, row.recipient, row.category, row.status)].append(row.claim_id)

        status_order = {s.value: i for i, s in enumerate(Status)}
        ordered = sorted(
            counts,
            key=lambda k: (k[0] or "~", k[1] or "~", k[2], status_order.get(k[3], len(status_order))),
        )
        return [
            Flow(
                supplier=key[0],
                recipient=key[1],
                category=Category(key[2]),
                status=Status(key[3]),
                claims=counts[key],
                totals=tuple(sorted(unit_totals[key], key=lambda t: t.unit or "")),
                unquantified=tuple(missing[key]),
            )
            for key in ordered
        ]

    def list_documents(self) -> list[StoredDocument]:
        """Every stored document (without its text) with its number of claims, oldest first."""
        per_doc = (
            select(claims.c.document_id, func.count().label("claim_count"))
            .group_by(claims.c.document_id)
            .subquery()
        )
        stmt = (
            select(*(c for c in documents.c if c.name != "text"), per_doc.c.claim_count)
            .outerjoin(per_doc, per_doc.c.document_id == documents.c.id)
            .order_by(documents.c.published.is_(None), documents.c.published, documents.c.id)
        )
        with self._reading("list documents") as conn:
            return [stored_document_from_row(row) for row in conn.execute(stmt)]

    def get_document(self, document_id: str) -> Document | None:
        """The stored document with this sha256 id or external id (with its text), or None."""
        stmt = select(documents).where(
            (documents.c.id == document_id) | (documents.c.external_id == document_id)
        )
        with self._reading("read document") as conn:
            row = conn.execute(stmt.limit(1)).first()
        return document_from_row(row) if row is not None else None

    def counts(self) -> LedgerCounts:
        """Numbers of documents and claims, the states named as supplier or recipient, per-status counts."""
        with self._reading("count the ledger") as conn:
            n_docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
            by_status = {
                str(s): int(n)
                for s, n in conn.execute(select(claims.c.status, func.count()).group_by(claims.c.status))
            }
            by_category = {
                str(c): int(n)
                for c, n in conn.execute(select(claims.c.category, func.count()).group_by(claims.c.category))
            }
            suppliers = conn.execute(select(claims.c.supplier).distinct()).scalars().all()
            recipients = conn.execute(select(claims.c.recipient).distinct()).scalars().all()
        states = tuple(sorted({s for s in (*suppliers, *recipients) if s}))
        return LedgerCounts(
            documents=int(n_docs),
            claims=sum(by_status.values()),
            states=states,
            by_status=by_status,
            by_category=by_category,
        )
