"""Verdicts for many incidents at once, identical to assess.assess for each.

A year of ACLED is a few hundred thousand incidents, but far fewer distinct questions:
the verdict of an incident depends on its day, its kind, who did it to whom, when in the
day, and where; and for a town (a point, geo precision 1) "where" is only which zone
boundaries cover the point, found for all incidents at once with one STRtree query over
numpy arrays (as assess.covering_versions finds them). Incidents that ask the same question are a
block: the first of each block is judged by assess.assess itself, with its place's name
replaced by a marker, and the others take that verdict with their own name put back.
So the rules stay assess.py's alone (this module decides no verdict), and a verdict here
is assess.assess's for every incident (tests/test_assess_batch.py compares them on
thousands of generated incidents).

What a block shares (``_key``): the day, event type, date precision, part of the day,
perpetrator (actor and words), target actor and what its claims tell (``said``: the
weapons they name, a dispute over who did it); and
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
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import shapely

from trucewatch import assess as rules
from trucewatch.bulk import gc_paused
from trucewatch.geo.zones import Relation, relate
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    BoundaryStatus,
    BoundaryVersion,
    Claim,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Scenario,
    Verdict,
    Zone,
)
from trucewatch.weapons import claim_weapons

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


# What a block is judged on, as columns (the incident itself is made, for the first of a
# block only, by the caller's ``template``): event type, day, date precision, part of the
# day, perpetrator actor, perpetrator's words, target actor, and the place's name, lat,
# lon and geo precision (name None: no place).
Question = tuple[EventType, date | None, DatePrecision | None, str | None, str | None,
                 str | None, str | None, str | None, float | None, float | None, int, Any]


def assess_questions(questions: Sequence[Question], scenario: Scenario,
                     template: Callable[[int], Incident]
                     ) -> tuple[dict[Any, Verdict], list[Any]]:
    """The column entry point (merging's, for rows that never become objects): the
    blocks' verdicts by key, and each question's key. ``template(i)`` makes the i-th
    question's incident with its place named ``MARKER``; it is called once per block,
    and the blocks' first incidents are judged together (assess.assess_many)."""
    with gc_paused():
        versions = [(zone, version) for zone in scenario.zones.values()
                    for version in zone.versions]
        where = _relations(questions, versions)
        # Outside every zone, a verdict names only the place and the day, unless a
        # commitment also covers acts outside its zones (scenario format v2).
        reduce_outside = not any(getattr(c, "cross_border", False)
                                 for c in scenario.commitments)
        verdicts: dict[Any, Verdict] = {}
        keys: list[Any] = []
        firsts: dict[Any, int] = {}
        for i, q in enumerate(questions):
            key = _key(i, q, where.get((q[8], q[9], q[10])), versions, reduce_outside)
            firsts.setdefault(key, i)
            keys.append(key)
        todo = list(firsts.items())
        judged = _assess_each([template(i) for _, i in todo], scenario)
        verdicts = {key: verdict for (key, _), verdict in zip(todo, judged, strict=True)}
        return verdicts, keys


def _relations(questions: Sequence[Question], versions: list[tuple[Zone, BoundaryVersion]]
               ) -> dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...]]]:
    """For each distinct located place (lat, lon, geo precision): the versions it lies
    inside and those its area straddles. Towns (points) in one STRtree query; areas by
    geo.zones.relate, once per place."""
    places = {(q[8], q[9], q[10]) for q in questions
              if q[7] is not None and q[8] is not None and q[9] is not None}
    out: dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {
        place: ((), ()) for place in places}
    if not versions:
        return out
    towns = [place for place in places if place[2] == 1]
    if towns:
        tree = shapely.STRtree([version.geometry for _, version in versions])
        points = shapely.points(np.array([t[1] for t in towns], dtype=float),
                                np.array([t[0] for t in towns], dtype=float))
        # For points, "intersects" is "covered_by" (edges count as inside), as relate()
        # decides for a point.
        point_index, version_index = tree.query(points, predicate="intersects")
        found: dict[int, list[int]] = {}
        for p, v in zip(point_index.tolist(), version_index.tolist(), strict=True):
            found.setdefault(p, []).append(v)
        for n, town in enumerate(towns):
            out[town] = (tuple(sorted(found.get(n, ()))), ())
    for place in places:
        if place[2] == 1:
            continue
        area = Place(MARKER, lat=place[0], lon=place[1], geo_precision=place[2])
        relations = [relate(area, version.geometry) for _, version in versions]
        out[place] = (tuple(n for n, r in enumerate(relations) if r is Relation.INSIDE),
                      tuple(n for n, r in enumerate(relations) if r is Relation.STRADDLES))
    return out


def _assess_each(incidents: list[Incident], scenario: Scenario) -> list[Verdict]:
    """assess.assess for each incident. assess.assess builds the scenario's frame (its
    actor dictionary: about 2 ms) on every call, so the frame is built once here when
    assess.py has one (its private ``_Frame`` and ``_assess(incident, frame)``; a public
    "assess each" there would be better), else each goes through assess.assess.
    assess.assess_many is not used: it lists a town's zones in the STRtree's order,
    where assess.assess lists them in the scenario's."""
    frame_type = getattr(rules, "_Frame", None)
    judge = getattr(rules, "_assess", None)
    if frame_type is None or judge is None:
        return [rules.assess(incident, scenario) for incident in incidents]
    frame = frame_type.of(scenario)
    return [judge(incident, frame) for incident in incidents]


def question(incident: Incident, weapons: bool = True) -> Question:
    place = incident.location
    return (incident.event_type, incident.event_date, incident.date_precision,
            incident.day_part, incident.perpetrator_actor, incident.perpetrator,
            incident.target_actor, place.name if place else None,
            place.lat if place else None, place.lon if place else None,
            place.geo_precision if place else 1, said(incident.claims, weapons))


def reads_weapons(scenario: Scenario) -> bool:
    """Whether any commitment has weapon zones: only then do the weapons claims name
    count (reading them costs more than the rest of a question)."""
    return any(getattr(c, "weapon_zones", ()) for c in scenario.commitments)


def said(claims: Sequence[Claim] | Sequence[Any], weapons: bool = True) -> Any:
    """What an incident's claims tell assess beyond the incident's own reading (the
    question's last part): whether it has claims (a stored row re-assessed in bulk has
    none), the weapons their sentences and notes name (weapon zones), and, where they
    dispute who did it (notes telling so, or several actors named), every claim's
    perpetrator and sources, which the verdict's sentences quote."""
    if not claims:
        return None
    named = tuple(claim_weapons(claims)) if weapons else ()
    contested = tuple(c.notes for c in claims
                      if (c.notes or "").startswith(CONTESTED_ATTRIBUTION))
    actors = {c.perpetrator_actor for c in claims if c.perpetrator_actor}
    if contested or len(actors) > 1:
        return (named, contested, tuple((c.perpetrator, c.perpetrator_actor,
                                         tuple(c.sources)) for c in claims))
    return (named, tuple(actors))


def _blocks(incidents: Sequence[Incident], scenario: Scenario
            ) -> tuple[dict[Any, Verdict], list[tuple[Any, str | None]]]:
    weapons = reads_weapons(scenario)
    blocks, keys = assess_questions([question(i, weapons) for i in incidents], scenario,
                                    lambda i: _template(incidents[i]))
    return blocks, [(key, incident.location.name if incident.location else None)
                    for key, incident in zip(keys, incidents, strict=True)]


def _key(i: int, q: Question, where: tuple[tuple[int, ...], tuple[int, ...]] | None,
         versions: list[tuple[Zone, BoundaryVersion]], reduce_outside: bool) -> Any:
    day, name = q[1], q[7]
    if day is None:
        return ("no day",)
    if name is None:
        return ("no place",)
    if where is None:
        return ("no point",)
    inside, straddles = where
    today = [v for v in (*inside, *straddles) if versions[v][1].valid_on(day)]
    zones = [versions[v][0].id for v in today]
    if len(set(zones)) < len(zones):
        # Two versions of one zone valid that day: assess takes the first, assess_many
        # every one; this incident is its own block, judged as assess.assess judges it.
        return ("alone", i)
    if not today and reduce_outside:
        return ("outside", day, inside)
    disputed = any(versions[v][1].status is BoundaryStatus.DISPUTED for v in inside)
    return ("in", day, q[10], inside, straddles, (q[8], q[9]) if disputed else None,
            q[0], q[2], q[3], q[4], q[5], q[6], q[11])


def _template(incident: Incident) -> Incident:
    """The incident with its place's name replaced by the marker."""
    place = incident.location
    if place is None:
        return incident
    return replace(incident, location=Place(
        MARKER, lat=place.lat, lon=place.lon, admin1=place.admin1, admin2=place.admin2,
        country=place.country, geo_precision=place.geo_precision,
        geonames_id=place.geonames_id))
