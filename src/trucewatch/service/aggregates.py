"""Aggregate violation reports as use cases (mixed into service.Ledger): add counts, each
judged under the scenario in use (trucewatch.aggregates); import them from a CSV file;
list them; judge them all again when a scenario is loaded; their totals per day for the
timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from trucewatch import aggregates
from trucewatch.actors import ActorDictionary
from trucewatch.errors import InputError
from trucewatch.model import AggregateReport, Scenario, Verdict
from trucewatch.store import aggregates as store
from trucewatch.store.aggregates import AggregateSummary, StoredAggregate
from trucewatch.store.clusters import bin_start
from trucewatch.store.database import Database
from trucewatch.store.selection import IncidentFilter


class AggregateCases:
    """Mixed into Ledger: needs its database and its scenario."""

    db: Database

    def scenario(self, name_or_path: str | Path | None = None) -> Scenario:
        raise NotImplementedError  # Ledger's

    def _aggregate_judge(self, scenario: Scenario) -> Any:
        actors = ActorDictionary(scenario.actors.values())
        places: aggregates.PlaceCache = {}  # an area is placed once per set of boundaries

        def judge(report: AggregateReport) -> tuple[Verdict, str | None]:
            side = actors.resolve(report.side) if report.side else None
            verdict = aggregates.judge(report, scenario, actors, places)
            return verdict, side.id if side else None
        return judge

    def add_aggregates(self, reports: Iterable[AggregateReport], *,
                       scenario: str | Path | None = None) -> AggregateSummary:
        """Judge each count under the scenario (the named one, else the one loaded) and
        store it; the same count again changes nothing, a new figure for it replaces it."""
        self.db.require_current()
        judge = self._aggregate_judge(self.scenario(scenario))
        judged = []
        for report in reports:
            if report.count < 0:
                raise InputError("count", f"{report.count} is below 0")
            verdict, side = judge(report)
            judged.append((report, verdict, side))
        with self.db.transaction() as session:
            return store.save(session, judged)

    def import_aggregates(self, path: Path, *, scenario: str | Path | None = None
                          ) -> AggregateSummary:
        """A CSV file of counts (aggregates.COLUMNS), all rows or none: a bad row raises
        InputError naming the file, line and column before anything is stored."""
        rows = aggregates.read_csv(path)
        return self.add_aggregates((report for _, report in rows), scenario=scenario)

    def aggregates(self, *, date_from: date | None = None, date_to: date | None = None,
                   side: str | None = None, verdicts: tuple[str, ...] = (),
                   limit: int | None = None, offset: int = 0
                   ) -> tuple[list[StoredAggregate], int]:
        """Stored counts by day, filtered by day range, side (an actor id or the side as
        written) and verdict; and how many match."""
        if date_from and date_to and date_from > date_to:
            raise InputError("date_from/date_to", f"{date_from} is after {date_to}")
        return store.list_aggregates(self.db, date_from=date_from, date_to=date_to,
                                     side=side, verdicts=verdicts, limit=limit,
                                     offset=offset)

    def rejudge_aggregates(self) -> int:
        """Judge every stored count again under the scenario in use; how many changed."""
        judge = self._aggregate_judge(self.scenario())
        with self.db.transaction() as session:
            return store.rejudge(session, judge)

    def aggregate_totals(self, *, date_from: date | None = None, date_to: date | None = None,
                         zones: tuple[str, ...] = ()) -> dict[tuple[date, str], dict[str, int]]:
        """Acts counted per day and zone, all and in violation counts (the timeline's)."""
        return store.daily_totals(self.db, date_from=date_from, date_to=date_to, zones=zones)


def aggregate_record(stored: StoredAggregate) -> dict[str, Any]:
    """A stored count as the command line's JSON and the API give it."""
    report, verdict = stored.report, stored.verdict
    return {"id": stored.id, "date": report.day.isoformat(), "reporter": report.reporter,
            "side": report.side, "side_actor": stored.side_actor, "area": report.area,
            "count": report.count, "kind": report.kind, "killed": report.killed,
            "wounded": report.wounded, "source": report.source, "note": report.text,
            "verdict": {"kind": verdict.kind.value, "zones": list(verdict.zones),
                        "agreements": list(verdict.agreements),
                        "reasons": list(verdict.reasons)},
            "recorded_at": stored.recorded_at.isoformat()}


def summary_record(summary: AggregateSummary) -> dict[str, Any]:
    return {"read": summary.read, "added": summary.added, "updated": summary.updated,
            "unchanged": summary.unchanged, "verdicts": dict(sorted(summary.verdicts.items()))}


def timeline_bins(db: Database, where: IncidentFilter, unit: str) -> list[dict[str, Any]]:
    """The timeline's series of aggregate reports: per bin (``unit``) and zone, the acts
    counted and those in counts judged violations or probable violations, for the
    filter's zones and dates. Counts of one report's parts (312 violations, of them 104
    explosions) are each added: the series says what the reports say, not a sum of
    distinct acts."""
    totals = store.daily_totals(db, date_from=where.date_from, date_to=where.date_to,
                                zones=where.zones)
    binned: dict[tuple[date, str], dict[str, int]] = {}
    for (day, zone), counts in totals.items():
        bucket = binned.setdefault((bin_start(day, unit), zone), dict.fromkeys(counts, 0))
        for name, value in counts.items():
            bucket[name] += value
    return [{"start": start, "zone": zone, **counts}
            for (start, zone), counts in sorted(binned.items())]
