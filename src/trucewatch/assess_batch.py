"""Verdicts for many incidents at once, identical to assess.assess for each.

A year of ACLED is a few hundred thousand incidents, but far fewer distinct questions:
the verdict of an incident depends on its day, its kind, who did it to whom, when in the
day, and where; and for a town (a point, geo precision 1) "where" is only which zone
boundaries cover the point, found for all distinct points at once over coordinate arrays
(geo.points.covering_pairs). Incidents that ask the same question are a
block: the first of each block is judged by assess.assess itself, with its place's name
replaced by a marker, and the others take that verdict with their own name put back.
So the rules stay assess.py's alone (this module decides no verdict), and a verdict here
is assess.assess's for every incident (tests/test_assess_batch.py compares them on
thousands of generated incidents).

What a block shares (``_key``): the run of days (below), event type, date precision,
part of the day, perpetrator (actor and words), target actor and what its claims tell
(``said``: the weapons they name, a dispute over who did it); and
- a town: the boundary versions covering it; its exact point too when one of them is
  disputed (the distance to that edge is in the verdict). A town no boundary valid that
  day covers is outside every zone whatever else it is: those share the run and the
  versions covering it at any date (a later boundary is named);
- a place known less precisely (an area that may straddle a boundary): its point and
  precision;
- no point, no place or no day: the verdict says so, whatever else is known.
If assess.py starts to read another field, add it to ``_key``: the comparison test
generates incidents that vary every field an incident has.

Days: a verdict changes with the day only on assess.verdict_days (a window, period or
boundary opening or closing, ...); every other day is judged as the others of its run
between two of them, but for the day its reasons write. So a block shares a run, a day
of verdict_days being a run of its own, and its first incident is judged on a day that
writes itself as DAY_MARKER; each incident's own day is put back with its place's name.
A year of a scenario whose windows open and close on a few dozen days is a few dozen
runs, not 365 days (donbas-minsk's 2018: 85 runs, 45 of them single days).
"""

from __future__ import annotations

import json
from bisect import bisect
from collections.abc import Callable, Container, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from trucewatch import assess as rules
from trucewatch.bulk import gc_paused
from trucewatch.geo.points import covering_pairs
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
# Stands for the incident's day in a block's verdict (a run of days judged once).
DAY_MARKER = "\ue000day\ue000"
_DAY_MARKER_JSON = json.dumps(DAY_MARKER)[1:-1]


class _MarkedDay(date):
    """A block's day as assess.py writes it into reasons (``f"{day}"``): DAY_MARKER,
    for each incident's own day to be put back. Compared and combined as the day it is.
    Written any other way it raises: that text would be the first incident's day in the
    verdict of every incident of the run."""

    __slots__ = ()

    def __str__(self) -> str:
        return DAY_MARKER

    def __format__(self, spec: str) -> str:
        if spec:
            raise TypeError(f"assess_batch: a block's day written as {spec!r}; only "
                            "f'{day}' can be put back per incident (assess.py's reasons)")
        return DAY_MARKER

    def isoformat(self) -> str:
        raise TypeError("assess_batch: a block's day written by isoformat(); only "
                        "f'{day}' can be put back per incident (assess.py's reasons)")

    def strftime(self, spec: str) -> str:
        raise TypeError(f"assess_batch: a block's day written as {spec!r}; only "
                        "f'{day}' can be put back per incident (assess.py's reasons)")


def assess_batch(incidents: Sequence[Incident], scenario: Scenario) -> list[Verdict]:
    """assess.assess(incident, scenario) for each incident, judged block by block."""
    blocks, judged = _blocks(incidents, scenario)
    return [with_place(blocks[key], name, incident.event_date)
            for (key, name), incident in zip(judged, incidents, strict=True)]


def assess_keys(incidents: Sequence[Incident], scenario: Scenario
                ) -> tuple[dict[Any, Verdict], list[tuple[Any, str | None]]]:
    """The blocks' verdicts (by block key; the place's name is ``MARKER`` in them, the
    day ``DAY_MARKER``) and, for each incident, its block's key and its place's name: a
    writer encodes each block's verdict once (``json_with_place``) instead of once per
    incident."""
    return _blocks(incidents, scenario)


def with_place(verdict: Verdict, name: str | None, day: date | None) -> Verdict:
    """A block's verdict for one incident of the block: its place's name and its day
    put back."""
    reasons = verdict.reasons
    if name is not None and any(MARKER in reason for reason in reasons):
        reasons = tuple(r.replace(MARKER, name) for r in reasons)
    if day is not None and any(DAY_MARKER in reason for reason in reasons):
        reasons = tuple(r.replace(DAY_MARKER, str(day)) for r in reasons)
    return verdict if reasons is verdict.reasons else replace(verdict, reasons=reasons)


def json_with_place(encoded: str, name: str | None, day: date | str | None) -> str:
    """A block's JSON-encoded reasons (json.dumps) with the place's name and the day
    (a date, or its ISO text) put back, as json.dumps would encode the incident's own."""
    if day is not None and _DAY_MARKER_JSON in encoded:
        encoded = encoded.replace(_DAY_MARKER_JSON, str(day))  # ISO: nothing to escape
    if name is None or _MARKER_JSON not in encoded:
        return encoded
    return encoded.replace(_MARKER_JSON, _json_text(name))


@lru_cache(maxsize=1 << 16)
def _json_text(name: str) -> str:
    """A name as json.dumps writes it inside a string (a dataset names few places)."""
    return json.dumps(name)[1:-1]


# What a block is judged on, as columns (the incident itself is made, for the first of a
# block only, by the caller's ``template``): event type, day, date precision, part of the
# day, perpetrator actor, perpetrator's words, target actor, and the place's name, lat,
# lon and geo precision (name None: no place).
Question = tuple[EventType, date | None, DatePrecision | None, str | None, str | None,
                 str | None, str | None, str | None, float | None, float | None, int, Any]


def assess_questions(questions: Sequence[Question], scenario: Scenario,
                     template: Callable[[int], Incident], known: Container[Any] = (),
                     weapons: Callable[[int], Any] | None = None,
                     places: dict[tuple[Any, ...], Any] | None = None
                     ) -> tuple[dict[Any, Verdict], list[Any]]:
    """The column entry point (merging's and a scenario's re-assessment's, for rows that
    never become objects): the blocks' verdicts by key, and each question's key.
    ``template(i)`` makes the i-th question's incident with its place named ``MARKER``;
    it is called once per block, and the blocks' first incidents are judged by
    assess.assess_each, on a day that writes itself ``DAY_MARKER`` (the block holds a
    run of days: the caller puts each incident's own back, ``json_with_place``). Blocks
    whose key is in ``known`` (judged in an earlier batch by the caller, against the
    same scenario) are not judged again nor returned.
    ``weapons(i)``: the weapons the i-th question's claims name (their part of ``said``,
    which the caller then leaves out), asked only where they can change the verdict: a
    place in a zone some weapon rule names, an act such a rule can bar. Reading them is
    most of the cost of a question, and most places lie in no such zone.
    ``places``: the zones' relations of the places of earlier batches (against the same
    scenario), kept by the caller and added to: a dataset's batches name the same few
    hundred places, and an area's relations are a GEOS test per boundary version."""
    with gc_paused():
        versions = [(zone, version) for zone in scenario.zones.values()
                    for version in zone.versions]
        where = _relations(questions, versions, {} if places is None else places)
        # Outside every zone, a verdict names only the place and the day, unless a
        # commitment also covers acts outside its zones (scenario format v2).
        reduce_outside = not any(getattr(c, "cross_border", False)
                                 for c in scenario.commitments)
        verdicts: dict[Any, Verdict] = {}
        keys: list[Any] = []
        firsts: dict[Any, int] = {}
        seen: dict[tuple[Any, int], tuple[Any, ...]] = {}
        barring = frozenset(zone for c in scenario.commitments
                            for rule in getattr(c, "weapon_zones", ()) for zone in rule.zones)
        edges_set = rules.verdict_days(scenario)
        edges = sorted(edges_set)
        runs: dict[date | None, Any] = {}
        for i, q in enumerate(questions):
            day = q[1]
            run = runs.get(day)
            if run is None and day is not None:
                # A day of verdict_days is a run of its own; the others, the stretch
                # between two of them.
                run = runs[day] = day if day in edges_set else bisect(edges, day)
            key = _key(i, q, run, where.get((q[8], q[9], q[10])), versions, reduce_outside,
                       seen, barring if weapons is not None else frozenset())
            if weapons is not None and key[0] == "in" and key[-1] and q[0] in rules.ALL_ACTS:
                key = (*key[:-1], weapons(i))
            if key not in known or key[0] == "alone":  # "alone" keys are this batch's
                firsts.setdefault(key, i)
            keys.append(key)
        todo = list(firsts.items())
        judged = rules.assess_each([_marked(template(i)) for _, i in todo], scenario)
        verdicts = {key: verdict for (key, _), verdict in zip(todo, judged, strict=True)}
        return verdicts, keys


def _relations(questions: Sequence[Question], versions: list[tuple[Zone, BoundaryVersion]],
               out: dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...]]]
               ) -> dict[tuple[Any, ...], tuple[tuple[int, ...], tuple[int, ...]]]:
    """For each distinct located place (lat, lon, geo precision): the versions it lies
    inside and those its area straddles, added to ``out`` (places already in it are
    not tested again). Towns (points) all at once over arrays; areas by
    geo.zones.relate, once per place."""
    places = {(q[8], q[9], q[10]) for q in questions
              if q[7] is not None and q[8] is not None and q[9] is not None}
    places.difference_update(out)
    out.update((place, ((), ())) for place in places)
    if not versions:
        return out
    towns = [place for place in places if place[2] == 1]
    if towns:
        point_index, version_index = covering_pairs(
            np.array([t[1] for t in towns], dtype=float),
            np.array([t[0] for t in towns], dtype=float),
            [version.geometry for _, version in versions])
        found: dict[int, list[int]] = {}
        for p, v in zip(point_index.tolist(), version_index.tolist(), strict=True):
            found.setdefault(p, []).append(v)  # in version order per point
        for n, town in enumerate(towns):
            out[town] = (tuple(found.get(n, ())), ())
    for place in places:
        if place[2] == 1:
            continue
        area = Place(MARKER, lat=place[0], lon=place[1], geo_precision=place[2])
        relations = [relate(area, version.geometry) for _, version in versions]
        out[place] = (tuple(n for n, r in enumerate(relations) if r is Relation.INSIDE),
                      tuple(n for n, r in enumerate(relations) if r is Relation.STRADDLES))
    return out


def _marked(incident: Incident) -> Incident:
    """The block's first incident on its day marked (_MarkedDay)."""
    day = incident.event_date
    if day is None:
        return incident
    return replace(incident, event_date=_MarkedDay(day.year, day.month, day.day))


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


def _key(i: int, q: Question, run: Any,
         where: tuple[tuple[int, ...], tuple[int, ...]] | None,
         versions: list[tuple[Zone, BoundaryVersion]], reduce_outside: bool,
         seen: dict[tuple[Any, int], tuple[Any, ...]], barring: frozenset[str]) -> Any:
    """The block of question ``i``, whose day is in ``run``; an "in" key ends with whether
    the place lies in a zone named in ``barring`` (a weapon rule's). ``seen`` keeps what
    a place's versions say in a run (by the run and the place's ``where``, one object per
    place): a million rows name a few hundred places in a few dozen runs."""
    day, name = q[1], q[7]
    if day is None:
        return ("no day",)
    if name is None:
        return ("no place",)
    if where is None:
        return ("no point",)
    found = seen.get((run, id(where)))
    if found is None:
        found = seen[(run, id(where))] = _where_on(day, run, where, versions,
                                                   reduce_outside, barring)
    if found[0] == "alone":
        return ("alone", i)
    if found[0] == "outside":
        return found
    inside, straddles = where
    return ("in", run, q[10], inside, straddles, (q[8], q[9]) if found[1] else None,
            q[0], q[2], q[3], q[4], q[5], q[6], q[11], found[2])


def _where_on(day: date, run: Any, where: tuple[tuple[int, ...], tuple[int, ...]],
              versions: list[tuple[Zone, BoundaryVersion]], reduce_outside: bool,
              barring: frozenset[str]) -> tuple[Any, ...]:
    """("alone",), the whole key of a place outside every zone that day (every day of
    its ``run``: a version begins or ends only on a day of verdict_days), or ("in",
    whether a boundary around it is disputed: its point is then part of the key, whether
    it lies in a zone of ``barring`` at any date)."""
    inside, straddles = where
    today = [v for v in (*inside, *straddles) if versions[v][1].valid_on(day)]
    zones = [versions[v][0].id for v in today]
    if len(set(zones)) < len(zones):
        # Two versions of one zone valid that day: assess takes the first, assess_many
        # every one; this incident is its own block, judged as assess.assess judges it.
        return ("alone",)
    if not today and reduce_outside:
        return ("outside", run, inside)
    return ("in", any(versions[v][1].status is BoundaryStatus.DISPUTED for v in inside),
            any(versions[v][0].id in barring for v in inside))


def _template(incident: Incident) -> Incident:
    """The incident with its place's name replaced by the marker."""
    place = incident.location
    if place is None:
        return incident
    return replace(incident, location=Place(
        MARKER, lat=place.lat, lon=place.lon, admin1=place.admin1, admin2=place.admin2,
        country=place.country, geo_precision=place.geo_precision,
        geonames_id=place.geonames_id))
