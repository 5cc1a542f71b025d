"""The frame a ledger is judged against: the scenario, its zones (GeoJSON, with dated
boundary versions) and its agreements and declarations (windows and deadlines)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from trucewatch.api.deps import Admin, LedgerDep, Reader
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.schemas import (
    CommitmentPublic,
    IsoDay,
    Page,
    ScenarioLoad,
    ScenarioPublic,
    ZoneCollection,
)
from trucewatch.edge.present import commitment_public, zone_features
from trucewatch.errors import InputError, NotFoundError
from trucewatch.model import Scenario
from trucewatch.service import builtin_scenarios

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
On = Annotated[IsoDay | None, Query(description="A day, YYYY-MM-DD (default: every version).")]
Ident = Annotated[str, Path(max_length=80)]


def _scenario_public(scenario: Scenario) -> dict[str, Any]:
    return {"id": scenario.id, "name": scenario.name, "description": scenario.description,
            "timezone": scenario.timezone, "zones": sorted(scenario.zones),
            "agreements": [a.id for a in scenario.agreements],
            "declarations": [d.id for d in scenario.declarations]}


@router.get("/scenario", response_model=ScenarioPublic, tags=["scenario"])
def get_scenario(_reader: Reader, ledger: LedgerDep) -> dict[str, Any]:
    """The scenario loaded in the store, which every verdict is judged against."""
    return _scenario_public(ledger.scenario())


@router.post("/scenario", response_model=ScenarioPublic, tags=["scenario"])
def load_scenario(body: ScenarioLoad, _admin: Admin, ledger: LedgerDep) -> dict[str, Any]:
    """Load a builtin scenario and re-assess every incident (corrections are kept).
    Scenarios from folders are loaded with 'trucewatch scenario load', on the server."""
    if body.name not in builtin_scenarios():
        raise InputError("name", f"unknown builtin scenario {body.name!r}; builtin: "
                         + ", ".join(builtin_scenarios()))
    return _scenario_public(ledger.load_scenario(body.name))


@router.get("/zones", response_model=ZoneCollection, tags=["zones"])
def list_zones(_reader: Reader, ledger: LedgerDep, on: On = None) -> dict[str, Any]:
    """Every zone's boundary versions as GeoJSON features (draft, agreed, disputed, with
    their dates); with ?on=, only the versions valid that day."""
    return zone_features(list(ledger.scenario().zones.values()), on)


@router.get("/zones/{zone_id}", response_model=ZoneCollection, tags=["zones"])
def get_zone(zone_id: Ident, _reader: Reader, ledger: LedgerDep, on: On = None
             ) -> dict[str, Any]:
    scenario = ledger.scenario()
    if zone_id not in scenario.zones:
        raise NotFoundError(f"unknown zone {zone_id!r}; the zones are: "
                            + ", ".join(sorted(scenario.zones)))
    return zone_features([scenario.zones[zone_id]], on)


@router.get("/agreements", response_model=Page[CommitmentPublic], tags=["agreements"])
def list_agreements(
    _reader: Reader, ledger: LedgerDep, on: On = None,
    in_force: Annotated[bool, Query(description="Only those in force on the day.")] = False,
) -> dict[str, Any]:
    """Agreements and unilateral declarations with their windows; deadlines say met,
    met late, missed or pending as of ?on= (default today)."""
    day = on or date.today()
    scenario = ledger.scenario()
    records = [commitment_public(c, day, scenario.timezone) for c in scenario.commitments]
    if in_force:
        records = [r for r in records if r["in_force"]]
    return {"data": records, "count": len(records)}


@router.get("/agreements/{agreement_id}", response_model=CommitmentPublic, tags=["agreements"])
def get_agreement(agreement_id: Ident, _reader: Reader, ledger: LedgerDep, on: On = None
                  ) -> dict[str, Any]:
    scenario = ledger.scenario()
    for commitment in scenario.commitments:
        if commitment.id == agreement_id:
            return commitment_public(commitment, on or date.today(), scenario.timezone)
    raise NotFoundError(f"no agreement or declaration {agreement_id!r} in scenario "
                        f"{scenario.id}; list them at /api/agreements")
