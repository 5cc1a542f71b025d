"""The incident as the analysts read it: the machine's reading with their corrections
applied and, when fields other than the verdict were corrected, judged again from the
corrected fields. Pure: the store keeps the values, the service writes the result."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from trucewatch.assess import assess
from trucewatch.model import (
    Casualties,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Scenario,
    Verdict,
    VerdictKind,
)


@dataclasses.dataclass(frozen=True, slots=True)
class VerdictCall:
    """An analyst's verdict on an incident: what, by whom, and why."""

    kind: str
    user: str
    note: str | None


def apply_corrections(incident: Incident, verdict: Verdict | None, values: dict[str, Any],
                      call: VerdictCall | None, scenario: Scenario | None
                      ) -> tuple[Incident, Verdict | None]:
    """The incident as the analysts read it, from the machine's reading and the
    analysts' values (as the overrides keep them). When fields other than the verdict were
    corrected and a scenario is at hand, the verdict is assessed from the corrected
    fields; an analyst's verdict then wins over whatever the machine concluded."""
    changes: dict[str, Any] = {}
    if "event_type" in values:
        changes["event_type"] = EventType(values["event_type"])
    if "event_date" in values:
        day = values["event_date"]
        changes["event_date"] = date.fromisoformat(day) if day else None
        changes["date_precision"] = DatePrecision.DAY if day else None
    if "perpetrator_actor" in values:
        changes["perpetrator_actor"] = values["perpetrator_actor"]
    for toll in ("killed", "wounded"):
        old: Casualties = getattr(incident, toll)
        if any(f"{toll}_{part}" in values for part in ("low", "best", "high")):
            # The civilians and fighters among a corrected toll are not known any more.
            changes[toll] = Casualties(*(
                values.get(f"{toll}_{part}", getattr(old, part))
                for part in ("low", "best", "high")))
    if {"location_name", "lat", "lon"} & set(values):
        changes["location"] = _place(incident.location, values)
    corrected = dataclasses.replace(incident, **changes)
    if changes and scenario is not None:
        fields = ", ".join(sorted(set(values) - {"verdict"}))
        base = assess(corrected, scenario)
        verdict = dataclasses.replace(base, reasons=(
            *base.reasons, f"Assessed with the analysts' corrections of {fields}."))
    if call is not None:
        verdict = Verdict(
            VerdictKind(call.kind),
            zones=verdict.zones if verdict else (),
            agreements=verdict.agreements if verdict else (),
            reasons=(*(verdict.reasons if verdict else ()),
                     f"Analyst {call.user} set the verdict to '{call.kind}'"
                     + (f": {call.note}" if call.note else ".")),
        )
    return corrected, verdict


def _place(place: Place | None, values: dict[str, Any]) -> Place | None:
    name = values.get("location_name", place.name if place else None)
    if name is None:
        return None  # the analyst says the place is unknown
    if place is None:
        return Place(name=name, lat=values.get("lat"), lon=values.get("lon"))
    return dataclasses.replace(place, name=name, lat=values.get("lat", place.lat),
                               lon=values.get("lon", place.lon))
