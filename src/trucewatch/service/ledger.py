"""The ledger as a library: a store plus the scenario it is judged against, and the
use cases that read and change it (ingest, import, merge, assess, split and join,
withdraw; review, reading and publishing in the mixins beside this module).

The command line, the API and the pages are thin layers over this class.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from trucewatch.actors import ActorDictionary
from trucewatch.errors import NotFoundError
from trucewatch.geo.gazetteer import Gazetteer
from trucewatch.importers import Actors, BadRow
from trucewatch.model import Claim, Incident, Report, Scenario, Verdict
from trucewatch.pipeline import Pipeline, default_gazetteer
from trucewatch.scenario import load_scenario, resolve_scenario_path
from trucewatch.service import ingesting, merging
from trucewatch.service.aggregates import AggregateCases
from trucewatch.service.linking import Linker
from trucewatch.service.overview import OverviewCases
from trucewatch.service.provenance import ProvenanceCases
from trucewatch.service.publishing import PublishingCases
from trucewatch.service.reading import ReadingCases
from trucewatch.service.review import ReviewCases
from trucewatch.store import imports, repository
from trucewatch.store import merging as store_merging
from trucewatch.store.database import Database
from trucewatch.store.decisions import DecisionResult
from trucewatch.store.imports import ImportSummary
from trucewatch.store.merging import MergeSummary
from trucewatch.store.repository import IngestResult
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.withdrawals import WithdrawalSummary

SCENARIO_FILES = ("scenario.yaml", "zones.geojson")


class Ledger(ReviewCases, ReadingCases, PublishingCases, OverviewCases, AggregateCases,
             ProvenanceCases):
    def __init__(self, database_url: str, *,
                 gazetteer: Callable[[], Gazetteer] = default_gazetteer) -> None:
        """``gazetteer``: how to get the places reports are read with, called when the first
        report is read (it takes 0.1 s); the command line and the API pass the one their
        settings name."""
        self.db = Database(database_url)
        self._gazetteer = gazetteer
        self._scenario: Scenario | None = None
        self._pipeline: Pipeline | None = None

    def init(self) -> None:
        self.db.init()

    def load_scenario(self, name_or_path: str | Path) -> Scenario:
        """Validate a scenario, store a copy of its files, and re-assess stored incidents."""
        self.db.require_current()
        folder = resolve_scenario_path(name_or_path)
        scenario = load_scenario(folder)
        definition = {name: (folder / name).read_text(encoding="utf-8") for name in SCENARIO_FILES}
        ingesting.save_scenario(self.db, scenario, definition)
        self._use(scenario)
        self.rejudge_aggregates()  # counts have verdicts of their own
        return scenario

    def scenario(self, name_or_path: str | Path | None = None) -> Scenario:
        """The named scenario, else the one loaded into the store last."""
        if name_or_path is not None:
            self._use(load_scenario(name_or_path))
        elif self._scenario is None:
            definition = repository.stored_scenario_definition(self.db)
            if definition is None:
                raise NotFoundError(
                    "no scenario is loaded in the store; run 'trucewatch scenario load NAME' "
                    "or name a scenario"
                )
            self._use(scenario_from_definition(definition))
        assert self._scenario is not None
        return self._scenario

    def _use(self, scenario: Scenario) -> None:
        self._scenario = scenario
        self._pipeline = None  # built on first use, with the scenario now in use

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline.for_scenario(self.scenario(), self._gazetteer())
        return self._pipeline

    def ingest(self, report: Report) -> IngestResult:
        """Read, merge, assess and store one report; a report stored before changes nothing."""
        self.db.require_current()
        stored = repository.find_report(self.db, report.content_hash)
        if stored is not None:  # checked first, so a known report is not read again
            return IngestResult(report_id=stored, created=False)
        claims = self.pipeline.claims(report)
        try:
            return ingesting.ingest_report(self.db, report, claims, self._scenario)
        except IntegrityError:
            # Another process stored the same text between our look-up and our insert
            # (two watchers, a watcher and an ingest): it is stored, once, which is the aim.
            stored = repository.find_report(self.db, report.content_hash)
            if stored is None:
                raise
            return IngestResult(report_id=stored, created=False)

    def ingest_claims(self, report: Report, claims: list[Claim],
                      scenario: Scenario | None) -> IngestResult:
        """Store a report with the claims already read from it (a backfill's), merge
        and assess them; a report stored before changes nothing."""
        self.db.require_current()
        return ingesting.ingest_report(self.db, report, claims, scenario)

    def import_file(self, dataset: str, path: Path, *, scenario: str | Path | None = None,
                    batch_size: int = imports.BATCH_SIZE,
                    progress: Callable[[int], None] | None = None,
                    on_bad_row: Callable[[BadRow], None] | None = None) -> ImportSummary:
        """Store a dataset file's rows as claims (ACLED, UCDP GED, GDELT); actor names go
        through the scenario's dictionary when one is named or loaded. Rows are stored
        already in their incidents, assessed against that scenario, where merging them
        could not depend on a claim still waiting (linking.py): a curated row no other
        source's claim could meet gets its own, GDELT's rows are merged with each other
        and the incidents of their days. The others wait for ``merge_pending``. Each
        batch commits whole, so an import killed midway resumes where it stopped."""
        self.db.require_current()
        chosen = self._scenario_or_none(scenario)
        actors = Actors(ActorDictionary(chosen.actors.values()) if chosen else None)
        return imports.import_file(self.db, dataset, path, actors=actors,
                                   batch_size=batch_size, progress=progress,
                                   on_bad_row=on_bad_row, link=Linker(chosen))

    def withdraw_acled_deletions(self, path: Path, *, scenario: str | Path | None = None,
                                 progress: Callable[[int], None] | None = None,
                                 on_bad_row: Callable[[BadRow], None] | None = None
                                 ) -> WithdrawalSummary:
        """Take the events an ACLED deleted-events list names out of the ledger; their
        incidents are re-assessed against the scenario named or loaded."""
        self.db.require_current()
        return merging.withdraw_acled_deletions(
            self.db, path, self._scenario_or_none(scenario), progress=progress,
            on_bad_row=on_bad_row)

    def merge_pending(self, *, scenario: str | Path | None = None,
                      progress: Callable[[int], None] | None = None) -> MergeSummary:
        """Merge every stored claim that has no incident yet, and assess what changed."""
        self.db.require_current()
        return merging.merge_pending(self.db, self._scenario_or_none(scenario),
                                     progress=progress)

    def pending_claims(self) -> int:
        return store_merging.count_pending(self.db)

    def incident(self, incident_id: int) -> Incident:
        """One stored incident with its claims (each with its stored id)."""
        self.db.require_current()
        with self.db.reading() as session:
            found = store_merging.load_incidents(session, [incident_id])
        if not found:
            raise NotFoundError(f"no incident {incident_id}", what="incident")
        return found[0]

    def split_incident(self, incident_id: int, claim_ids: list[int], *,
                       user_id: int | None = None, note: str | None = None) -> DecisionResult:
        self.db.require_current()
        return merging.split_incident(self.db, incident_id, claim_ids,
                                        self._scenario_or_none(None), user_id=user_id,
                                        note=note)

    def join_incidents(self, keep_id: int, other_id: int, *, user_id: int | None = None,
                       note: str | None = None) -> DecisionResult:
        self.db.require_current()
        return merging.join_incidents(self.db, keep_id, other_id,
                                        self._scenario_or_none(None), user_id=user_id,
                                        note=note)

    def _scenario_or_none(self, name_or_path: str | Path | None) -> Scenario | None:
        """The named scenario, else the stored one, else none (no verdicts then)."""
        try:
            return self.scenario(name_or_path)
        except NotFoundError:
            if name_or_path is not None:
                raise
            return None

    def incidents(
        self, where: IncidentFilter = IncidentFilter()
    ) -> list[tuple[Incident, Verdict | None]]:
        self.db.require_current()
        for zone in where.zones:
            self._require_zone(zone)
        return repository.list_incidents(self.db, where)

    def _require_zone(self, zone_id: str) -> None:
        """An unknown zone is an error, not an empty ledger that looks like good news."""
        try:
            scenario = self.scenario()
        except NotFoundError:
            return  # no scenario loaded: nothing to check the name against
        if zone_id not in scenario.zones:
            raise NotFoundError(
                f"unknown zone '{zone_id}' in scenario {scenario.id}; its zones are: "
                + ", ".join(sorted(scenario.zones))
            )


def scenario_from_definition(definition: dict[str, Any]) -> Scenario:
    """Rebuild a stored scenario from the copies of its files."""
    with tempfile.TemporaryDirectory(prefix="trucewatch-scenario-") as folder:
        for name in SCENARIO_FILES:
            (Path(folder) / name).write_text(definition[name], encoding="utf-8")
        return load_scenario(folder)
