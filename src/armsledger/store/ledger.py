"""The ledger: documents and their claims in a SQL database (SQLite file by default, PostgreSQL by URL)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
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
    or_,
    select,
    update,
)

from armsledger.accounts import Role, User, issue_token
from armsledger.errors import InvalidRecordError
from armsledger.models import EXTRACTOR_VERSION, Category, Claim, Document, Status
from armsledger.store import accounts as _accounts
from armsledger.store import audit as _audit
from armsledger.store import review as _review
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
    NewEstimate,
    SaveState,
    StoredClaim,
    StoredDocument,
    StoredEstimate,
    UnitTotal,
)
from armsledger.store.rows import (
    claim_row,
    document_from_row,
    document_row,
    stored_claim_from_row,
    stored_document_from_row,
    stored_estimate_from_row,
)
from armsledger.store.schema import ORIGIN_EXTRACTED, claims, documents, estimates
from armsledger.store.sourced import (
    CuratedImport,
    NewCuratedClaim,
    SourcedClaim,
    import_curated,
    select_sourced,
    select_statements,
)


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

    # -- claims by id and estimates --------------------------------------------------------------

    def _claims_select(self) -> Select[Any]:
        return select(claims, documents.c.external_id, documents.c.title, documents.c.published).join(
            documents, claims.c.document_id == documents.c.id
        )

    def get_claim(self, claim_id: str) -> StoredClaim | None:
        """The stored claim with this id, or None."""
        with self._reading("read claim") as conn:
            row = conn.execute(self._claims_select().where(claims.c.claim_id == claim_id)).first()
        return stored_claim_from_row(row) if row is not None else None

    def document_claims(self, document_id: str) -> list[StoredClaim]:
        """The claims of one document (by sha256 id), in text order."""
        stmt = self._claims_select().where(claims.c.document_id == document_id).order_by(claims.c.seq)
        with self._reading("list the claims of a document") as conn:
            return [stored_claim_from_row(row) for row in conn.execute(stmt)]

    def save_estimate(self, estimate: NewEstimate) -> tuple[int, SaveState]:
        """Store ``estimate``, replacing the one of the same two claims; identical content writes nothing.

        Returns the estimate's id and what was done, so storing the same estimate twice is a no-op.
        """
        # Compare as JSON would store it (tuples become lists, keys strings).
        inputs = json.loads(json.dumps(estimate.inputs))
        result = json.loads(json.dumps(estimate.result))
        now = datetime.now(UTC)
        with self._transaction(f"store estimate for claim {estimate.carrier_claim_id}") as conn:
            existing = conn.execute(
                select(estimates.c.id, estimates.c.inputs, estimates.c.result).where(
                    estimates.c.carrier_claim_id == estimate.carrier_claim_id,
                    estimates.c.ammunition_claim_id == estimate.ammunition_claim_id,
                )
            ).first()
            if existing is None:
                new_id = conn.execute(
                    insert(estimates).values(
                        document_id=estimate.document_id,
                        carrier_claim_id=estimate.carrier_claim_id,
                        ammunition_claim_id=estimate.ammunition_claim_id,
                        inputs=inputs,
                        result=result,
                        created_at=now,
                    )
                ).inserted_primary_key
                assert new_id is not None
                return int(new_id[0]), SaveState.INSERTED
            if existing.inputs == inputs and existing.result == result:
                return int(existing.id), SaveState.UNCHANGED
            conn.execute(
                update(estimates)
                .where(estimates.c.id == existing.id)
                .values(inputs=inputs, result=result, created_at=now)
            )
            return int(existing.id), SaveState.UPDATED

    def list_estimates(
        self, *, document_id: str | None = None, claim_id: str | None = None
    ) -> list[StoredEstimate]:
        """Stored estimates, oldest report first; only a document's, or those linked to a claim."""
        stmt = select(estimates, documents.c.external_id, documents.c.title, documents.c.published).join(
            documents, estimates.c.document_id == documents.c.id
        )
        if document_id is not None:
            stmt = stmt.where(estimates.c.document_id == document_id)
        if claim_id is not None:
            stmt = stmt.where(
                or_(estimates.c.carrier_claim_id == claim_id, estimates.c.ammunition_claim_id == claim_id)
            )
        stmt = stmt.order_by(
            documents.c.published.is_(None), documents.c.published, documents.c.id, estimates.c.id
        )
        with self._reading("list estimates") as conn:
            return [stored_estimate_from_row(row) for row in conn.execute(stmt)]

    # -- curated claims and flows over time (SQL in store/sourced.py) ---------------------------

    def import_curated(self, new: Sequence[NewCuratedClaim], *, source: str) -> CuratedImport:
        """Store analyst-curated claims (origin 'curated') in one transaction; stored ones are kept."""
        with self._transaction(f"import curated claims from {source}") as conn:
            return import_curated(conn, new)

    def sourced_claims(
        self,
        *,
        supplier: str | None = None,
        recipient: str | None = None,
        categories: Collection[Category] = (),
        until: date | None = None,
    ) -> list[SourcedClaim]:
        """Claims of dated reports with each report's date, outlet and URL; optionally one flow, up to a date."""
        with self._reading("read claims with their reports") as conn:
            return select_sourced(
                conn, supplier=supplier, recipient=recipient, categories=categories, until=until
            )

    def sourced_statements(
        self,
        *,
        supplier: str | None = None,
        recipient: str | None = None,
        categories: Collection[Category] = (),
        until: date | None = None,
    ) -> list[SourcedClaim]:
        """Like :meth:`sourced_claims`, with word-for-word copies of a claim in several reports once."""
        with self._reading("read the statements of a flow") as conn:
            return select_statements(
                conn, supplier=supplier, recipient=recipient, categories=categories, until=until
            )

    # -- workbench: accounts, review and the audit log (SQL in store/accounts.py, review.py, audit.py) --

    def add_user(self, name: str, role: Role) -> tuple[User, str]:
        """Create an account; returns it and its API token (shown once: only a salted hash is stored)."""
        token = issue_token()
        with self._transaction(f"add account {name}") as conn:
            user = _accounts.add_user(conn, name, role, token)
            _audit.append(
                conn, user="cli", action="user.add", target=f"user:{name}", before=None, after={"role": role}
            )
        return user, token.token

    def user_by_token(self, token: str) -> User | None:
        """The account an API token belongs to, or None."""
        with self._reading("check a token") as conn:
            return _accounts.user_by_token(conn, token)

    def user_by_id(self, user_id: int) -> User | None:
        """The account with this id, or None."""
        with self._reading("read an account") as conn:
            return _accounts.user_by_id(conn, user_id)

    def list_users(self) -> list[User]:
        """Every account, by name."""
        with self._reading("list accounts") as conn:
            return _accounts.list_users(conn)

    def count_users(self) -> int:
        """How many accounts exist."""
        with self._reading("count accounts") as conn:
            return _accounts.count_users(conn)

    def review_claim(self, claim_id: str, request: _review.ReviewRequest, *, user: str) -> StoredClaim:
        """Accept, reject, edit or merge a claim and audit it, in one transaction; returns the claim after."""
        with self._transaction(f"review claim {claim_id}") as conn:
            return _review.review(conn, claim_id, request, user=user)

    def claims_page(
        self,
        filters: ClaimFilter | None = None,
        *,
        review_state: str | None = None,
        text: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[StoredClaim]]:
        """The number of matching claims and one page of them, newest report first."""
        base = _apply_filters(self._claims_select(), filters)
        with self._reading("list claims") as conn:
            return _review.claims_page(
                conn, base, review_state=review_state, text=text, limit=limit, offset=offset
            )

    def audit_entries(
        self, *, target: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[_audit.AuditEntry]]:
        """The number of audit rows (of one target) and one page of them, newest first."""
        with self._reading("read the audit log") as conn:
            return _audit.entries(conn, target=target, limit=limit, offset=offset)

    def verify_audit(self) -> _audit.AuditCheck:
        """Recompute the audit chain and report the first edited or deleted row."""
        with self._reading("verify the audit log") as conn:
            return _audit.verify(conn)
