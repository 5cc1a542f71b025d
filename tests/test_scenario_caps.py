"""Line zones: round ends by default (a town at the line's last point lies inside its
buffer), square ends with ``cap: flat``; one-sided buffers keep to their side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyproj import Geod
from shapely.geometry import Point

from trucewatch.errors import InputError
from trucewatch.scenario import load_scenario, validate_scenario
from trucewatch.scenario.geometry import buffer_line

GEOD = Geod(ellps="WGS84")
LINE = [[30.0, 50.0], [30.0, 49.0]]  # drawn north to south: east is on its left


def ahead(km: float, azimuth: float, lon: float = 30.0, lat: float = 49.0) -> Point:
    """A point ``km`` from (lon, lat) on the given azimuth (180: south, past the end)."""
    x, y, _ = GEOD.fwd(lon, lat, azimuth, km * 1000.0)
    return Point(x, y)


def folder(tmp_path: Path, cap: str | None, side: str = "both") -> Path:
    extra = f", cap: {cap}" if cap else ""
    (tmp_path / "scenario.yaml").write_text(f"""format: 2
id: capped
name: Capped
timezone: UTC
actors:
  - {{id: gov, name: Government forces, kind: state, bound_by: [truce]}}
zones:
  - {{id: belt, name: Belt, line: front, buffer_km: 10, side: {side}{extra}}}
agreements:
  - {{id: truce, name: Truce, start: 2020-01-01T00:00, parties: [gov], zones: [belt],
     prohibited: all}}
""", encoding="utf-8")
    (tmp_path / "zones.geojson").write_text(json.dumps({
        "type": "FeatureCollection", "features": [{
            "type": "Feature",
            "properties": {"line": "front", "status": "agreed", "valid_from": "2020-01-01"},
            "geometry": {"type": "LineString", "coordinates": LINE}}]}), encoding="utf-8")
    return tmp_path


def belt(tmp_path: Path, cap: str | None, side: str = "both"):  # type: ignore[no-untyped-def]
    return load_scenario(folder(tmp_path, cap, side)).zones["belt"].versions[0].geometry


def test_round_ends_by_default(tmp_path: Path) -> None:
    zone = belt(tmp_path, None)
    assert zone.covers(Point(30.0, 49.0))  # the town at the line's last point
    assert zone.covers(ahead(8, 180))  # 8 km beyond the end
    assert not zone.covers(ahead(12, 180))
    assert zone.covers(ahead(8, 135))  # beyond the end and off to one side


def test_flat_ends_stop_at_the_last_point(tmp_path: Path) -> None:
    zone = belt(tmp_path, "flat")
    assert not zone.covers(ahead(3, 180))
    assert zone.covers(ahead(3, 0))  # back along the line


@pytest.mark.parametrize(("side", "inside", "outside"), [("left", 135, 225),
                                                          ("right", 225, 135)])
def test_one_side_rounds_only_its_own_side(tmp_path: Path, side: str, inside: float,
                                           outside: float) -> None:
    zone = belt(tmp_path, None, side)
    assert zone.covers(ahead(6, inside))
    assert not zone.covers(ahead(6, outside))
    assert not zone.covers(ahead(12, 180))
    from shapely.geometry import LineString
    square = buffer_line(LineString(LINE), 10, side, "flat")
    assert not square.covers(ahead(6, inside))
    assert square.covers(ahead(6, inside, lat=49.5))


def test_an_unknown_cap_is_a_problem(tmp_path: Path) -> None:
    problems = validate_scenario(folder(tmp_path, "pointed"))
    assert any("cap 'pointed' is not one of: round, flat" in p for p in problems)
    with pytest.raises(InputError):
        load_scenario(folder(tmp_path, "pointed"))
