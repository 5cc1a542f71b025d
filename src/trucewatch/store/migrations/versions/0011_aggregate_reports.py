"""aggregate violation reports: counts per side, area and day, each with its own verdict

Revision ID: 0011_aggregate_reports
Revises: 0010_reading_at_scale
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_aggregate_reports"
down_revision = "0010_reading_at_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A ledger stamped back to an older revision and upgraded again (tests/test_one_ledger)
    # has the table already: it is kept.
    if not sa.inspect(op.get_bind()).has_table("aggregate_reports"):
        _create()
    if op.get_bind().dialect.name == "postgresql":
        # Answers kept per ledger version (0010, service/caching.py: the timeline holds
        # these counts) must see a count's write as they see an incident's.
        op.execute("DROP TRIGGER IF EXISTS ledger_version_aggregate_reports "
                   "ON aggregate_reports")
        op.execute("CREATE TRIGGER ledger_version_aggregate_reports AFTER INSERT OR UPDATE "
                   "OR DELETE OR TRUNCATE ON aggregate_reports FOR EACH STATEMENT "
                   "EXECUTE FUNCTION ledger_version_bump()")


def _create() -> None:
    op.create_table(
        "aggregate_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reporter", sa.String(length=200), nullable=False),
        sa.Column("side", sa.String(length=200), nullable=True),
        sa.Column("side_actor", sa.String(length=80), nullable=True),
        sa.Column("area", sa.String(length=200), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("killed", sa.Integer(), nullable=True),
        sa.Column("wounded", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=1000), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("verdict_zones", sa.JSON(), nullable=False),
        sa.Column("verdict_agreements", sa.JSON(), nullable=False),
        sa.Column("verdict_reasons", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("identity"),
    )
    with op.batch_alter_table("aggregate_reports", schema=None) as batch_op:
        for column in ("day", "side_actor", "verdict", "recorded_at"):
            batch_op.create_index(batch_op.f(f"ix_aggregate_reports_{column}"), [column],
                                  unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_version_aggregate_reports "
                   "ON aggregate_reports")
    with op.batch_alter_table("aggregate_reports", schema=None) as batch_op:
        for column in ("recorded_at", "verdict", "side_actor", "day"):
            batch_op.drop_index(batch_op.f(f"ix_aggregate_reports_{column}"))
    op.drop_table("aggregate_reports")
