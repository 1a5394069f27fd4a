"""Initial ledger: documents and claims.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the documents and claims tables with their indices."""
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(255), nullable=True),
        sa.Column("source_path", sa.Text(), nullable=True),
        sa.Column("raw_sha256", sa.String(64), nullable=True),
        sa.Column("based_on", sa.JSON(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("extractor_version", sa.String(32), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_external_id", "documents", ["external_id"])
    op.create_table(
        "claims",
        sa.Column("claim_id", sa.String(16), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(3), nullable=True),
        sa.Column("recipient", sa.String(3), nullable=True),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("quantity_value", sa.Double(), nullable=True),
        sa.Column("quantity_low", sa.Double(), nullable=True),
        sa.Column("quantity_high", sa.Double(), nullable=True),
        sa.Column("quantity_qualifier", sa.String(16), nullable=True),
        sa.Column("quantity_unit", sa.String(16), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("estimated", sa.Boolean(), nullable=False),
        sa.Column("time_start", sa.String(10), nullable=True),
        sa.Column("time_end", sa.String(10), nullable=True),
        sa.Column("time_start_earliest", sa.Date(), nullable=True),
        sa.Column("time_start_latest", sa.Date(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("attribution", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("extractor_version", sa.String(32), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("review_state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name="pk_claims"),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_claims_document_id_documents",
            ondelete="CASCADE",
        ),
    )
    for column in ("document_id", "supplier", "recipient", "category", "status"):
        op.create_index(f"ix_claims_{column}", "claims", [column])


def downgrade() -> None:
    """Drop both tables."""
    op.drop_table("claims")
    op.drop_table("documents")
