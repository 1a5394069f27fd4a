"""Curated claims and flow queries: provenance of analyst-imported claims, indices for as-of queries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create curated_rows and the flow / report-date indices."""
    op.create_table(
        "curated_rows",
        sa.Column("claim_id", sa.String(16), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("row_sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("claim_id", name="pk_curated_rows"),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.claim_id"], name="fk_curated_rows_claim_id_claims", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_claims_flow", "claims", ["supplier", "recipient", "category"])
    op.create_index("ix_documents_published", "documents", ["published"])


def downgrade() -> None:
    """Drop the indices and curated_rows (curated claims stay, as plain claims)."""
    op.drop_index("ix_documents_published", table_name="documents")
    op.drop_index("ix_claims_flow", table_name="claims")
    op.drop_table("curated_rows")
