"""The dashboard's overview of a view of the ledger: its incidents on a map at any zoom
(binned by the database when there are many), the violations over time in bins that
suit the range, and where the ledger's dates end, so the dashboard opens on its latest
weeks. The queries are store/clusters.py's; every one takes the list's IncidentFilter."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, timedelta
from typing import Any, TypeVar

from trucewatch.errors import InputError
from trucewatch.service.aggregates import timeline_bins
from trucewatch.store import clusters
from trucewatch.store.clusters import MapView
from trucewatch.store.database import Database
from trucewatch.store.selection import IncidentFilter

# A grid cell is about this many screen pixels wide: clusters close enough to read,
# few enough (a few hundred in a viewport) to draw at once.
CELL_PIXELS = 48
TILE_PIXELS = 256  # a web map's world is 256 * 2**zoom pixels wide
MAX_ZOOM = 22
LATEST_DAYS = 28  # the dashboard opens on the last four weeks of the ledger
T = TypeVar("T")


def cell_degrees(zoom: float) -> float:
    """The width in degrees of a grid cell at a map zoom level."""
    return CELL_PIXELS * 360.0 / (TILE_PIXELS * 2.0 ** zoom)


class OverviewCases:
    """Mixed into Ledger: needs its database and its cache of answers (ReadingCases'
    ``cached``: kept while the ledger stays the same)."""

    db: Database

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        raise NotImplementedError  # ReadingCases'

    def map_view(self, where: IncidentFilter = IncidentFilter(), *, zoom: float,
                 max_points: int = 2000) -> MapView:
        """The matching incidents as the map at ``zoom`` draws them: one by one when at
        most ``max_points`` have coordinates, else counted per grid cell."""
        if not 0 <= zoom <= MAX_ZOOM:
            raise InputError("zoom", f"{zoom} is not a map zoom level: give 0 to {MAX_ZOOM}")
        made: list[MapView] = []

        def compute() -> MapView | None:
            made.append(clusters.map_view(self.db, where, cell_size=cell_degrees(zoom),
                                          max_points=max_points))
            # Cells are a few hundred small records: kept. Points may be thousands of
            # larger ones, and cheap to read again when so few match: not kept.
            return None if made[0].points else made[0]

        kept = self.cached(("map", where, zoom, max_points), compute)
        if kept is not None:
            return kept
        return made[0] if made else clusters.map_view(
            self.db, where, cell_size=cell_degrees(zoom), max_points=max_points)

    def timeline(self, where: IncidentFilter = IncidentFilter(), *,
                 unit: str | None = None) -> dict[str, Any]:
        """Violations and probable violations per zone, by day, week or month (chosen
        from the range when ``unit`` is None)."""
        if unit is not None and unit not in clusters.UNITS:
            raise InputError("unit", f"{unit!r} is not a bin: give {', '.join(clusters.UNITS)}")
        def compute() -> dict[str, Any]:
            found = clusters.timeline(self.db, where, unit=unit)
            found["aggregates"] = timeline_bins(self.db, where, found["unit"])  # as reported
            return found

        # Small (a row per bin and zone) and asked for by every view: kept.
        return self.cached(("timeline", where, unit), compute)

    def date_extent(self, where: IncidentFilter = IncidentFilter()
                    ) -> tuple[date | None, date | None]:
        """The first and last event dates of the matching incidents."""
        return clusters.date_extent(self.db, where)

    def latest_weeks(self) -> tuple[date, date] | None:
        """The range a view of the ledger opens on: its last four weeks of events (None
        when no incident is dated)."""
        _, last = self.cached(("date_extent",), lambda: clusters.date_extent(self.db))
        if last is None:
            return None
        return last - timedelta(days=LATEST_DAYS - 1), last
