"""claims lose two unused indexes and the row hash

Revision ID: 0007_lighter_claims
Revises: 0006_toll_groups
Create Date: 2026-11-25

No query looks claims up by event type or perpetrator (incidents keep both indexes), and
each index costs every insert: a dataset import stores rows a fifth faster without them.
A re-import now tells a changed row by comparing the values it would store with those
stored, so the hash of each row as read is no longer kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_lighter_claims"
down_revision = "0006_toll_groups"
branch_labels = None
depends_on = None

INDEXES = {"ix_claims_event_type": "event_type", "ix_claims_perpetrator_actor": "perpetrator_actor"}


def upgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("row_hash")


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("row_hash", sa.String(length=32), nullable=True))
    for name, column in INDEXES.items():
        op.create_index(name, "claims", [column])
