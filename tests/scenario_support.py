"""Reading a report under a shipped scenario, for the worked examples of each scenario
(tests/test_scenario_<name>.py)."""

from __future__ import annotations

from datetime import date

from trucewatch.model import Incident, Report, Verdict
from trucewatch.pipeline import Pipeline


def judged(pipeline: Pipeline, text: str, published: date) -> list[tuple[Incident, Verdict]]:
    """Every incident the report tells that the scenario judges, with its verdict."""
    found = pipeline.check(Report(text=text, published=published))
    assert found, "the report was read as no incident at all"
    return [(incident, verdict) for incident, verdict in found if verdict is not None]


def judged_once(pipeline: Pipeline, text: str, published: date) -> tuple[Incident, Verdict]:
    """The one incident the report tells, with its verdict."""
    found = [(incident, verdict) for incident, verdict in
             pipeline.check(Report(text=text, published=published)) if verdict is not None]
    assert len(found) == 1, [(i.event_type, i.location) for i, _ in found]
    return found[0]


def reasons(verdict: Verdict) -> str:
    return " ".join(verdict.reasons)
