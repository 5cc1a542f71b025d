"""civilians and fighters among the tolls

Revision ID: 0006_toll_groups
Revises: 0005_postgis
Create Date: 2026-11-25

Of each claim's and incident's best killed and wounded figures, how many the reports
say were civilians and how many fighters (as UCDP GED's deaths_civilians).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_toll_groups"
down_revision = "0005_postgis"
branch_labels = None
depends_on = None

COLUMNS = ("killed_civilians", "killed_combatants", "wounded_civilians", "wounded_combatants")


def upgrade() -> None:
    for table in ("claims", "incidents"):
        with op.batch_alter_table(table) as batch:
            for column in COLUMNS:
                batch.add_column(sa.Column(column, sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in ("claims", "incidents"):
        with op.batch_alter_table(table) as batch:
            for column in COLUMNS:
                batch.drop_column(column)
