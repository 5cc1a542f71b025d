"""dataset imports (ACLED, UCDP GED, GDELT) on claims; analysts' merge decisions

Revision ID: 0003_imports
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_imports"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dataset", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("event_date_end", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("exact_type", sa.Boolean(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("extra", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("previous_incident_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_claims_dataset_external_id", ["dataset", "external_id"], unique=True
        )
    op.create_table(
        "merge_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "merge_decision_claims",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"]),
        sa.ForeignKeyConstraint(["decision_id"], ["merge_decisions.id"]),
        sa.PrimaryKeyConstraint("decision_id", "claim_id"),
    )
    with op.batch_alter_table("merge_decision_claims", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_merge_decision_claims_claim_id"), ["claim_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("merge_decision_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_decision_claims_claim_id"))
    op.drop_table("merge_decision_claims")
    op.drop_table("merge_decisions")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_dataset_external_id")
        for column in ("previous_incident_id", "extra", "notes", "exact_type",
                       "event_date_end", "row_hash", "external_id", "dataset"):
            batch_op.drop_column(column)
