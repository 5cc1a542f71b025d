"""the analysts' corrections written into the incident rows

Revision ID: 0009_effective_values
Revises: 0008_report_copies
Create Date: 2026-12-04

Until now the incident rows held the machine's reading and every reader applied the
analysts' corrections itself (some readers did not). From here the rows hold the
analysts' values and ``overrides`` the machine's beside them (store/effective.py). The
ledgers already stored have their corrected incidents settled here, re-assessed against
the scenario loaded last (when there is one). No column changes: downgrading puts the
machine's values back.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0009_effective_values"
down_revision = "0008_report_copies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The code of this revision: settle() and the tables as they are now. A later
    # migration that changes the incidents table must not rely on them.
    from trucewatch.ledger import scenario_from_definition
    from trucewatch.store.effective import settle
    from trucewatch.store.tables import OverrideRow, ScenarioRow

    with Session(bind=op.get_bind()) as session:
        ids = list(session.scalars(sa.select(OverrideRow.incident_id).distinct()))
        if not ids:
            return
        stored = session.scalars(
            sa.select(ScenarioRow).order_by(ScenarioRow.loaded_at.desc()).limit(1)).first()
        scenario = scenario_from_definition(dict(stored.definition)) if stored else None
        settle(session, ids, scenario)  # the rows hold the machine's reading until now
        session.commit()  # into alembic's transaction, which commits it with the revision


def downgrade() -> None:
    """The machine's values back in the rows (verdicts as the analysts left them until
    the next scenario load re-assesses them)."""
    from trucewatch.store.tables import IncidentRow, OverrideRow

    with Session(bind=op.get_bind()) as session:
        for override in session.scalars(sa.select(OverrideRow)):
            value = override.machine_value
            if override.field == "event_date" and value is not None:
                value = date.fromisoformat(value)
            session.execute(sa.update(IncidentRow).where(IncidentRow.id == override.incident_id)
                            .values({override.field: value}))
        session.commit()
