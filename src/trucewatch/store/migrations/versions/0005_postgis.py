"""PostgreSQL: PostGIS and a spatial index on incident points

Revision ID: 0005_postgis
Revises: 0004_digests
Create Date: 2026-11-25

On PostgreSQL, enable PostGIS when the server has it and the account may, and index
each incident's point (GiST on an expression of lon/lat, so the table keeps its plain
columns and SQLite stays the same). The API's bounding-box filter then runs as a PostGIS
query. Nothing happens on SQLite, nor on a PostgreSQL without PostGIS, where the filter
compares lon and lat as before.
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0005_postgis"
down_revision = "0004_digests"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
POINT = "ST_SetSRID(ST_MakePoint(lon, lat), 4326)"


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    savepoint = connection.begin_nested()  # a refused CREATE EXTENSION must not abort it all
    try:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        savepoint.commit()
    except DBAPIError as exc:
        savepoint.rollback()
        log.warning("PostGIS not enabled (%s); bounding boxes are compared on lon/lat",
                    str(exc).splitlines()[0])
        return
    connection.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS ix_incidents_point ON incidents USING gist (({POINT}))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_incidents_point")
