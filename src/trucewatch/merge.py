"""Claims -> incidents: the same event told by several reports becomes one incident.

This first version matches on event type, day and place (same name, or within
a few km); tolls are reconciled as UCDP GED does (lowest credible, best, highest
credible) and confidence is graded as Airwars does.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from trucewatch.geo.zones import km_between
from trucewatch.model import Casualties, Claim, Confidence, Incident, Place

SAME_PLACE_KM = 5.0


def same_event(incident: Incident, claim: Claim) -> bool:
    """Could ``claim`` describe ``incident``? Same kind of violence, same day, same place."""
    if claim.event_type != incident.event_type:
        return False
    if claim.event_date is None or claim.event_date != incident.event_date:
        return False
    if (incident.perpetrator_actor and claim.perpetrator_actor
            and incident.perpetrator_actor != claim.perpetrator_actor):
        return False
    return _same_place(incident.location, claim.location)


def _same_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return False
    if a.name.casefold() == b.name.casefold():
        return True
    if not (a.has_point and b.has_point):
        return False
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    return km_between(a.lat, a.lon, b.lat, b.lon) <= SAME_PLACE_KM


def merge_claims(claims: Iterable[Claim], into: Iterable[Incident] = ()) -> list[Incident]:
    """Attach each claim to the first incident it matches (existing ones first), else start
    a new incident. Returns every incident touched or created, recomputed."""
    incidents = list(into)
    touched: list[Incident] = []
    for claim in claims:
        match = next((inc for inc in incidents if same_event(inc, claim)), None)
        if match is None:
            match = Incident(
                event_type=claim.event_type,
                event_date=claim.event_date,
                location=claim.location,
            )
            incidents.append(match)
        match.claims.append(claim)
        if match not in touched:
            touched.append(match)
    for incident in touched:
        reconcile(incident)
    return touched


def reconcile(incident: Incident) -> None:
    """Recompute an incident's fields from its claims."""
    claims = incident.claims
    first = claims[0]
    incident.event_type = first.event_type
    incident.event_date = first.event_date
    incident.date_precision = first.date_precision
    incident.day_part = next((c.day_part for c in claims if c.day_part), None)
    incident.location = _most_precise(c.location for c in claims)
    actors = {c.perpetrator_actor for c in claims if c.perpetrator_actor}
    incident.perpetrator_actor = next(iter(actors)) if len(actors) == 1 else None
    incident.perpetrator = next((c.perpetrator for c in claims if c.perpetrator), None)
    incident.target_actor = next((c.target_actor for c in claims if c.target_actor), None)
    incident.killed = combine_tolls(c.killed for c in claims)
    incident.wounded = combine_tolls(c.wounded for c in claims)
    sources: list[str] = []
    for claim in claims:
        for source in claim.sources:
            if source not in sources:
                sources.append(source)
    incident.sources = sources
    incident.confidence = grade(incident, perpetrators=actors)


def combine_tolls(tolls: Iterable[Casualties]) -> Casualties:
    known = [t for t in tolls if t.known]
    if not known:
        return Casualties()
    lows = [t.low for t in known if t.low is not None]
    bests = [t.best for t in known if t.best is not None]
    highs = [t.high if t.high is not None else t.best for t in known]
    return Casualties(
        low=min(lows) if lows else None,
        best=int(statistics.median_low(bests)) if bests else None,
        high=max((h for h in highs if h is not None), default=None),
    )


def grade(incident: Incident, *, perpetrators: set[str]) -> Confidence:
    if len(perpetrators) > 1:
        return Confidence.CONTESTED
    if len(incident.sources) >= 2:
        return Confidence.FAIR
    return Confidence.WEAK


def _most_precise(places: Iterable[Place | None]) -> Place | None:
    known = [p for p in places if p is not None]
    if not known:
        return None
    return min(known, key=lambda p: (p.geo_precision, not p.has_point))
