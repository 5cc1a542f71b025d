"""The one mapping between the domain types and the table rows: claims and incidents
(their shared located fields), verdicts. Every writer and reader of those rows goes
through it."""

from __future__ import annotations

from typing import Any

from trucewatch.model import (
    Casualties,
    Claim,
    Confidence,
    DatePrecision,
    EventType,
    Evidence,
    Incident,
    Place,
    Span,
    Verdict,
    VerdictKind,
)
from trucewatch.store.tables import ClaimRow, IncidentRow, LocatedMixin


def _write_located(row: LocatedMixin, item: Claim | Incident) -> None:
    place = item.location
    row.event_type = item.event_type.value
    row.event_date = item.event_date
    row.date_precision = item.date_precision.value if item.date_precision else None
    row.day_part = item.day_part
    row.location_name = place.name if place else None
    row.lat = place.lat if place else None
    row.lon = place.lon if place else None
    row.admin1 = place.admin1 if place else None
    row.admin2 = place.admin2 if place else None
    row.country = place.country if place else None
    row.geo_precision = place.geo_precision if place else None
    row.geonames_id = place.geonames_id if place else None
    row.perpetrator = item.perpetrator
    row.perpetrator_actor = item.perpetrator_actor
    row.target_actor = item.target_actor
    row.killed_low, row.killed_best, row.killed_high = (
        item.killed.low, item.killed.best, item.killed.high)
    row.wounded_low, row.wounded_best, row.wounded_high = (
        item.wounded.low, item.wounded.best, item.wounded.high)
    row.killed_civilians, row.killed_combatants = item.killed.civilians, item.killed.combatants
    row.wounded_civilians, row.wounded_combatants = (
        item.wounded.civilians, item.wounded.combatants)
    row.sources = list(item.sources)


def _read_located(row: LocatedMixin) -> dict[str, Any]:
    place = None
    if row.location_name is not None:
        place = Place(
            name=row.location_name, lat=row.lat, lon=row.lon, admin1=row.admin1,
            admin2=row.admin2, country=row.country, geo_precision=row.geo_precision or 1,
            geonames_id=row.geonames_id,
        )
    return {
        "event_type": EventType(row.event_type),
        "event_date": row.event_date,
        "date_precision": DatePrecision(row.date_precision) if row.date_precision else None,
        "day_part": row.day_part,
        "location": place,
        "perpetrator": row.perpetrator,
        "perpetrator_actor": row.perpetrator_actor,
        "target_actor": row.target_actor,
        "killed": Casualties(row.killed_low, row.killed_best, row.killed_high,
                             row.killed_civilians, row.killed_combatants),
        "wounded": Casualties(row.wounded_low, row.wounded_best, row.wounded_high,
                              row.wounded_civilians, row.wounded_combatants),
        "sources": list(row.sources or []),
    }


def claim_to_row(claim: Claim) -> ClaimRow:
    row = ClaimRow()
    _write_located(row, claim)
    row.location_text = claim.location_text
    row.target = claim.target
    row.sources_agree = claim.sources_agree
    row.evidence = [
        {"field": e.field, "start": e.span.start, "end": e.span.end, "text": e.span.text}
        for e in claim.evidence
    ]
    row.dataset, row.external_id = claim.dataset, claim.external_id
    row.event_date_end, row.exact_type, row.notes = claim.date_end, claim.exact_type, claim.notes
    return row


def claim_from_row(row: ClaimRow) -> Claim:
    return Claim(
        **_read_located(row),
        location_text=row.location_text,
        target=row.target,
        sources_agree=row.sources_agree,
        evidence=[
            Evidence(e["field"], Span(e["start"], e["end"], e["text"])) for e in row.evidence or []
        ],
        dataset=row.dataset,
        external_id=row.external_id,
        date_end=row.event_date_end,
        exact_type=row.exact_type if row.exact_type is not None else True,
        notes=row.notes,
        id=row.id,
    )


def incident_from_row(row: IncidentRow) -> Incident:
    fields = _read_located(row)
    return Incident(
        **fields,
        confidence=Confidence(row.confidence),
        claims=[claim_from_row(c) for c in row.claims],
        id=row.id,
    )


def verdict_from_row(row: IncidentRow) -> Verdict | None:
    if row.verdict is None:
        return None
    return Verdict(
        VerdictKind(row.verdict),
        zones=tuple(row.verdict_zones or ()),
        agreements=tuple(row.verdict_agreements or ()),
        reasons=tuple(row.verdict_reasons or ()),
    )


