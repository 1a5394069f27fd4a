"""Typed results the ledger returns: what was stored, filters, claims with provenance, flows, counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from armsledger.models import Category, Claim, Status


class AddState(StrEnum):
    """What :meth:`Ledger.add_document` did with a document."""

    INSERTED = "inserted"
    UNCHANGED = "unchanged"
    REPLACED = "replaced"  # same text, newer extractor: its extracted claims were replaced


@dataclass(frozen=True, slots=True)
class AddResult:
    """The outcome of storing one document and its claims."""

    document_id: str
    state: AddState
    claims_added: int = 0
    claims_removed: int = 0


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """Which claims to list. ``since``/``until`` compare the claim's start date, else the document's date."""

    supplier: str | None = None
    recipient: str | None = None
    category: Category | None = None
    status: Status | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim as held in the ledger, with its id, its document and its review state."""

    claim: Claim
    claim_id: str
    document_id: str
    document_public_id: str
    document_title: str | None
    document_published: date | None
    origin: str
    review_state: str
    created_at: datetime

    @property
    def flow_key(self) -> tuple[str | None, str | None, Category]:
        """(supplier, recipient, category): the flow the claim belongs to."""
        return (self.claim.supplier, self.claim.recipient, self.claim.category)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document's metadata as held in the ledger (without its text) and how many claims it has."""

    id: str
    external_id: str | None
    title: str | None
    published: date | None
    url: str | None
    outlet: str | None
    source_path: str | None
    raw_sha256: str | None
    extractor_version: str
    ingested_at: datetime
    claims: int

    @property
    def public_id(self) -> str:
        return self.external_id or self.id


@dataclass(frozen=True, slots=True)
class UnitTotal:
    """Summed central quantity of the claims in a flow that count in one unit (None = items)."""

    unit: str | None
    total: float
    claims: int


@dataclass(frozen=True, slots=True)
class Flow:
    """Claims from one supplier to one recipient in one category and status, with raw totals.

    Totals are plain sums of each claim's central quantity: restatements of one figure by several
    reports are not merged here (that is the job of ``flows/``).
    """

    supplier: str | None
    recipient: str | None
    category: Category
    status: Status
    claims: int
    totals: tuple[UnitTotal, ...] = ()
    unquantified: tuple[str, ...] = ()  # claim ids of claims whose text gives no number

    @property
    def key(self) -> tuple[str | None, str | None, Category]:
        return (self.supplier, self.recipient, self.category)


@dataclass(frozen=True, slots=True)
class LedgerCounts:
    """Sizes of the ledger: documents, claims, the states involved, claims per status and category."""

    documents: int
    claims: int
    states: tuple[str, ...] = ()
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NewEstimate:
    """An estimate to store: the two claims it links, and its inputs and result as JSON-ready dicts."""

    document_id: str
    carrier_claim_id: str
    ammunition_claim_id: str
    inputs: dict[str, Any]
    result: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredEstimate:
    """An estimate as held in the ledger, with its document's title and date."""

    id: int
    document_id: str
    document_public_id: str
    document_title: str | None
    document_published: date | None
    carrier_claim_id: str
    ammunition_claim_id: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    created_at: datetime


class SaveState(StrEnum):
    """What :meth:`Ledger.save_estimate` did."""

    INSERTED = "inserted"
    UNCHANGED = "unchanged"  # same claims, same inputs and result: nothing written
    UPDATED = "updated"
