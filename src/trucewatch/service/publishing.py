"""What the ledger publishes: exports (ACLED CSV, GeoJSON, JSONL), the PDF briefing,
the digests and their subscriptions. The renderers live in ``publish``; these use cases
give them the ledger's database and scenario."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from trucewatch.model import Confidence, Scenario
from trucewatch.store import subscriptions
from trucewatch.store.database import Database
from trucewatch.store.selection import IncidentFilter
from trucewatch.store.subscriptions import Subscription

if TYPE_CHECKING:  # the renderers load templates and mail modules: imported when used
    from trucewatch.publish.digest import Outcome
    from trucewatch.publish.export import ExportFormat, ExportResult
    from trucewatch.settings import Settings


class PublishingCases:
    """Mixed into Ledger: needs its database and scenario."""

    db: Database

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
