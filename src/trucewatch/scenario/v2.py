"""The parts of scenario.yaml that format 2 adds (docs/scenario-format.md): zones built
from lines and named areas, windows as dated periods with their ending, withdrawal
zones by weapon, and the zones of cross-border acts."""

from __future__ import annotations

from typing import Any

from trucewatch.errors import NotFoundError
from trucewatch.model import (
    EARLIEST_DAY,
    BoundaryStatus,
    BoundaryVersion,
    Ending,
    Period,
    WeaponClass,
    WeaponRule,
    Zone,
)
from trucewatch.scenario.fields import Entry, describe, label_of, suggest
from trucewatch.scenario.files import SCENARIO_FILE, ZONES_FILE
from trucewatch.scenario.geometry import CAPS, SIDES, AreaOutlines, area_outline, buffer_line

PERIOD_KINDS = ("initial", "renewal", "extension", "resumption")
ENDINGS = ("expired", "terminated", "collapsed", "superseded")
_ZONE_KEYS = ("id", "name", "line", "buffer_km", "side", "cap", "area", "status", "valid_from",
              "valid_to", "approximate", "note")
_LINE_ONLY = ("buffer_km", "side", "cap")
_DATED = ("status", "valid_from", "valid_to", "approximate")
_AREA_KEYS = ("country", "admin1")
_PERIOD_KEYS = ("start", "end", "kind", "decided", "source", "note")
_ENDED_KEYS = ("at", "how", "source", "note")
_RULE_KEYS = ("weapons", "zones", "name", "min_calibre_mm", "max_calibre_mm", "note")
NO_OUTLINES = ("no country outlines are installed (trucewatch.geo.areas), so areas by "
               "reference cannot be drawn")

# A reference to check once every id is known: (entry label, kind of id, id, key).
Ref = tuple[str, str, str, str]


def number(entry: Entry, key: str, positive: bool = True) -> float | None:
    value = entry.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        entry.problem(f"{key} must be a number, found {describe(value)}")
        return None
    if positive and value <= 0:
        entry.problem(f"{key} must be more than 0, found {value}")
        return None
    return float(value)


def read_built_zones(entries: list[Any], problems: list[str],
                     lines: dict[str, tuple[BoundaryVersion, ...]] | None,
                     outlines: AreaOutlines | None) -> tuple[dict[str, Zone], set[str]]:
    """The zones of scenario.yaml's ``zones:`` section (the sound ones), and every id
    named there (to check references against, and clashes with drawn zones)."""
    built: dict[str, Zone] = {}
    named: set[str] = set()
    for i, data in enumerate(entries):
        label = label_of(f"{SCENARIO_FILE}: zones[{i}]", data)
        before = len(problems)
        entry = Entry(data, label, problems, _ZONE_KEYS, ("id",))
        ident, name, note = entry.ident("id"), entry.text("name"), entry.text("note")
        if ident is not None:
            if ident in named:
                entry.problem(f"duplicate zone id {ident!r}")
            named.add(ident)
        has_line, has_area = "line" in entry.data, "area" in entry.data
        if has_line == has_area:
            entry.problem("give exactly one of 'line' (a line of zones.geojson with buffer_km)"
                          " and 'area' ({country: CODE} or {country: CODE, admin1: NAME})")
            continue
        if has_line:
            zone = _line_zone(entry, ident, name, note, lines)
        else:
            zone = _area_zone(entry, ident, name, note, outlines)
        if zone is not None and len(problems) == before:
            built[zone.id] = zone
    return built, named


def _line_zone(entry: Entry, ident: str | None, name: str | None, note: str | None,
               lines: dict[str, tuple[BoundaryVersion, ...]] | None) -> Zone | None:
    line_id = entry.ident("line")
    km = number(entry, "buffer_km")
    if km is None and entry.data.get("buffer_km") is None:
        entry.problem("missing required key 'buffer_km' (the width in km on each side "
                      "buffered)")
    side = entry.choice("side", SIDES) or "both"
    cap = entry.choice("cap", CAPS) or "round"
    for key in _DATED:
        if key in entry.data:
            entry.problem(f"{key}: a zone built from a line takes its dates and status from "
                          f"the line's features in {ZONES_FILE}")
    if line_id is None or lines is None:
        return None
    versions = lines.get(line_id)
    if versions is None:
        entry.problem(f"unknown line {line_id!r}: no feature of {ZONES_FILE} has "
                      f"'line': {line_id!r}{suggest(line_id, sorted(lines))}")
        return None
    if km is None or ident is None:
        return None
    where = {"left": "on the left of", "right": "on the right of", "both": "either side of"}
    return Zone(id=ident, name=name or f"{km:g} km {where[side]} {line_id}",
                description=f"{km:g} km {where[side]} line {line_id}, {cap} ends",
                versions=tuple(
        BoundaryVersion(zone_id=ident, status=v.status, valid_from=v.valid_from,
                        valid_to=v.valid_to, geometry=buffer_line(v.geometry, km, side, cap),
                        approximate=v.approximate, note=note or v.note)
        for v in versions))


def _area_zone(entry: Entry, ident: str | None, name: str | None, note: str | None,
               outlines: AreaOutlines | None) -> Zone | None:
    for key in _LINE_ONLY:
        if key in entry.data:
            entry.problem(f"{key} applies to a zone built from a line, not to an area")
    area = Entry(entry.data.get("area"), f"{entry.label}: area", entry.problems, _AREA_KEYS,
                 ("country",))
    country, admin1 = area.text("country"), area.text("admin1")
    status = entry.choice("status", tuple(BoundaryStatus)) or BoundaryStatus.AGREED
    valid_from, valid_to = entry.day("valid_from"), entry.day("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        entry.problem(f"valid_to {valid_to} is before valid_from {valid_from}")
    approximate = entry.flag("approximate", True)
    if country is None:
        return None
    if outlines is None:
        entry.problem(NO_OUTLINES)
        return None
    try:
        geometry = area_outline(outlines, {"country": country, "admin1": admin1})
    except NotFoundError as error:
        entry.problem(f"area {country}{f' / {admin1}' if admin1 else ''}: {error}")
        return None
    if ident is None:
        return None
    return Zone(id=ident, name=name or (admin1 or country),
                description=f"area by reference: {country}" + (f" / {admin1}" if admin1 else ""),
                versions=(BoundaryVersion(
        zone_id=ident, status=BoundaryStatus(status), valid_from=valid_from or EARLIEST_DAY,
        valid_to=valid_to, geometry=geometry, approximate=approximate,
        note=note or "Outline shipped with trucewatch (Natural Earth), generalised."),))


def read_periods(entry: Entry) -> tuple[Period, ...]:
    """``periods:``: in time order, not overlapping, only the last open, only the first
    initial."""
    listed = entry.data.get("periods")
    if listed is None:
        return ()
    if not isinstance(listed, list) or not listed:
        entry.problem(f"periods must be a non-empty list, found {describe(listed)}")
        return ()
    periods: list[Period] = []
    for i, item in enumerate(listed):
        line = Entry(item, f"{entry.label}: periods[{i}]", entry.problems, _PERIOD_KEYS,
                     ("start", "kind", "source"))
        start, end = line.moment("start"), line.moment("end")
        kind, source = line.choice("kind", PERIOD_KINDS), line.text("source")
        if start and end and end <= start:
            line.problem(f"end {end:%Y-%m-%dT%H:%M} is not after start {start:%Y-%m-%dT%H:%M}")
            continue
        if kind == "initial" and i > 0:
            line.problem("only the first period may be 'initial'")
        if periods and start:
            last = periods[-1]
            if last.end is None:
                line.problem(f"follows periods[{i - 1}], which is open (end: null); only the "
                             "last period may be open")
            elif start < last.end:
                line.problem(f"starts {start:%Y-%m-%dT%H:%M}, before periods[{i - 1}] ends "
                             f"({last.end:%Y-%m-%dT%H:%M}); list periods in time order, "
                             "without overlap")
        if start and kind and source:
            periods.append(Period(start=start, end=end, kind=kind, source=source,
                                  decided=line.day("decided"), note=line.text("note")))
    return tuple(periods)


def read_ended(entry: Entry, periods: tuple[Period, ...]) -> Ending | None:
    data = entry.data.get("ended")
    if data is None:
        return None
    line = Entry(data, f"{entry.label}: ended", entry.problems, _ENDED_KEYS,
                 ("at", "how", "source"))
    at, how, source = line.moment("at"), line.choice("how", ENDINGS), line.text("source")
    if at and periods:
        if at < periods[0].start:
            line.problem(f"at {at:%Y-%m-%dT%H:%M} is before the first period starts")
        last = periods[-1].end
        if last is not None and at > last:
            line.problem(f"at {at:%Y-%m-%dT%H:%M} is after the last period ends "
                         f"({last:%Y-%m-%dT%H:%M})")
    if not (at and how and source):
        return None
    return Ending(at=at, how=how, source=source, note=line.text("note"))


def read_weapon_rules(entry: Entry, refs: list[Ref]) -> tuple[WeaponRule, ...]:
    listed = entry.data.get("weapon_zones")
    if listed is None:
        return ()
    if not isinstance(listed, list):
        entry.problem(f"weapon_zones must be a list, found {describe(listed)}")
        return ()
    rules = []
    names = [w.value for w in WeaponClass]
    for i, item in enumerate(listed):
        line = Entry(item, f"{entry.label}: weapon_zones[{i}]", entry.problems, _RULE_KEYS,
                     ("weapons", "zones"))
        weapons = line.items("weapons")
        for weapon in weapons:
            if weapon not in names:
                hint = suggest(weapon, names) or f" (one of: {', '.join(names)})"
                line.problem(f"unknown weapon class {weapon!r}{hint}")
        zones = line.items("zones")
        if line.data.get("zones") == [] or line.data.get("weapons") == []:
            line.problem("weapons and zones must each name at least one")
        refs += [(line.label, "zone", z, "weapon_zones") for z in zones]
        low = number(line, "min_calibre_mm")
        high = number(line, "max_calibre_mm")
        if low is not None and high is not None and high < low:
            line.problem(f"max_calibre_mm {high:g} is below min_calibre_mm {low:g}")
        good = frozenset(WeaponClass(w) for w in weapons if w in names)
        if good and zones:
            rules.append(WeaponRule(weapons=good, zones=zones, name=line.text("name"),
                                    min_calibre_mm=low, max_calibre_mm=high,
                                    note=line.text("note")))
    return tuple(rules)


def read_cross_border(entry: Entry) -> tuple[bool, tuple[str, ...]]:
    """``cross_border:`` as (anywhere, the states named)."""
    value = entry.data.get("cross_border")
    if value is None or isinstance(value, bool):
        return bool(value), ()
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v.strip() for v in value):
        entry.problem("cross_border must be true, false or a list of states (ISO codes or "
                      f"names), found {describe(value)}")
        return False, ()
    return False, tuple(v.strip() for v in value)


def cross_border_zone_id(state: str) -> str:
    """cross-border-SA for a code, cross-border-Saudi-Arabia for a name."""
    return "cross-border-" + (state.upper() if len(state) <= 3 else "-".join(state.split()))


def cross_border_zones(states: dict[str, str], problems: list[str],
                       outlines: AreaOutlines | None) -> dict[str, Zone]:
    """A zone per state named in a cross_border list (state -> the first entry naming it)."""
    zones: dict[str, Zone] = {}
    for state, label in states.items():
        if outlines is None:
            problems.append(f"{label}: cross_border {state!r}: {NO_OUTLINES}")
            continue
        try:
            geometry = area_outline(outlines, {"country": state})
        except NotFoundError as error:
            problems.append(f"{label}: cross_border {state!r}: {error}")
            continue
        ident = cross_border_zone_id(state)
        zones[ident] = Zone(id=ident, name=f"territory of {state}",
                            description=f"cross-border: area by reference {state}",
                            versions=(BoundaryVersion(
            zone_id=ident, status=BoundaryStatus.AGREED, valid_from=EARLIEST_DAY,
            valid_to=None, geometry=geometry, approximate=True,
            note="Country outline shipped with trucewatch (Natural Earth), generalised."),))
    return zones
