"""JSON-ready records of claims, incidents and verdicts: the one shape that the
command line's JSON output, the exports and the API share."""

from __future__ import annotations

from datetime import date
from typing import Any

from trucewatch.model import (
    Casualties,
    Claim,
    DatePrecision,
    Incident,
    Place,
    Report,
    Verdict,
)


def place_record(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "name": place.name,
        "lat": place.lat,
        "lon": place.lon,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "country": place.country,
        "geo_precision": place.geo_precision,
        "geonames_id": place.geonames_id,
    }


def date_fields(day: date | None, precision: DatePrecision | None) -> dict[str, Any]:
    """A day is an event_date; a week or month ("last week") is a period with its start,
    and event_date stays null, as coders record a date they cannot fix to the day."""
    exact = day is not None and precision in (None, DatePrecision.DAY)
    return {
        "event_date": day.isoformat() if exact and day else None,
        "date_precision": precision.value if precision else None,
        "period_start": day.isoformat() if day and not exact else None,
    }


def toll_record(toll: Casualties) -> dict[str, int | None]:
    return {"low": toll.low, "best": toll.best, "high": toll.high,
            "civilians": toll.civilians, "combatants": toll.combatants}


def claim_record(claim: Claim, *, actor_names: dict[str, str] | None = None) -> dict[str, Any]:
    """A claim as `trucewatch extract` prints it."""
    names = actor_names or {}
    return {
        "event_type": claim.event_type.value,
        **date_fields(claim.event_date, claim.date_precision),
        "day_part": claim.day_part,
        "location": place_record(claim.location),
        "location_text": claim.location_text,
        "perpetrator": claim.perpetrator,
        "perpetrator_actor": claim.perpetrator_actor,
        "perpetrator_name": names.get(claim.perpetrator_actor or ""),
        "target": claim.target,
        "target_actor": claim.target_actor,
        "killed": toll_record(claim.killed),
        "wounded": toll_record(claim.wounded),
        "sources": list(claim.sources),
        "sources_agree": claim.sources_agree,
        "evidence": [
            {"field": e.field, "start": e.span.start, "end": e.span.end, "text": e.span.text}
            for e in claim.evidence
        ],
    }


def incident_record(incident: Incident, verdict: Verdict | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": incident.id,
        "event_type": incident.event_type.value,
        **date_fields(incident.event_date, incident.date_precision),
        "location": place_record(incident.location),
        "perpetrator": incident.perpetrator,
        "perpetrator_actor": incident.perpetrator_actor,
        "target_actor": incident.target_actor,
        "killed": toll_record(incident.killed),
        "wounded": toll_record(incident.wounded),
        "sources": list(incident.sources),
        "confidence": incident.confidence.value,
    }
    if verdict is not None:
        record.update(verdict_record(verdict))
    return record


def verdict_record(verdict: Verdict) -> dict[str, Any]:
    return {
        "verdict": verdict.kind.value,
        "zones": list(verdict.zones),
        "agreements": list(verdict.agreements),
        "reasons": list(verdict.reasons),
    }


def report_record(report: Report) -> dict[str, Any]:
    return {
        "source": report.source,
        "title": report.title,
        "url": report.url,
        "outlet": report.outlet,
        "published": report.published.isoformat() if report.published else None,
    }
