"""Verdicts for many incidents at once, identical to assess.assess for each.

A year of ACLED is a few hundred thousand incidents, but far fewer distinct questions:
the verdict of an incident depends on its day, its kind, who did it to whom, when in the
day, and where; and for a town (a point, geo precision 1) "where" is only which zone
boundaries cover the point, found for all incidents at once with one STRtree query over
numpy arrays (assess.covering_versions). Incidents that ask the same question are a
block: the first of each block is judged by assess.assess itself, with its place's name
replaced by a marker, and the others take that verdict with their own name put back.
So the rules stay assess.py's alone (this module decides no verdict), and a verdict here
is assess.assess's for every incident (tests/test_assess_batch.py compares them on
thousands of generated incidents).

What a block shares (``_key``): the day, event type, date precision, part of the day,
perpetrator (actor and words) and target actor; and
- a town: the boundary versions covering it; its exact point too when one of them is
  disputed (the distance to that edge is in the verdict). A town no boundary valid that
  day covers is outside every zone whatever else it is: those share the day and the
  versions covering it at any date (a later boundary is named);
- a place known less precisely (an area that may straddle a boundary): its point and
  precision;
- no point, no place or no day: the verdict says so, whatever else is known.
If assess.py starts to read another field, add it to ``_key``: the comparison test
generates incidents that vary every field an incident has.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from trucewatch.assess import assess, covering_versions
from trucewatch.bulk import gc_paused
from trucewatch.model import (
    BoundaryStatus,
    BoundaryVersion,
    Incident,
    Place,
    Scenario,
    Verdict,
    Zone,
)

# Stands for the place's name in a block's verdict; a private-use character no name has.
MARKER = "\ue000place\ue000"
_MARKER_JSON = json.dumps(MARKER)[1:-1]


def assess_batch(incidents: Sequence[Incident], scenario: Scenario) -> list[Verdict]:
    """assess.assess(incident, scenario) for each incident, judged block by block."""
    blocks, judged = _blocks(incidents, scenario)
    return [with_place(blocks[key], name) for key, name in judged]


def assess_keys(incidents: Sequence[Incident], scenario: Scenario
                ) -> tuple[dict[Any, Verdict], list[tuple[Any, str | None]]]:
    """The blocks' verdicts (by block key; the place's name is ``MARKER`` in them) and,
    for each incident, its block's key and its place's name: a writer encodes each
    block's verdict once (``json_with_place``) instead of once per incident."""
    return _blocks(incidents, scenario)


def with_place(verdict: Verdict, name: str | None) -> Verdict:
    """A block's verdict for one incident of the block: its place's name put back."""
    if name is None or not any(MARKER in reason for reason in verdict.reasons):
        return verdict
    return replace(verdict, reasons=tuple(r.replace(MARKER, name) for r in verdict.reasons))


def json_with_place(encoded: str, name: str | None) -> str:
    """A block's JSON-encoded reasons (json.dumps) with the place's name put back, as
    json.dumps would encode the incident's own."""
    if name is None or _MARKER_JSON not in encoded:
        return encoded
    return encoded.replace(_MARKER_JSON, json.dumps(name)[1:-1])


def _blocks(incidents: Sequence[Incident], scenario: Scenario
            ) -> tuple[dict[Any, Verdict], list[tuple[Any, str | None]]]:
    with gc_paused():
        versions = [(zone, version) for zone in scenario.zones.values()
                    for version in zone.versions]
        position = {id(version): n for n, (_, version) in enumerate(versions)}
        located, hits = covering_versions(list(incidents), scenario)
        verdicts: dict[Any, Verdict] = {}
        judged: list[tuple[Any, str | None]] = []
        for i, incident in enumerate(incidents):
            covering = hits.get(i, []) if i in located else None
            key = _key(incident, covering, position, scenario)
            if key not in verdicts:
                verdicts[key] = assess(_template(incident), scenario)
            place = incident.location
            judged.append((key, place.name if place is not None else None))
        return verdicts, judged


def _key(incident: Incident, covering: list[tuple[Zone, BoundaryVersion]] | None,
         position: dict[int, int], scenario: Scenario) -> Any:
    day, place = incident.event_date, incident.location
    if day is None:
        return ("no day",)
    if place is None:
        return ("no place",)
    if not place.has_point:
        return ("no point",)
    if covering is not None:  # a town: the versions covering its point
        found = tuple(sorted(position[id(version)] for _, version in covering))
        if not any(_valid_today(zone, version, day) for zone, version in covering):
            return ("outside", day, found)
        point = ((place.lat, place.lon) if any(
            version.status is BoundaryStatus.DISPUTED for _, version in covering) else None)
        return ("town", day, found, point, *_what(incident))
    return ("area", day, place.lat, place.lon, place.geo_precision, *_what(incident))


def _valid_today(zone: Zone, version: BoundaryVersion, day: date) -> bool:
    """Whether ``version`` is the boundary assess sets the incident against that day."""
    return zone.boundary_on(day) is version


def _what(incident: Incident) -> tuple[Any, ...]:
    return (incident.event_type, incident.date_precision, incident.day_part,
            incident.perpetrator_actor, incident.perpetrator, incident.target_actor)


def _template(incident: Incident) -> Incident:
    """The incident with its place's name replaced by the marker."""
    place = incident.location
    if place is None:
        return incident
    return replace(incident, location=Place(
        MARKER, lat=place.lat, lon=place.lon, admin1=place.admin1, admin2=place.admin2,
        country=place.country, geo_precision=place.geo_precision,
        geonames_id=place.geonames_id), claims=[])
