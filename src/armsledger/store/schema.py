"""The ledger's tables (SQLAlchemy Core). Alembic migrations in ``migrations/versions`` create them.

Only portable SQLAlchemy types are used so the same schema runs on SQLite and PostgreSQL. When a table
changes here, add a migration (``alembic -c src/armsledger/store/alembic.ini revision -m "..."``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Named constraints make migrations reproducible across databases (PostgreSQL would otherwise
# invent its own names, and SQLite batch migrations need names to drop constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ORIGIN_EXTRACTED = "extracted"
REVIEW_UNREVIEWED = "unreviewed"

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("external_id", String(255), nullable=True),
    Column("title", Text, nullable=True),
    Column("published", Date, nullable=True),
    Column("url", Text, nullable=True),
    Column("outlet", String(255), nullable=True),
    Column("source_path", Text, nullable=True),
    Column("raw_sha256", String(64), nullable=True),
    Column("based_on", JSON, nullable=True),
    Column("text", Text, nullable=False),
    Column("extractor_version", String(32), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Index("ix_documents_external_id", "external_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("claim_id", String(16), primary_key=True),
    Column(
        "document_id",
        String(64),
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("seq", Integer, nullable=False),
    Column("supplier", String(3), nullable=True),
    Column("recipient", String(3), nullable=True),
    Column("category", String(16), nullable=False),
    Column("item", Text, nullable=False),
    Column("quantity_value", Double, nullable=True),
    Column("quantity_low", Double, nullable=True),
    Column("quantity_high", Double, nullable=True),
    Column("quantity_qualifier", String(16), nullable=True),
    Column("quantity_unit", String(16), nullable=True),
    Column("status", String(16), nullable=False),
    Column("estimated", Boolean, nullable=False),
    Column("time_start", String(10), nullable=True),
    Column("time_end", String(10), nullable=True),
    # First and last calendar day time_start can denote ("2024-10" -> 2024-10-01 / 2024-10-31), so
    # since/until filters compare real dates on every database instead of partial-date strings.
    Column("time_start_earliest", Date, nullable=True),
    Column("time_start_latest", Date, nullable=True),
    Column("location", Text, nullable=True),
    Column("attribution", Text, nullable=True),
    Column("evidence", Text, nullable=False),
    Column("span_start", Integer, nullable=True),
    Column("span_end", Integer, nullable=True),
    Column("extractor_version", String(32), nullable=False),
    Column("origin", String(16), nullable=False),
    Column("review_state", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_claims_document_id", "document_id"),
    Index("ix_claims_supplier", "supplier"),
    Index("ix_claims_recipient", "recipient"),
    Index("ix_claims_category", "category"),
    Index("ix_claims_status", "status"),
)

# One row per conversion found in a document: a shipment claim (containers, railcars, voyages) and an
# estimated ammunition claim of the same flow, with the estimate's inputs and result as JSON. Deleting
# either claim (a re-extraction) or the document deletes the estimate.
estimates = Table(
    "estimates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("carrier_claim_id", String(16), ForeignKey("claims.claim_id", ondelete="CASCADE"), nullable=False),
    Column(
        "ammunition_claim_id", String(16), ForeignKey("claims.claim_id", ondelete="CASCADE"), nullable=False
    ),
    Column("inputs", JSON, nullable=False),
    Column("result", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("carrier_claim_id", "ammunition_claim_id", name="uq_estimates_claims"),
    Index("ix_estimates_document_id", "document_id"),
    Index("ix_estimates_ammunition_claim_id", "ammunition_claim_id"),
)

# issue 4 (flows over time): analyst-curated claims keep the file and line they were imported from.
# Their claims rows carry origin 'curated'; deleting the claim deletes this provenance.
ORIGIN_CURATED = "curated"

curated_rows = Table(
    "curated_rows",
    metadata,
    Column("claim_id", String(16), ForeignKey("claims.claim_id", ondelete="CASCADE"), primary_key=True),
    Column("source_file", Text, nullable=False),
    Column("line", Integer, nullable=False),
    Column("row_sha256", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
)

# The as-of query reads one flow (supplier, recipient, categories) up to a report date.
Index("ix_claims_flow", claims.c.supplier, claims.c.recipient, claims.c.category)
Index("ix_documents_published", documents.c.published)

# issue 6 (workbench): accounts with hashed API tokens, and the append-only, hash-chained audit log.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("token_key", String(32), nullable=False, unique=True),
    Column("token_salt", String(64), nullable=False),
    Column("token_hash", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Each row's hash covers its content and the previous row's hash; times are stored as ISO text so the
# hashed bytes come back unchanged from every database. audit_head holds the last id and hash, so
# deleting the newest rows is detected too.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("user", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(64), nullable=False),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_target", "target"),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("last_id", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)
