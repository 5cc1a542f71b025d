"""near-copies of reports: the story a report copies, and the LSH index of texts

Revision ID: 0008_report_copies
Revises: 0007_lighter_claims
Create Date: 2026-12-04

A syndicated copy of a stored story (another outlet's headline, byline and boilerplate,
a paragraph short) is stored as a copy of the first report (reports.copy_of_id) and adds
no claims. report_bands holds each report's LSH band keys (ingest/near_duplicates.py),
so copies are found by an indexed look-up in any process. The articles already stored
are indexed here, so a copy of one of them ingested after the upgrade is recognised;
dataset files (one report per file) are not stories and are left out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_report_copies"
down_revision = "0007_lighter_claims"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("copy_of_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_reports_copy_of_id_reports", "reports", ["copy_of_id"],
                                 ["id"])
        batch.create_index("ix_reports_copy_of_id", ["copy_of_id"], unique=False)
    op.create_table(
        "report_bands",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("band_key", "report_id"),
        sqlite_with_rowid=False,  # the rows are the primary key's B-tree
    )
    _index_stored_articles()


def downgrade() -> None:
    op.drop_table("report_bands")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_copy_of_id")
        batch.drop_constraint("fk_reports_copy_of_id_reports", type_="foreignkey")
        batch.drop_column("copy_of_id")


def _index_stored_articles() -> None:
    """Band keys of every stored article, a batch at a time in id order."""
    from trucewatch.ingest.near_duplicates import fingerprint

    reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                       sa.column("text", sa.Text))
    bands = sa.table("report_bands", sa.column("band_key", sa.BigInteger),
                     sa.column("report_id", sa.Integer))
    bind, after = op.get_bind(), 0
    while rows := bind.execute(
            sa.select(reports.c.id, reports.c.text)
            .where(reports.c.id > after, reports.c.kind != "dataset")
            .order_by(reports.c.id).limit(BATCH)).all():
        keys = [{"band_key": key, "report_id": row.id}
                for row in rows for key in set(fingerprint(row.text).bands)]
        if keys:
            bind.execute(sa.insert(bands), keys)
        after = rows[-1].id
