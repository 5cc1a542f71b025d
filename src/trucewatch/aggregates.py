"""Aggregate violation reports: counts of acts per side, area and day, as monitoring
missions ("the mission recorded 312 ceasefire violations in Donetsk region, including 104
explosions") and the sides' daily statements ("the enemy violated the ceasefire 23 times")
give them. Each count is one record with a verdict of its own, under the scenario:

- a count of prohibited acts by a bound party, in a zone, on a day its commitment was in
  force, is a violation report ("violation"; "probable violation" when the commitment held
  for only part of the day or the area reaches beyond the zone);
- by an excluded or unbound party, of acts the commitment allows, or on a day no
  commitment held there, it is not ("not a violation");
- an area in no zone is "outside every zone"; an area or side the scenario cannot place,
  or a monitor named as the side, leaves it "undetermined";
- a count that names no side is a probable violation where every armed party in the zone
  is bound (nobody else could have done it), else undetermined.

The reporter is never the side accused (docs/scenario-format.md, roles). Areas are a
zone's id or name, or a country or admin-1 unit that Natural Earth outlines
(trucewatch.geo.areas), compared with the zones' boundaries on that day.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from trucewatch.actors import ActorDictionary
from trucewatch.attribution import binding, lineage
from trucewatch.errors import InputError, NotFoundError
from trucewatch.geo.areas import admin1_outline, country_outline, outlines
from trucewatch.geo.countries import key
from trucewatch.geo.names import split_unit_word
from trucewatch.model import (
    ActorRole,
    AggregateReport,
    Agreement,
    Commitment,
    EventType,
    Scenario,
    Verdict,
    VerdictKind,
)

E = EventType
# What a count counts, by the words reports use; None: any prohibited act ("ceasefire
# violations" are whatever the agreement forbids). Matched on a word's start, first wins.
KINDS: tuple[tuple[str, frozenset[EventType] | None], ...] = (
    ("ceasefire violation", None), ("violation", None), ("breach", None),
    ("explosion", frozenset({E.SHELLING, E.REMOTE_EXPLOSIVE, E.AIR_STRIKE})),
    ("shelling", frozenset({E.SHELLING})), ("artillery", frozenset({E.SHELLING})),
    ("mortar", frozenset({E.SHELLING})), ("rocket", frozenset({E.SHELLING})),
    ("missile", frozenset({E.SHELLING})), ("projectile", frozenset({E.SHELLING})),
    ("air strike", frozenset({E.AIR_STRIKE})), ("airstrike", frozenset({E.AIR_STRIKE})),
    ("air raid", frozenset({E.AIR_STRIKE})), ("drone", frozenset({E.AIR_STRIKE})),
    ("clash", frozenset({E.ARMED_CLASH})), ("small arms", frozenset({E.ARMED_CLASH})),
    ("small-arms", frozenset({E.ARMED_CLASH})), ("gunfire", frozenset({E.ARMED_CLASH})),
    ("shooting", frozenset({E.ARMED_CLASH})), ("sniper", frozenset({E.ARMED_CLASH})),
    ("landmine", frozenset({E.REMOTE_EXPLOSIVE})), ("mine", frozenset({E.REMOTE_EXPLOSIVE})),
    ("ied", frozenset({E.REMOTE_EXPLOSIVE})),
    ("attack", frozenset({E.ATTACK, E.ARMED_CLASH, E.SHELLING, E.AIR_STRIKE})),
)
# What a side's statement calls the other side.
ENEMY = frozenset({"enemy", "other side", "opposing side", "adversary", "opponent",
                   "opponents", "enemy forces"})
COLUMNS = ("date", "reporter", "side", "area", "count", "kind", "killed", "wounded",
           "source", "note")
REQUIRED = ("date", "reporter", "count", "kind")


def kind_types(kind: str) -> frozenset[EventType] | None:
    """The event types a count of ``kind`` is made of; None: any prohibited act.
    Unknown words raise InputError('kind', ...)."""
    text = " ".join(kind.lower().split())
    for word, types in KINDS:
        if re.search(rf"(?<![a-z]){re.escape(word)}", text):
            return types
    raise InputError("kind", f"{kind!r} is not a kind of act trucewatch counts: say "
                     "ceasefire violations, explosions, shelling, air strikes, clashes, "
                     "mines or attacks")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a count's area lies among the zones on its day."""

    zones: tuple[str, ...]  # ids of the zones it touches
    whole: bool  # the area lies inside them (a zone named outright, or an outline within)
    known: bool  # the area could be placed at all
    said: str  # the area in words, for the reasons


PlaceCache = dict[tuple[str | None, tuple[tuple[str, date], ...]], Place]


def judge(report: AggregateReport, scenario: Scenario,
          actors: ActorDictionary | None = None, places: PlaceCache | None = None) -> Verdict:
    """The count's verdict under the scenario, with its reasons in sentences. ``places``
    keeps areas already placed against the same boundaries (an import's many days)."""
    actors = actors or ActorDictionary(scenario.actors.values())
    types = kind_types(report.kind)
    told = (f"{report.reporter} counted {report.count} {report.kind}"
            f"{' in ' + report.area if report.area else ''} on {report.day.isoformat()}"
            f"{' by ' + report.side if report.side else ''}.")
    reasons = [told]
    if report.count <= 0:
        return Verdict(VerdictKind.NOT_VIOLATION, reasons=(*reasons, "It counts no acts."))
    if places is None:
        place = place_area(report.area, report.day, scenario)
    else:
        boundaries = tuple((z.id, v.valid_from) for z in scenario.zones.values()
                           if (v := z.boundary_on(report.day)) is not None)
        place = places.get((report.area, boundaries)) or places.setdefault(
            (report.area, boundaries), place_area(report.area, report.day, scenario))
    if not place.known:
        return Verdict(VerdictKind.UNDETERMINED, reasons=(
            *reasons, f"{place.said} cannot be placed among the scenario's zones."))
    if not place.zones:
        return Verdict(VerdictKind.OUTSIDE_ZONES, reasons=(
            *reasons, f"{place.said} is outside every zone of {scenario.name}."))
    here = set(place.zones)
    covering = [c for c in scenario.commitments if here & set(c.all_zones)]
    in_force = [(c, c.window_on(report.day)) for c in covering]
    in_force = [(c, w) for c, w in in_force if w != "none"]
    zone_names = ", ".join(scenario.zones[z].name if z in scenario.zones else z
                           for z in place.zones)
    if not in_force:
        return Verdict(VerdictKind.NOT_VIOLATION, zones=place.zones, reasons=(
            *reasons, f"No agreement or declaration was in force in {zone_names} on "
            f"{report.day.isoformat()}."))
    barring = [(c, w) for c, w in in_force if types is None or types & c.prohibited]
    if not barring:
        names = ", ".join(c.name for c, _ in in_force)
        return Verdict(VerdictKind.NOT_VIOLATION, zones=place.zones,
                       agreements=tuple(c.id for c, _ in in_force), reasons=(
                           *reasons, f"{report.kind} are not among the acts {names} "
                           "prohibits."))
    doubt = []
    if not place.whole:
        doubt.append(f"{place.said} reaches beyond {zone_names}, so some acts may have been "
                     "outside it.")
    if report.side and key(report.side) in ENEMY:
        return _enemy(report, barring, scenario, actors, place, reasons, doubt, zone_names)
    actor = actors.resolve(report.side) if report.side else None
    if report.side and actor is None:
        return Verdict(VerdictKind.UNDETERMINED, zones=place.zones, reasons=(
            *reasons, f"{report.side} is not an actor of {scenario.name}."))
    if actor is not None and (actor.never_perpetrator or _listed_as_observer(actor.id,
                                                                             scenario)):
        role = "monitors" if actor.role is ActorRole.MONITOR else "reports on"
        return Verdict(VerdictKind.UNDETERMINED, zones=place.zones, reasons=(
            *reasons, f"{actor.name} {role} the ceasefire and is never the perpetrator; "
            "the count names no side that could be."))
    if actor is None:
        return _unnamed(place, barring, scenario, actors, reasons, doubt, zone_names)
    bound: list[tuple[Commitment, str]] = []
    refusals = []
    for commitment, window in barring:
        binds, how = binding(commitment, actor, place.zones, actors)
        if binds:
            bound.append((commitment, window))
            if how:
                refusals.append(f"{actor.name} is bound by {commitment.name} {how}.")
        elif actor.id in commitment.excluded:
            refusals.append(f"{actor.name} is excluded from {commitment.name}: acts by it "
                            "are no violation of it.")
        else:
            refusals.append(f"{actor.name} is not bound by {commitment.name}"
                            f"{' (' + how + ')' if how else ''}.")
    if not bound:
        return Verdict(VerdictKind.NOT_VIOLATION, zones=place.zones,
                       agreements=tuple(c.id for c, _ in barring),
                       reasons=(*reasons, *refusals))
    return _breach(place, bound, actor.name, reasons, refusals, doubt, zone_names)


def _breach(place: Place, bound: list[tuple[Commitment, str]], who: str, reasons: list[str],
            notes: list[str], doubt: list[str], zone_names: str) -> Verdict:
    names = ", ".join(c.name for c, _ in bound)
    partial = [c.name for c, w in bound if w == "part"]
    if partial and len(partial) == len(bound):
        doubt.append(f"{', '.join(partial)} held for only part of that day.")
    kind = VerdictKind.PROBABLE_VIOLATION if doubt else VerdictKind.VIOLATION
    return Verdict(kind, zones=place.zones, agreements=tuple(c.id for c, _ in bound),
                   reasons=(*reasons, f"{who} is bound by {names} in {zone_names}, in force "
                            "that day, which prohibits these acts.", *notes, *doubt))


def _unnamed(place: Place, barring: list[tuple[Commitment, str]], scenario: Scenario,
             actors: ActorDictionary, reasons: list[str], doubt: list[str],
             zone_names: str) -> Verdict:
    """No side named: a violation only if every armed party there is bound (nobody else
    could have done it), and then only probably."""
    armed = [a for a in scenario.actors.values()
             if not a.never_perpetrator and not _listed_as_observer(a.id, scenario)]
    free = [a.name for a in armed
            if not any(binding(c, a, place.zones, actors)[0] for c, _ in barring)]
    if free:
        return Verdict(VerdictKind.UNDETERMINED, zones=place.zones,
                       agreements=tuple(c.id for c, _ in barring), reasons=(
                           *reasons, "The count names no side, and in "
                           f"{zone_names} {', '.join(free)} "
                           f"{'is' if len(free) == 1 else 'are'} not bound, so the acts "
                           "may be theirs."))
    verdict = _breach(place, barring, "Every armed party there", reasons, [], doubt,
                      zone_names)
    return Verdict(VerdictKind.PROBABLE_VIOLATION, zones=verdict.zones,
                   agreements=verdict.agreements, reasons=(
                       *verdict.reasons, "The count names no side: a violation by one of "
                       "the parties, not knowing which."))


def _enemy(report: AggregateReport, barring: list[tuple[Commitment, str]],
           scenario: Scenario, actors: ActorDictionary, place: Place, reasons: list[str],
           doubt: list[str], zone_names: str) -> Verdict:
    """'The enemy' in a side's statement: the parties opposite the reporter's side (a
    reporting office counts as the side it is part of)."""
    teller = actors.resolve(report.reporter)
    if teller is None:
        return Verdict(VerdictKind.UNDETERMINED, zones=place.zones, reasons=(
            *reasons, f"The count accuses {report.side!r}, but {report.reporter} is not an "
            f"actor of {scenario.name}, so whose enemy is not known."))
    own = {a.id for a in lineage(teller, actors)}
    enemies: list[tuple[Commitment, str]] = []
    names: set[str] = set()
    for commitment, window in barring:
        if not isinstance(commitment, Agreement):
            continue
        opposite = [actors.actors[p] for p in commitment.parties if p in actors.actors
                    and not own & {a.id for a in lineage(actors.actors[p], actors)}]
        if opposite:
            enemies.append((commitment, window))
            names.update(a.name for a in opposite)
    if not names:
        return Verdict(VerdictKind.UNDETERMINED, zones=place.zones, reasons=(
            *reasons, f"{teller.name} has no opposing party bound in {zone_names}, so "
            f"{report.side!r} cannot be named."))
    side = f"{report.side!r} in {teller.name}'s count ({', '.join(sorted(names))})"
    return _breach(place, enemies, side[0].upper() + side[1:], reasons,
                   [f"{teller.name} tells of the acts; the parties opposite it are bound."],
                   doubt, zone_names)


def _listed_as_observer(actor_id: str, scenario: Scenario) -> bool:
    return any(actor_id in getattr(a, "monitors", ()) or actor_id in getattr(a, "reporting", ())
               for a in scenario.agreements)


def place_area(area: str | None, day: date, scenario: Scenario) -> Place:
    """The zones an area touches on ``day``: a zone by id or name; else a Natural Earth
    admin-1 unit of a country near the zones, or a country, against the zones'
    boundaries that day."""
    if not area or not area.strip():
        return Place((), False, False, "An unnamed area")
    said = area.strip()
    wanted = key(said)
    core = split_unit_word(said)
    for zone in scenario.zones.values():
        if wanted in (key(zone.id), key(zone.name)) or (core and key(core[0]) == key(zone.name)):
            return Place((zone.id,), True, True, zone.name)
    # A zone's name without its generic tail ('Eastern Ghouta' for 'Eastern Ghouta
    # de-escalation area'), when only one zone's name starts so.
    starting = [z for z in scenario.zones.values() if key(z.name).startswith(wanted + " ")]
    if len(starting) == 1:
        return Place((starting[0].id,), True, True, starting[0].name)
    outline = _outline(said, scenario, day)
    if outline is None:
        return Place((), False, False, said)
    touched: list[str] = []
    covered = []
    for zone in scenario.zones.values():
        version = zone.boundary_on(day)
        if version is None or not version.geometry.intersects(outline):
            continue
        overlap = version.geometry.intersection(outline)
        # A zone drawn by hand spills over into its neighbours: it is in the area when it
        # holds a tenth of the area, or the area holds half of it (a small zone inside).
        if (overlap.area < outline.area * 0.1
                and overlap.area < version.geometry.area * 0.5):
            continue
        touched.append(zone.id)
        covered.append(overlap)
    # Zones are drawn by hand from public maps: nine tenths of the area inside them is
    # inside (the Donbas zone covers 94% of Natural Earth's Luhansk oblast).
    inside = bool(covered) and unary_union(covered).area >= outline.area * 0.9
    return Place(tuple(touched), inside, True, said)


def _outline(area: str, scenario: Scenario, day: date) -> BaseGeometry | None:
    """The outline an area names: an admin-1 unit of a country the zones lie in ('Donetsk
    region', 'Hodeidah'), else a country ('Yemen')."""
    names = [area]
    split = split_unit_word(area)
    if split is not None:
        names.append(split[0])
    for country in _countries_near(scenario, day):
        for name in names:
            try:
                return admin1_outline(country, name)
            except NotFoundError:
                continue
    try:
        return country_outline(area)
    except NotFoundError:
        return None


def _countries_near(scenario: Scenario, day: date) -> list[str]:
    """Keys of the countries whose outline meets the zones' bounding box on ``day``."""
    shapes = [v.geometry for z in scenario.zones.values() for v in z.versions
              if v.valid_on(day)] or [v.geometry for z in scenario.zones.values()
                                      for v in z.versions]
    if not shapes:
        return []
    bounds = [s.bounds for s in shapes]
    frame = box(min(b[0] for b in bounds), min(b[1] for b in bounds),
                max(b[2] for b in bounds), max(b[3] for b in bounds))
    return [key_ for key_, country in outlines().countries.items()
            if country.outline.geometry.intersects(frame)]


def read_csv(path: Path) -> list[tuple[int, AggregateReport]]:
    """The rows of an aggregates CSV (COLUMNS; header names any case, in any order) with
    their line numbers. A bad row raises InputError naming the file, the line and the
    column, before anything is stored."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except UnicodeDecodeError as error:
        raise InputError(str(path), f"not UTF-8 text ({error.reason})") from None
    return parse_csv(text, str(path))


def parse_csv(text: str, source: str) -> list[tuple[int, AggregateReport]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in reader.fieldnames or ()]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(source, f"missing column(s): {', '.join(missing)} (the columns are "
                         f"{', '.join(COLUMNS)})", 1)
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        raise InputError(source, f"unknown column(s): {', '.join(unknown)} (the columns are "
                         f"{', '.join(COLUMNS)})", 1)
    rows = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()
               if isinstance(v, str)}
        if not any(row.values()):
            continue
        rows.append((line, _row(row, source, line)))
    return rows


def _row(row: dict[str, str], source: str, line: int) -> AggregateReport:
    def fail(column: str, problem: str) -> InputError:
        return InputError(source, f"column {column}: {problem}", line)

    for column in REQUIRED:
        if not row.get(column):
            raise fail(column, "empty; every row needs date, reporter, count and kind")
    try:
        day = date.fromisoformat(row["date"])
    except ValueError:
        raise fail("date", f"{row['date']!r} is not a date (YYYY-MM-DD)") from None
    numbers: dict[str, int | None] = {}
    for column in ("count", "killed", "wounded"):
        value = row.get(column) or ""
        if not value:
            numbers[column] = None
            continue
        if not value.isdigit():
            raise fail(column, f"{value!r} is not a whole number of 0 or more")
        numbers[column] = int(value)
    try:
        kind_types(row["kind"])
    except InputError as error:
        raise fail("kind", error.problem) from None
    return AggregateReport(
        day=day, reporter=row["reporter"], count=numbers["count"] or 0, kind=row["kind"],
        side=row.get("side") or None, area=row.get("area") or None,
        killed=numbers["killed"], wounded=numbers["wounded"],
        source=row.get("source") or None, text=row.get("note") or None)


def identity(report: AggregateReport) -> str:
    """What makes two rows the same count: the day, who counted, whom it accuses, where
    and what (case, accents and punctuation aside). A re-imported row with the same
    identity replaces the stored one."""
    parts: Iterable[str | None] = (report.day.isoformat(), report.reporter, report.side,
                                   report.area, report.kind)
    return "|".join(key(part) if part else "" for part in parts)
