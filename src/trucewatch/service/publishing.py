"""What the ledger publishes: exports (ACLED CSV, GeoJSON, JSONL), the PDF briefing,
the digests and their subscriptions. The renderers live in ``publish``; these use cases
give them the ledger's database and scenario."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from trucewatch.errors import InputError, NotFoundError
from trucewatch.model import Confidence, Scenario
from trucewatch.service.caching import ReadCache
from trucewatch.service.jobs import Job, Jobs, parse_id
from trucewatch.store import subscriptions
from trucewatch.store.database import Database
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.subscriptions import Subscription

if TYPE_CHECKING:  # the renderers load templates and mail modules: imported when used
    from trucewatch.publish.digest import Outcome
    from trucewatch.publish.export import ExportFormat, ExportResult
    from trucewatch.settings import Settings


class PublishingCases:
    """Mixed into Ledger: needs its database, scenario and read cache."""

    db: Database

    @property
    def read_cache(self) -> ReadCache:
        raise NotImplementedError  # ReadingCases'

    def scenario(self, name_or_path: Any = None) -> Scenario:
        raise NotImplementedError  # Ledger's

    def _scenario_or_none(self, name_or_path: Any) -> Scenario | None:
        raise NotImplementedError  # Ledger's

    def export(self, fmt: ExportFormat, out: TextIO, *,
               selection: IncidentFilter = IncidentFilter(),
               columns: Iterable[str] | None = None) -> ExportResult:
        """The selected incidents written to ``out``, judged by the stored scenario."""
        from trucewatch.publish.export import export

        self.db.require_current()
        return export(self.db, fmt, out, selection=selection,
                      scenario=self._scenario_or_none(None), columns=columns)

    def briefing(self, date_from: date, date_to: date, zone: str | None = None) -> Any:
        """What the PDF briefing of a period says (publish.briefing renders it)."""
        from trucewatch.publish.briefing import build_briefing

        self.db.require_current()
        return build_briefing(self.db, self.scenario(), date_from, date_to, zone)

    def prepare_printing(self) -> bool:
        """Load the PDF renderer ahead of the first briefing (a server does it at start, so
        the first briefing asked for is not the one to pay for it); False when the pdf
        extra is not installed."""
        from trucewatch.publish.briefing import load_renderer

        return load_renderer()

    def briefing_job(self, date_from: date, date_to: date, zone: str | None, *,
                     folder: Path | None = None) -> Job:
        """The background job making the PDF briefing of the period (service/jobs.py): the
        one already made or under way for this ledger as it is, else a new one."""
        from trucewatch.publish.briefing import pdf_bytes

        self.db.require_current()
        scenario = self.scenario()
        if zone is not None and zone not in scenario.zones:
            raise NotFoundError(f"unknown zone '{zone}'; its zones are: "
                                + ", ".join(sorted(scenario.zones)), what="zone")
        params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
                  "zone": zone}

        def make() -> bytes:
            return pdf_bytes(self.briefing(date_from, date_to, zone))[0]

        return self.jobs(folder).submit("briefing", params, self.read_cache.version(), make,
                                        ".pdf")

    def briefing_job_named(self, identifier: str, *, folder: Path | None = None) -> Job:
        """A briefing job by its id; one this process does not know (another worker's, or
        one it forgot) is looked up on disk or made again from what the id names."""
        found = self.jobs(folder).get(identifier)
        if found is not None:
            return found
        kind, params, _version = parse_id(identifier)
        if kind != "briefing" or set(params) != {"date_from", "date_to", "zone"}:
            raise InputError("job", f"{identifier[:80]!r} is not a briefing")
        try:
            first, last = date.fromisoformat(params["date_from"]), \
                date.fromisoformat(params["date_to"])
        except (TypeError, ValueError):
            raise InputError("job", f"{identifier[:80]!r} is not a briefing") from None
        return self.briefing_job(first, last, params["zone"], folder=folder)

    def jobs(self, folder: Path | None = None) -> Jobs:
        """This ledger's background jobs (made on first use, writing into ``folder``)."""
        jobs: Jobs | None = self.__dict__.get("_jobs")
        if jobs is None:
            # PostgreSQL's version is the ledger's own, so a server's processes share the
            # files; SQLite's counts from each process's start, so each keeps its own.
            scope = self.db.url if self.db.engine.dialect.name == "postgresql" \
                else f"{self.db.url}#{os.getpid()}"
            jobs = self.__dict__["_jobs"] = Jobs(folder, scope=scope)
        return jobs

    def stop_jobs(self) -> None:
        jobs: Jobs | None = self.__dict__.get("_jobs")
        if jobs is not None:
            jobs.stop()

    def send_digests(self, settings: Settings, since: datetime, *,
                     to: list[str] | None = None,
                     dry_run: Path | None = None) -> list[Outcome]:
        """Each recipient's digest of what was recorded since ``since``, sent (or
        written as .eml into ``dry_run``)."""
        from trucewatch.publish import digest

        self.db.require_current()
        return digest.send_digests(self.db, settings, self._scenario_or_none(None),
                                   digest.recipients(self.db, to), since, dry_run=dry_run)

    def subscribe(self, address: str, *, zones: tuple[str, ...] = (),
                  event_types: tuple[str, ...] = (), verdicts: tuple[str, ...] = (),
                  min_confidence: Confidence | None = None) -> tuple[Subscription, bool]:
        """Add or change what an address's digest follows (every violation and probable
        violation unless verdicts are named); the subscription, and whether it is new."""
        chosen = Subscription(subscriptions.check_address(address), zones=zones,
                              event_types=event_types,
                              verdicts=verdicts or subscriptions.DEFAULT_VERDICTS,
                              min_confidence=min_confidence)
        return chosen, subscriptions.save_subscription(self.db, chosen)

    def subscriptions(self) -> list[Subscription]:
        return subscriptions.list_subscriptions(self.db)

    def unsubscribe(self, address: str) -> None:
        subscriptions.remove_subscription(self.db, address)
