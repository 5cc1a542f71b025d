"""Domain objects to table rows and back, for the ORM and Core rows: claims and
incidents through the one field table (trucewatch/columns.py), verdicts. Every writer
and reader of those rows goes through it."""

from __future__ import annotations

from functools import partial
from typing import Any

from trucewatch.columns import claim_values, located_fields, located_values
from trucewatch.model import (
    Claim,
    Confidence,
    Evidence,
    Incident,
    Span,
    Verdict,
    VerdictKind,
)
from trucewatch.store.tables import ClaimRow, IncidentRow, LocatedMixin


def _write_located(row: LocatedMixin, item: Claim | Incident) -> None:
    for name, value in located_values(item).items():
        setattr(row, name, value)


def _read_located(row: LocatedMixin) -> dict[str, Any]:
    return located_fields(partial(getattr, row))


def claim_to_row(claim: Claim) -> ClaimRow:
    return ClaimRow(**claim_values(claim), evidence=[
        {"field": e.field, "start": e.span.start, "end": e.span.end, "text": e.span.text}
        for e in claim.evidence
    ])


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


