"""an index of incidents by place: (lat, lon, verdict, event_date)

Revision ID: 0012_incident_places
Revises: 0011_aggregate_reports
Create Date: 2026-12-05

The dashboard's map counts the incidents at each point (store/clusters.py: GROUP BY lat,
lon) and bins the points into cells for its zoom. Over 200,000 incidents, reading the
wide incident rows took most of a second; this index holds what that count reads, in the
order it groups by, so the database walks the index alone, a box, a verdict or a date
range filtered on the way. It also serves a box filter (lat between, lon between) on a
backend without PostGIS.
"""

from __future__ import annotations

from alembic import op

revision = "0012_incident_places"
down_revision = "0011_aggregate_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # if_not_exists: a ledger stamped back to an older revision and upgraded again keeps it.
    op.create_index("ix_incidents_place", "incidents", ["lat", "lon", "verdict", "event_date"],
                    if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_incidents_place", table_name="incidents", if_exists=True)
