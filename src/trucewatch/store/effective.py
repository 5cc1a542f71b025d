"""The analysts' effective values, written into the incident rows when they decide.

The incidents table holds the ledger as the analysts read it: where an analyst corrected
a field, the row holds the analyst's value and ``overrides`` keeps the machine's reading
of that field beside it (``machine_value``). Every reader (lists, exports, the feed, the
digest, the command line) then filters, sorts and counts plain columns, and none of them
re-derives a correction.

Whatever writes a fresh machine reading of an incident (merging, ingest, split and join,
withdrawals, a re-assessment, a correction or a revert) goes through the service's
``writing.settle``, in the same transaction: it reads :func:`corrections` here, applies
them (service/corrections.py) and writes the result back with :func:`write`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from trucewatch.columns import located_values
from trucewatch.model import (
    Confidence,
    Incident,
    Verdict,
)
from trucewatch.store.rows import _read_located, verdict_from_row
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
class Correction:
    """An incident's machine reading (as just written) and the analysts' values of it."""

    incident: Incident  # without its claims
    verdict: Verdict | None  # the machine's
    values: dict[str, Any]  # field -> the analyst's value, as the overrides keep it
    verdict_kind: str | None = None  # an analyst's verdict, by whom, and why
    verdict_by: str | None = None
    verdict_note: str | None = None


def corrections(session: Session, incident_ids: Iterable[int | None]) -> list[Correction]:
    """The corrected ones among incident rows just written with the machine's reading.
    The machine's values of the corrected fields move to the overrides (the analysts see
    what the machine now says); incidents nobody corrected are not returned."""
    ids = sorted({i for i in incident_ids if i is not None})
    found: dict[int, list[tuple[OverrideRow, str]]] = {}
    for start in range(0, len(ids), _CHUNK):
        for override, username in session.execute(
                select(OverrideRow, UserRow.username)
                .join(UserRow, UserRow.id == OverrideRow.user_id)
                .where(OverrideRow.incident_id.in_(ids[start:start + _CHUNK]))):
            found.setdefault(override.incident_id, []).append((override, username))
    if not found:
        return []
    out: list[Correction] = []
    for row in session.execute(select(_INCIDENTS).where(_INCIDENTS.c.id.in_(list(found)))):
        values: dict[str, Any] = {}
        kind = by = note = None
        for override, username in found[row.id]:
            override.machine_value = to_json(getattr(row, override.field))
            values[override.field] = override.analyst_value
            if override.field == "verdict":
                kind, by, note = override.analyst_value, username, override.note
        machine = Incident(**_read_located(cast(Any, row)),
                           confidence=Confidence(row.confidence), id=row.id)
        out.append(Correction(machine, verdict_from_row(cast(Any, row)), values, kind, by,
                              note))
    return out


def write(session: Session, incident: Incident, verdict: Verdict | None,
          scenario_id: str | None) -> None:
    """Write an incident as the analysts read it into its row."""
    session.execute(update(_INCIDENTS).where(_INCIDENTS.c.id == incident.id)
                    .values(_row_values(incident, verdict, scenario_id)))


def _row_values(incident: Incident, verdict: Verdict | None, scenario_id: str | None
                ) -> dict[str, Any]:
    """The incident's located columns and verdict, through the one row mapping."""
    values = located_values(incident)
    if verdict is None:
        values.update(verdict=None, verdict_zones=[], verdict_agreements=[],
                      verdict_reasons=[])
    else:
        values.update(verdict=verdict.kind.value, verdict_zones=list(verdict.zones),
                      verdict_agreements=list(verdict.agreements),
                      verdict_reasons=list(verdict.reasons))
        if scenario_id is not None:
            values.update(scenario_id=scenario_id,
                          assessed_at=datetime.now(UTC).replace(tzinfo=None))
    return values


def to_json(value: Any) -> Any:
    """A value as the JSON columns keep it: dates as ISO strings, enums as their value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value
