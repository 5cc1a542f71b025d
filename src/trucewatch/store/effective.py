"""The analysts' effective values, written into the incident rows when they decide.

The incidents table holds the ledger as the analysts read it: where an analyst corrected
a field, the row holds the analyst's value and ``overrides`` keeps the machine's reading
of that field beside it (``machine_value``). Every reader (lists, exports, the feed, the
digest, the command line) then filters, sorts and counts plain columns, and none of them
re-derives a correction.

Whatever writes a fresh machine reading of an incident (merging, ingest, split and join,
withdrawals, a re-assessment, a correction or a revert: see ``merging.rewrite_incidents``)
calls :func:`settle` on the incidents it wrote, in the same transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from trucewatch.assess import assess
from trucewatch.model import (
    Casualties,
    Confidence,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Scenario,
    Verdict,
    VerdictKind,
)
from trucewatch.store.rows import _read_located, _write_located, verdict_from_row
from trucewatch.store.tables import IncidentRow, OverrideRow, UserRow

# The incident fields an analyst may correct, as the incidents table names them.
CORRECTABLE = (
    "event_type", "event_date", "location_name", "lat", "lon", "perpetrator_actor",
    "killed_low", "killed_best", "killed_high", "wounded_low", "wounded_best", "wounded_high",
    "verdict",
)
_INCIDENTS = cast(Table, IncidentRow.__table__)
_CHUNK = 5_000


@dataclasses.dataclass(frozen=True, slots=True)
class VerdictCall:
    """An analyst's verdict on an incident: what, by whom, and why."""

    kind: str
    user: str
    note: str | None


def settle(session: Session, incident_ids: Iterable[int | None],
           scenario: Scenario | None) -> None:
    """Write the analysts' values into incident rows that were just written with the
    machine's reading. The machine's values of the corrected fields move to the
    overrides (the analysts see what the machine now says); incidents nobody corrected
    are left as written."""
    ids = sorted({i for i in incident_ids if i is not None})
    found: dict[int, list[tuple[OverrideRow, str]]] = {}
    for start in range(0, len(ids), _CHUNK):
        for override, username in session.execute(
                select(OverrideRow, UserRow.username)
                .join(UserRow, UserRow.id == OverrideRow.user_id)
                .where(OverrideRow.incident_id.in_(ids[start:start + _CHUNK]))):
            found.setdefault(override.incident_id, []).append((override, username))
    if not found:
        return
    for row in session.execute(select(_INCIDENTS).where(_INCIDENTS.c.id.in_(list(found)))):
        values: dict[str, Any] = {}
        call: VerdictCall | None = None
        for override, username in found[row.id]:
            override.machine_value = to_json(getattr(row, override.field))
            values[override.field] = override.analyst_value
            if override.field == "verdict":
                call = VerdictCall(override.analyst_value, username, override.note)
        machine = Incident(**_read_located(cast(Any, row)),
                           confidence=Confidence(row.confidence), id=row.id)
        corrected, verdict = apply_corrections(machine, verdict_from_row(cast(Any, row)),
                                               values, call, scenario)
        session.execute(update(_INCIDENTS).where(_INCIDENTS.c.id == row.id)
                        .values(_row_values(corrected, verdict, scenario)))


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


def _row_values(incident: Incident, verdict: Verdict | None, scenario: Scenario | None
                ) -> dict[str, Any]:
    """The incident's located columns and verdict, through the one row mapping."""
    located = SimpleNamespace()
    _write_located(cast(Any, located), incident)
    values = dict(vars(located))
    if verdict is None:
        values.update(verdict=None, verdict_zones=[], verdict_agreements=[],
                      verdict_reasons=[])
    else:
        values.update(verdict=verdict.kind.value, verdict_zones=list(verdict.zones),
                      verdict_agreements=list(verdict.agreements),
                      verdict_reasons=list(verdict.reasons))
        if scenario is not None:
            values.update(scenario_id=scenario.id,
                          assessed_at=datetime.now(UTC).replace(tzinfo=None))
    return values


def to_json(value: Any) -> Any:
    """A value as the JSON columns keep it: dates as ISO strings, enums as their value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value
