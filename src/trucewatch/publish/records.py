"""JSON-ready records of claims, incidents and verdicts: the one shape that the
command line's JSON output, the exports and the API share."""

from __future__ import annotations

from typing import Any

from trucewatch.model import Casualties, Claim, Incident, Place, Report, Verdict


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


def toll_record(toll: Casualties) -> dict[str, int | None]:
    return {"low": toll.low, "best": toll.best, "high": toll.high}


def claim_record(claim: Claim, *, actor_names: dict[str, str] | None = None) -> dict[str, Any]:
    """A claim as `trucewatch extract` prints it."""
    names = actor_names or {}
    return {
        "event_type": claim.event_type.value,
        "event_date": claim.event_date.isoformat() if claim.event_date else None,
        "date_precision": claim.date_precision.value if claim.date_precision else None,
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
        "event_date": incident.event_date.isoformat() if incident.event_date else None,
        "date_precision": incident.date_precision.value if incident.date_precision else None,
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
