"""Estimates: quantities estimated from a shipment claim and the ammunition claim converted from it.

Revision ID: 0002
Revises: 0001
Create Date: 2025-07-20
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the estimates table, linked to its document and both claims (deleted with any of them)."""
    op.create_table(
        "estimates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("carrier_claim_id", sa.String(16), nullable=False),
        sa.Column("ammunition_claim_id", sa.String(16), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_estimates"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_estimates_document_id_documents", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["carrier_claim_id"],
            ["claims.claim_id"],
            name="fk_estimates_carrier_claim_id_claims",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ammunition_claim_id"],
            ["claims.claim_id"],
            name="fk_estimates_ammunition_claim_id_claims",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("carrier_claim_id", "ammunition_claim_id", name="uq_estimates_claims"),
    )
    op.create_index("ix_estimates_document_id", "estimates", ["document_id"])
    op.create_index("ix_estimates_ammunition_claim_id", "estimates", ["ammunition_claim_id"])


def downgrade() -> None:
    """Drop the estimates table."""
    op.drop_table("estimates")
