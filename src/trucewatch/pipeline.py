"""The pipeline as one object: a report in, claims, incidents and verdicts out.

Used by every edge (command line, API, watchers) so they read reports the
same way; storing is the caller's choice. The factories build it with the gazetteer
their settings name (``default_gazetteer``): the stages read no environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from trucewatch.actors import ActorDictionary
from trucewatch.assess import assess
from trucewatch.extract import extract_claims, read_dateline
from trucewatch.geo.gazetteer import Gazetteer
from trucewatch.merge import merge_claims
from trucewatch.model import Claim, Incident, Report, Scenario, Verdict
from trucewatch.settings import Settings, load_settings


def default_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The gazetteer the settings name (cache_dir, places_dir). Without settings, those
    of the environment: the convenience for scripts and tests; the command line and the
    API pass their own."""
    settings = settings or load_settings()
    return Gazetteer.load(settings.cache_dir, settings.places_dir)


@dataclass(slots=True)
class Pipeline:
    scenario: Scenario | None
    gazetteer: Gazetteer
    actors: ActorDictionary | None

    @classmethod
    def for_scenario(cls, scenario: Scenario | None, gazetteer: Gazetteer) -> Pipeline:
        actors = ActorDictionary(scenario.actors.values()) if scenario else None
        return cls(scenario=scenario, gazetteer=gazetteer, actors=actors)

    def claims(self, report: Report) -> list[Claim]:
        """What the report says happened. Fills the report's date and outlet from its
        dateline or byline when the caller did not know them."""
        if report.published is None or report.outlet is None:
            dateline = read_dateline(report.text)
            report.published = report.published or dateline.published
            report.outlet = report.outlet or dateline.outlet
        return extract_claims(report, gazetteer=self.gazetteer, actors=self.actors)

    def check(self, report: Report) -> list[tuple[Incident, Verdict | None]]:
        """Claims merged into incidents, each with its verdict (None without a scenario)."""
        incidents = merge_claims(self.claims(report))
        return [(incident, self.verdict(incident)) for incident in incidents]

    def verdict(self, incident: Incident) -> Verdict | None:
        return assess(incident, self.scenario) if self.scenario else None
