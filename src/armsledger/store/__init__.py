"""The ledger: the only place with SQL. ``Ledger.open(url)`` creates or migrates the database.

SQLite file by default (``settings.database_url``), any SQLAlchemy URL (e.g. PostgreSQL) otherwise.
"""

from __future__ import annotations

from armsledger.store.engine import display_url, resolve_database_url, sqlite_path
from armsledger.store.ledger import Ledger, is_newer_version
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

__all__ = [
    "AddResult",
    "AddState",
    "ClaimFilter",
    "Flow",
    "Ledger",
    "LedgerCounts",
    "NewEstimate",
    "SaveState",
    "StoredClaim",
    "StoredDocument",
    "StoredEstimate",
    "UnitTotal",
    "display_url",
    "is_newer_version",
    "resolve_database_url",
    "sqlite_path",
]
