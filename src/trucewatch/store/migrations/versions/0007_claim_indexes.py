"""claims lose their event type and perpetrator indexes

Revision ID: 0007_claim_indexes
Revises: 0006_toll_groups
Create Date: 2026-11-25

No query looks claims up by event type or perpetrator (incidents keep both indexes), and
each index costs every insert: a dataset import stores rows a fifth faster without them.
"""

from __future__ import annotations

from alembic import op

revision = "0007_claim_indexes"
down_revision = "0006_toll_groups"
branch_labels = None
depends_on = None

INDEXES = {"ix_claims_event_type": "event_type", "ix_claims_perpetrator_actor": "perpetrator_actor"}


def upgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="claims")


def downgrade() -> None:
    for name, column in INDEXES.items():
        op.create_index(name, "claims", [column])
