"""What a dataset row kept beside its claim (the claims table's ``extra``: ACLED's actor2
and codes, GDELT's SOURCEURL and CAMEO codes, UCDP's fields), for an incident page that
shows each claim as its dataset gave it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from trucewatch.store.database import Database
from trucewatch.store.tables import ClaimRow


def claim_extras(db: Database, claim_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each named claim's kept dataset fields (claims without any are left out)."""
    wanted = sorted(set(claim_ids))
    if not wanted:
        return {}
    with db.reading() as session:
        return {claim_id: dict(extra) for claim_id, extra in session.execute(
            select(ClaimRow.id, ClaimRow.extra).where(ClaimRow.id.in_(wanted)))
            if isinstance(extra, dict) and extra}
