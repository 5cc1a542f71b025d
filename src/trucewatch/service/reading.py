"""Reading the ledger: the incident list, one incident with its evidence, the daily
counts, reports, and the incidents in batches for exports, the feed and digests. Every
list goes through one filter type (store/selection.py's IncidentFilter)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic_core import from_json

from trucewatch.model import DatePrecision
from trucewatch.service.caching import ReadCache
from trucewatch.store import queries, search, stream
from trucewatch.store.database import Database
from trucewatch.store.queries import (
    IncidentDetail,
    IncidentPage,
    IncidentView,
    ReportView,
)
from trucewatch.store.review import ReviewState
from trucewatch.store.selection import SORTS, IncidentFilter
from trucewatch.store.stream import Entry

T = TypeVar("T")


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
        """One page at ``offset`` or after ``cursor``, the count, and the next cursor. The
        counts are kept while the ledger stays the same (they cost a pass over the
        matches; the page itself is a walk of an index)."""
        key = ("count", where, sort.lstrip("-"))
        counted = self.read_cache.get(key, lambda: queries.count_matches(self.db, where, sort))
        reviewed = self.read_cache.get(("any review",), lambda: queries.any_review(self.db))
        return queries.search_page(self.db, where, sort=sort, limit=limit, offset=offset,
                                   cursor=cursor, counted=counted, reviewed=reviewed)

    def search_records(self, where: IncidentFilter = IncidentFilter(), *,
                       sort: str = "event_date", limit: int = 50, offset: int = 0,
                       cursor: str | None = None) -> RecordPage:
        """search_page's page as records (publish/records.py's incident_record shape),
        read as columns straight into them: the API's list, where building incidents
        and verdicts to turn them into records again took four fifths of a page's CPU."""
        key = ("count", where, sort.lstrip("-"))
        counted = self.read_cache.get(key, lambda: queries.count_matches(self.db, where, sort))
        reviewed = self.read_cache.get(("any review",), lambda: queries.any_review(self.db))
        page = queries.search_rows(self.db, where, sort=sort, limit=limit, offset=offset,
                                   cursor=cursor, counted=counted, reviewed=reviewed)
        return RecordPage([listed_record(row) for row in page.rows],
                          [page.states.get(row.id) for row in page.rows], page.count,
                          page.next_cursor)

    def prepare_reading(self) -> int:
        """Index for search what was stored since the last search (store/search.py): a
        server does it at start; how many rows were indexed."""
        return search.catch_up(self.db)

    def prepare_answers(self) -> None:
        """What a server's first answers would otherwise each pay for once: the whole
        ledger's counts under each sort the list takes (a pass over the matches, 20-25 ms
        each over 200,000 incidents; kept until the ledger changes), each sort's query and
        an incident's three compiled (6 ms the first time)."""
        for sort in SORTS:
            self.search_records(sort=sort, limit=1)
        newest = self.search_records(sort="-id", limit=1).records
        if newest:
            self.incident_detail(newest[0]["id"])

    @property
    def read_cache(self) -> ReadCache:
        """This ledger's cache of answers (service/caching.py), made on first use."""
        cache: ReadCache | None = self.__dict__.get("_read_cache")
        if cache is None:
            cache = self.__dict__["_read_cache"] = ReadCache(self.db)
        return cache

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s answer, kept while the ledger stays the same."""
        return self.read_cache.get(key, compute)

    def incident_detail(self, incident_id: int) -> IncidentDetail:
        # a ledger nobody reviewed yet has no review state to read (1.3 of 6 ms a detail)
        reviewed = self.read_cache.get(("any review",), lambda: queries.any_review(self.db))
        return queries.incident_detail(self.db, incident_id, reviewed=reviewed)

    def daily_counts(self, *, zone: str | None = None, date_from: date | None = None,
                     date_to: date | None = None) -> list[dict[str, Any]]:
        return self.cached(("daily", zone, date_from, date_to), lambda: queries.daily_counts(
            self.db, zone=zone, date_from=date_from, date_to=date_to))

    def reports(self, *, limit: int = 50, offset: int = 0) -> tuple[list[ReportView], int]:
        return queries.list_reports(self.db, limit=limit, offset=offset)

    def report(self, report_id: int) -> ReportView:
        return queries.get_report(self.db, report_id)

    def newest_entries(self, where: IncidentFilter, limit: int) -> list[Entry]:
        """The ``limit`` matching incidents assessed last, with their sources, newest
        first: one indexed query and ``limit`` loads, whatever the ledger's size."""
        ids = queries.newest_assessed(self.db, where, limit)
        found = {e.incident.id: e for e in stream.iter_entries(
            self.db, IncidentFilter(ids=tuple(ids), include_rejected=True))}
        return [found[i] for i in ids if i in found]

    def entries(self, where: IncidentFilter = IncidentFilter(), *,
                provenance: bool = True) -> Iterator[Entry]:
        """The matching incidents with their review state (and sources), in batches."""
        return stream.iter_entries(self.db, where, provenance=provenance)


@dataclass(slots=True)
class RecordPage:
    records: list[dict[str, Any]]  # incident_record's, the verdict's keys always present
    states: list[ReviewState | None]  # each record's review state; None: unread
    count: int
    next_cursor: str | None


_DAY = DatePrecision.DAY.value


def listed_record(row: Any) -> dict[str, Any]:
    """publish.records.incident_record(incident, verdict) of an incident read as
    queries.LISTED's columns, with the verdict's keys as IncidentPublic defaults them when
    there is no verdict (tests/test_api_listing.py holds the two ways to one answer)."""
    (number, event_type, day, precision, name, lat, lon, admin1, admin2, country, geo,
     geonames_id, perpetrator, perpetrator_actor, target_actor, killed_low, killed_best,
     killed_high, killed_civilians, killed_combatants, wounded_low, wounded_best,
     wounded_high, wounded_civilians, wounded_combatants, sources, confidence, verdict,
     zones, agreements, reasons) = row
    if day is not None and not isinstance(day, str):
        day = day.isoformat()  # PostgreSQL's driver gives a date; SQLite's its text
    precision = precision or None
    exact = day is not None and precision in (None, _DAY)
    return {
        "id": number, "event_type": event_type,
        "event_date": day if exact else None, "date_precision": precision,
        "period_start": day if day and not exact else None,
        "location": None if name is None else {
            "name": name, "lat": None if lat is None else float(lat),
            "lon": None if lon is None else float(lon), "admin1": admin1, "admin2": admin2,
            "country": country, "geo_precision": geo or 1, "geonames_id": geonames_id},
        "perpetrator": perpetrator, "perpetrator_actor": perpetrator_actor,
        "target_actor": target_actor,
        "killed": {"low": killed_low, "best": killed_best, "high": killed_high,
                   "civilians": killed_civilians, "combatants": killed_combatants},
        "wounded": {"low": wounded_low, "best": wounded_best, "high": wounded_high,
                    "civilians": wounded_civilians, "combatants": wounded_combatants},
        "sources": _listed(sources), "confidence": confidence, "verdict": verdict,
        "zones": _listed(zones) if verdict else [],
        "agreements": _listed(agreements) if verdict else [],
        "reasons": _listed(reasons) if verdict else [],
    }


def _listed(value: Any) -> list[Any]:
    """A JSON list column: SQLite's text parsed (pydantic-core's parser: a fifth of the
    json module's time), PostgreSQL's already a list; null is empty."""
    if isinstance(value, str | bytes):
        value = from_json(value)
    return list(value) if value else []
