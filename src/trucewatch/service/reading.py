"""Reading the ledger: the incident list, one incident with its evidence, the daily
counts, reports, and the incidents in batches for exports, the feed and digests. Every
list goes through one filter type (store/selection.py's IncidentFilter)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from trucewatch.store import queries, stream
from trucewatch.store.database import Database
from trucewatch.store.queries import IncidentDetail, IncidentPage, IncidentView, ReportView
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.stream import Entry


class ReadingCases:
    """Mixed into Ledger: needs its database."""

    db: Database

    def search(self, where: IncidentFilter = IncidentFilter(), *, sort: str = "event_date",
               limit: int = 50, offset: int = 0) -> tuple[list[IncidentView], int]:
        """One page of the incidents matching ``where``, and how many match in all."""
        return queries.search_incidents(self.db, where, sort=sort, limit=limit,
                                        offset=offset)

    def search_page(self, where: IncidentFilter = IncidentFilter(), *,
                    sort: str = "event_date", limit: int = 50, offset: int = 0,
                    cursor: str | None = None) -> IncidentPage:
        """One page at ``offset`` or after ``cursor``, the count, and the next cursor."""
        return queries.search_page(self.db, where, sort=sort, limit=limit, offset=offset,
                                   cursor=cursor)

    def incident_detail(self, incident_id: int) -> IncidentDetail:
        return queries.incident_detail(self.db, incident_id)

    def daily_counts(self, *, zone: str | None = None, date_from: date | None = None,
                     date_to: date | None = None) -> list[dict[str, Any]]:
        return queries.daily_counts(self.db, zone=zone, date_from=date_from,
                                    date_to=date_to)

    def reports(self, *, limit: int = 50, offset: int = 0) -> tuple[list[ReportView], int]:
        return queries.list_reports(self.db, limit=limit, offset=offset)

    def report(self, report_id: int) -> ReportView:
        return queries.get_report(self.db, report_id)

    def entries(self, where: IncidentFilter = IncidentFilter(), *,
                provenance: bool = True) -> Iterator[Entry]:
        """The matching incidents with their review state (and sources), in batches."""
        return stream.iter_entries(self.db, where, provenance=provenance)
