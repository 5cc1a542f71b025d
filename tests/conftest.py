"""Shared fixtures: small scenarios built in code, temporary SQLite stores."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from shapely.geometry import box

from api_support import Desk, make_desk
from postgres_server import PostgresServer
from trucewatch.model import (
    Actor,
    Agreement,
    BoundaryStatus,
    BoundaryVersion,
    Declaration,
    EventType,
    Scenario,
    Zone,
)

ALL_VIOLENCE = frozenset(EventType) - {
    EventType.GOVERNMENT_REGAINS_TERRITORY,
    EventType.NON_STATE_TAKEOVER,
}


@pytest.fixture(autouse=True, scope="session")
def _no_user_places(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests see the shipped places only, never those a user of this machine imported."""
    os.environ["TRUCEWATCH_PLACES_DIR"] = str(tmp_path_factory.mktemp("no-user-places"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server with PostGIS on loopback, for the whole run (see postgres_server)."""
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


# A PostgreSQL server is started once per run and each case makes a database on it: the
# fast suite (pytest -m "not slow") keeps the SQLite half; CI runs both.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend: a SQLite file, and a PostgreSQL database (skipped,
    with the reason, only when the server cannot be started)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    if server.reason:
        pytest.skip(server.reason)
    return server.new_database()


@pytest.fixture(params=BACKENDS)
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Desk:
    """The API's test ledger (api_support.make_desk) on each backend."""
    if request.param == "sqlite":
        return make_desk(tmp_path)
    server: PostgresServer = request.getfixturevalue("postgres")
    if server.reason:
        pytest.skip(server.reason)
    return make_desk(tmp_path, postgres=server)


@pytest.fixture
def toy_scenario() -> Scenario:
    """Two zones on a plain grid near 0°N: 'west' (one version) and 'east', whose boundary
    grows when agreed on 2020-03-01; a truce over both from 2020-01-01 and a unilateral
    halt over 'east' from noon on 2020-02-10 until midnight on 2020-02-12."""
    west = Zone("west", "West zone", (
        BoundaryVersion("west", BoundaryStatus.AGREED, date(2020, 1, 1), None,
                        box(0.0, 0.0, 1.0, 1.0), approximate=False),
    ))
    east = Zone("east", "East zone", (
        BoundaryVersion("east", BoundaryStatus.DRAFT, date(2020, 1, 1), date(2020, 2, 29),
                        box(2.0, 0.0, 3.0, 1.0)),
        BoundaryVersion("east", BoundaryStatus.AGREED, date(2020, 3, 1), None,
                        box(2.0, 0.0, 4.0, 1.0)),
    ))
    disputed = Zone("north", "North zone", (
        BoundaryVersion("north", BoundaryStatus.DISPUTED, date(2020, 1, 1), None,
                        box(0.0, 5.0, 1.0, 6.0)),
    ))
    actors = {
        a.id: a for a in (
            Actor("gov", "Government forces", "state", ("government forces", "army"),
                  flies_aircraft=True, bound_by=("truce", "halt")),
            Actor("ally", "Allied air force", "foreign state", ("allied jets",),
                  flies_aircraft=True, bound_by=("truce",)),
            Actor("rebels", "Rebel factions", "rebel", ("rebels",), bound_by=("truce",)),
            Actor("jihadists", "Jihadist front", "jihadist", ("the front",)),
            Actor("outsider", "Outside coalition", "coalition", ("coalition",)),
        )
    }
    truce = Agreement(
        id="truce", name="The truce", start=datetime(2020, 1, 1), end=None,
        zones=("west", "east", "north"), prohibited=ALL_VIOLENCE, excluded=("jihadists",),
        signed=date(2019, 12, 30), parties=("gov", "rebels"), guarantors=("ally",),
    )
    halt = Declaration(
        id="halt", name="The army's halt",
        start=datetime(2020, 2, 10, 12), end=datetime(2020, 2, 13),
        zones=("east",), prohibited=frozenset({EventType.SHELLING}), actor="gov",
    )
    return Scenario("toy", "Toy scenario", actors, {z.id: z for z in (west, east, disputed)},
                    agreements=(truce,), declarations=(halt,))
