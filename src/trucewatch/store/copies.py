"""Near-copies of stored reports, found through the LSH band keys kept in report_bands.

The decision is ``ingest.near_duplicates.is_copy``'s; this module looks up candidates and
keeps the index. A look-up is one query on the indexed band keys, then the exact check
against at most MAX_CANDIDATES stored texts, those sharing most band keys first, until
one passes: its cost does not grow with the ledger.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from trucewatch.ingest.near_duplicates import Fingerprint, fingerprint, is_copy
from trucewatch.store.database import Database
from trucewatch.store.tables import ReportBandRow, ReportRow

# Candidates read and compared word by word, those sharing most bands first. A story
# copied by many outlets has many rows sharing its bands; a few suffice to find it.
MAX_CANDIDATES = 8


def find_original(session: Session, new: Fingerprint) -> int | None:
    """The id of the first report of the story ``new`` is a near-copy of, or None."""
    if not new.bands:
        return None
    shared = func.count(ReportBandRow.band_key)
    candidates = session.execute(
        select(ReportBandRow.report_id, shared)
        .where(ReportBandRow.band_key.in_(new.bands))
        .group_by(ReportBandRow.report_id)
        .order_by(shared.desc(), ReportBandRow.report_id)
        .limit(MAX_CANDIDATES)).all()
    for report_id, _shared in candidates:  # most bands in common first: the likeliest
        row = session.execute(select(ReportRow.text, ReportRow.copy_of_id)
                              .where(ReportRow.id == report_id)).one()
        if is_copy(new, fingerprint(row.text)):
            # The story is its first report: a copy of a copy is a copy of the first.
            return int(row.copy_of_id or report_id)
    return None


def index_report(session: Session, report_id: int, found: Fingerprint) -> None:
    """Keep a stored report's band keys, so later copies of it are found."""
    keys = sorted(set(found.bands))
    if keys:  # one INSERT with 25 rows of VALUES: one round trip to a server
        session.execute(insert(ReportBandRow).values(
            [{"band_key": key, "report_id": report_id} for key in keys]))


def copies_of(db: Database, report_id: int) -> list[int]:
    """The ids of the reports stored as copies of this one, oldest first."""
    with db.reading() as session:
        return list(session.scalars(select(ReportRow.id).where(ReportRow.copy_of_id == report_id)
                                    .order_by(ReportRow.id)))
