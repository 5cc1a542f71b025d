"""Domain objects and query results turned into the API's out-schemas."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trucewatch.accounts import User
from trucewatch.model import Agreement, Commitment, Deadline, Declaration, Zone
from trucewatch.service import (
    AuditEntry,
    ClaimView,
    EvidenceView,
    IncidentDetail,
    IncidentView,
    ReportView,
    ReviewState,
    claim_record,
    incident_record,
)
from trucewatch.service.provenance import Provenance


def review_public(state: ReviewState) -> dict[str, Any]:
    return {
        "status": state.status.value,
        "assigned_to": state.assigned_to,
        "decision": state.decision.value if state.decision else None,
        "agree": state.agree,
        "disagree": state.disagree,
        "corrected": sorted(state.overrides),
    }


def incident_public(view: IncidentView) -> dict[str, Any]:
    return {**incident_record(view.incident, view.verdict), "review": review_public(view.review)}


def listed_public(record: dict[str, Any], state: ReviewState | None) -> dict[str, Any]:
    """A list page's record (service/reading.py's listed_record) as IncidentPublic: with
    its review state, an unread one when None."""
    record["review"] = _UNREAD if state is None else review_public(state)
    return record


_UNREAD = review_public(ReviewState())


def evidence_public(span: EvidenceView) -> dict[str, Any]:
    return {"id": span.id, "field": span.field, "start": span.start, "end": span.end,
            "text": span.text}


def report_public(report: ReportView) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": report.id, "kind": report.kind, "title": report.title, "url": report.url,
        "outlet": report.outlet, "published": report.published,
        "ingested_at": report.ingested_at, "incident_ids": report.incident_ids,
        "copy_of": report.copy_of,
    }
    if report.text is not None:
        record["text"] = report.text
        record["spans"] = [evidence_public(span) for span in report.spans]
    return record


def claim_public(claim: ClaimView, reports: dict[int, ReportView]) -> dict[str, Any]:
    report = reports[claim.report_id]
    return {
        **claim_record(claim.record),
        "id": claim.id,
        "dataset": claim.record.dataset, "external_id": claim.record.external_id,
        "notes": claim.record.notes,
        "report": {"id": report.id, "title": report.title, "url": report.url,
                   "outlet": report.outlet, "published": report.published},
        "evidence": [evidence_public(span) for span in claim.evidence],
    }


def detail_public(detail: IncidentDetail) -> dict[str, Any]:
    reports = {report.id: report for report in detail.reports}
    overrides = detail.view.review.overrides
    return {
        **incident_public(detail.view),
        "claims": [claim_public(claim, reports) for claim in detail.claims],
        "reports": [report_public(report) for report in detail.reports],
        "corrections": [
            {"field": o.field, "machine_value": o.machine_value,
             "analyst_value": o.analyst_value, "note": o.note, "user": o.user,
             "created_at": o.created_at}
            for o in sorted(overrides.values(), key=lambda o: o.field)
        ],
    }


def provenance_public(found: Provenance) -> dict[str, Any]:
    """service/provenance.py's account of an incident, for the API."""
    return {
        "origins": [{"claim_id": o.claim_id, "source": o.source,
                     "dataset": _DATASETS.get(o.source), "id_name": o.id_name,
                     "external_id": o.external_id, "url": o.url, "report_id": o.report_id,
                     "report_title": o.report_title, "actor1": o.actor1, "actor2": o.actor2,
                     "notes": o.notes, "codes": o.codes} for o in found.origins],
        "merging": list(found.merging),
        "effects": [{"claim_id": e.claim_id, "changes": list(e.changes),
                     "because": list(e.because)} for e in found.effects],
        "sides": [{"actor": s.actor, "claim_ids": list(s.claim_ids), "said_by": list(s.said_by)}
                  for s in found.sides],
        "disputes": list(found.disputes),
        "weighed": found.weighed,
    }


# service/provenance.py names sources as their users know them; the API gives the dataset's
# key beside it, as the list's filter takes it.
_DATASETS = {"ACLED": "acled", "UCDP GED": "ucdp", "GDELT": "gdelt"}


def audit_readable(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry for people: the values in words (a triage's status and assignee, a
    vote's side, a join's other incident), never a structure's printed form."""
    return {"id": entry.id, "incident_id": entry.incident_id, "user": entry.user,
            "action": entry.action, "field": entry.field, "note": entry.note,
            "created_at": entry.created_at,
            "machine_value": _words(entry.machine_value, entry.action),
            "analyst_value": _words(entry.analyst_value, entry.action)}


def _words(value: Any, action: str) -> str | None:
    if value is None:
        return None
    if action == "vote" and value in (1, -1):
        return "agrees" if value == 1 else "disagrees"
    if action in ("join", "split") and isinstance(value, int):
        return f"incident {value}"
    if isinstance(value, dict):
        parts = [f"{_label(key)}: {_words(item, '') or 'none'}" for key, item in value.items()
                 if not (key == "assigned_to" and item is None)]
        return "; ".join(parts) or None
    if isinstance(value, list | tuple):
        return ", ".join(_words(item, "") or "none" for item in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _label(key: str) -> str:
    return key.replace("_", " ")


def user_public(user: User) -> dict[str, Any]:
    return {"username": user.username, "role": user.role.value, "active": user.active,
            "created_at": user.created_at}


def zone_features(zones: list[Zone], on: date | None) -> dict[str, Any]:
    """Each boundary version is a feature; with ``on``, only those valid that day."""
    from shapely.geometry import mapping  # shapely is only needed for the zones

    features = [
        {
            "type": "Feature",
            "id": f"{zone.id}@{version.valid_from.isoformat()}",
            "geometry": mapping(version.geometry),
            "properties": {
                "zone": zone.id, "name": zone.name, "description": zone.description,
                "status": version.status.value, "valid_from": version.valid_from,
                "valid_to": version.valid_to, "approximate": version.approximate,
                "note": version.note,
            },
        }
        for zone in zones for version in zone.versions
        if on is None or version.valid_on(on)
    ]
    return {"type": "FeatureCollection", "features": features}


def deadline_public(deadline: Deadline, today: date) -> dict[str, Any]:
    if deadline.met_on is not None:
        status = "met" if deadline.met_on <= deadline.due else "met late"
    else:
        status = "missed" if deadline.due < today else "pending"
    return {"name": deadline.name, "due": deadline.due, "met_on": deadline.met_on,
            "status": status, "note": deadline.note}


def commitment_public(commitment: Commitment, on: date,
                      timezone: str | None = None) -> dict[str, Any]:
    """``timezone``: the scenario's, which its local times are given in (the answer then
    carries the offset)."""
    zone = _zone(timezone)
    record: dict[str, Any] = {
        "id": commitment.id, "name": commitment.name, "start": _local(commitment.start, zone),
        "end": _local(commitment.end, zone), "zones": list(commitment.zones),
        "prohibited": sorted(e.value for e in commitment.prohibited),
        "excluded": list(commitment.excluded), "ceasefire_class": commitment.ceasefire_class,
        "purpose": commitment.purpose, "written": commitment.written,
        "notes": commitment.notes, "in_force": commitment.window_on(on) != "none",
    }
    if isinstance(commitment, Agreement):
        record.update(
            kind="agreement", signed=commitment.signed, parties=list(commitment.parties),
            guarantors=list(commitment.guarantors), mediator=commitment.mediator,
            pax_id=commitment.pax_id, renewal=commitment.renewal,
            deadlines=[deadline_public(d, on) for d in commitment.deadlines])
    elif isinstance(commitment, Declaration):
        record.update(kind="declaration", actor=commitment.actor,
                      announced=commitment.announced)
    return record


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local(moment: datetime | None, zone: tzinfo | None) -> datetime | None:
    if moment is None or zone is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone)
