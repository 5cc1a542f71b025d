"""A Donbas-like scenario built in code for the aggregate reports' tests: the Donetsk and
Luhansk oblasts as Natural Earth outlines them, a truce over them, parties with a
sub-unit, a monitor, a reporting office and an excluded group."""

from __future__ import annotations

from datetime import date, datetime

from shapely.geometry import box
from shapely.ops import unary_union

from trucewatch.geo.areas import admin1_outline
from trucewatch.model import (
    Actor,
    ActorRole,
    Agreement,
    BoundaryStatus,
    BoundaryVersion,
    EventType,
    Scenario,
    Zone,
)

ALL = frozenset(EventType) - {EventType.GOVERNMENT_REGAINS_TERRITORY,
                              EventType.NON_STATE_TAKEOVER}


def donbas() -> Scenario:
    oblasts = unary_union([admin1_outline("UA", "Donetsk"), admin1_outline("UA", "Luhansk")])
    zones = {
        "east": Zone("east", "Donetsk and Luhansk oblasts", (BoundaryVersion(
            "east", BoundaryStatus.AGREED, date(2014, 9, 5), None, oblasts),)),
        # A strip along the coast, for a zone named by its own name.
        "coast": Zone("coast", "Coastal strip", (BoundaryVersion(
            "coast", BoundaryStatus.DRAFT, date(2014, 9, 5), None,
            box(37.3, 46.9, 38.2, 47.2)),)),
    }
    actors = {a.id: a for a in (
        Actor("ua", "Ukrainian forces", "state", ("Ukrainian army", "Joint Forces"),
              bound_by=("truce",)),
        Actor("rbf", "Russia-backed formations", "rebel", ("armed formations",),
              bound_by=("truce",)),
        Actor("dpr", "DPR forces", "rebel", ("DNR",), part_of="rbf"),
        Actor("smm", "OSCE Special Monitoring Mission", "other", ("SMM", "OSCE monitors"),
              role=ActorRole.MONITOR),
        Actor("press", "Joint Forces press service", "other", ("JFO press service",),
              role=ActorRole.REPORTING, part_of="ua"),
        Actor("raiders", "Raiding group", "other", ("raiders",)),
    )}
    truce = Agreement(
        id="truce", name="The 2020 truce", start=datetime(2020, 7, 27, 0, 1), end=None,
        zones=("east", "coast"), prohibited=ALL, excluded=(), parties=("ua", "rbf"),
        monitors=("smm",))
    return Scenario("donbas-test", "Donbas test", actors, zones, agreements=(truce,))
