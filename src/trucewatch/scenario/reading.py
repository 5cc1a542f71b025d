"""Reading scenario.yaml into a Scenario, in format 1 or 2: actors (with roles,
hierarchies and partial commitments in format 2), zones built from lines and areas,
agreements and declarations. Every problem is recorded with its entry; references are
checked once every id is known."""

from __future__ import annotations

import dataclasses
import zoneinfo
from typing import Any

from trucewatch.actors import fold_alias
from trucewatch.model import (
    Actor,
    ActorRole,
    Agreement,
    BoundaryVersion,
    Deadline,
    Declaration,
    Scenario,
    Zone,
)
from trucewatch.scenario import v2
from trucewatch.scenario.fields import Entry, describe, is_id, label_of, suggest
from trucewatch.scenario.files import SCENARIO_FILE, ZONES_FILE
from trucewatch.scenario.geometry import AreaOutlines

ACTOR_KINDS = ("state", "foreign state", "rebel", "jihadist", "coalition", "other")
CEASEFIRE_CLASSES = ("cessation", "cessation with compliance mechanism", "definitive")
FORMATS = (1, 2)

_TOP_KEYS = ("id", "name", "description", "timezone", "actors", "agreements", "declarations")
_ACTOR_KEYS = ("id", "name", "kind", "flies_aircraft", "flies_over", "aliases", "bound_by")
_COMMON_KEYS = ("id", "name", "start", "end", "zones", "prohibited", "excluded",
                "ceasefire_class", "purpose", "written", "notes")
_AGREEMENT_KEYS = (*_COMMON_KEYS, "signed", "renewal", "parties", "guarantors", "mediator",
                   "pax_id", "deadlines")
_DECLARATION_KEYS = (*_COMMON_KEYS, "actor", "announced")
_DEADLINE_KEYS = ("name", "due", "met_on", "note")
# What format 2 adds, by kind of entry.
_V2_KEYS = {
    "top": ("format", "zones"),
    "actor": ("part_of", "role"),
    "commitment": ("periods", "ended", "weapon_zones", "cross_border"),
    "agreement": ("monitors", "reporting"),
}
_PARTIAL_KEYS = ("agreement", "zones")

Ref = v2.Ref


def read_scenario(doc: Any, problems: list[str], zones: dict[str, Zone] | None,
                  lines: dict[str, tuple[BoundaryVersion, ...]] | None, source: str,
                  outlines: AreaOutlines | None) -> Scenario | None:
    """The scenario, or None when anything is wrong (every problem recorded). ``zones``
    and ``lines`` are those of zones.geojson, None when it could not be read."""
    version = format_of(doc)
    top = _entry(doc, SCENARIO_FILE, problems, _TOP_KEYS, "top", version,
                 ("id", "name", "timezone"))
    if isinstance(doc, dict) and doc.get("format") is not None and version is None:
        top.problem(f"format must be 1 or 2, found {describe(doc.get('format'))}")
    version = version or 1
    ident, name, description = top.ident("id"), top.text("name"), top.text("description")
    timezone = top.text("timezone")
    if timezone and zoneinfo.available_timezones():  # no tz database: cannot tell, so trust it
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            top.problem(f"unknown timezone {timezone!r} (write e.g. Asia/Damascus)")
    built: dict[str, Zone] = {}
    built_ids: set[str] = set()
    if version >= 2:
        built, built_ids = v2.read_built_zones(section(top, "zones"), problems, lines, outlines)
        for clash in sorted(built_ids & set(zones or ())):
            problems.append(f"{SCENARIO_FILE}: zone {clash!r} is built in scenario.yaml and "
                            f"also drawn in {ZONES_FILE}; give them different ids")
    refs: list[Ref] = []
    owners: dict[str, dict[str, str]] = {"actor": {}, "commitment": {}}
    aliases: dict[str, str] = {}
    actors: dict[str, Actor] = {}
    explicit_roles: set[str] = set()
    for i, data in enumerate(section(top, "actors")):
        label = label_of(f"{SCENARIO_FILE}: actors[{i}]", data)
        before = len(problems)
        actor = _read_actor(data, label, problems, refs, aliases, version)
        claim_id(owners["actor"], data, label, problems)
        if actor and len(problems) == before:
            actors[actor.id] = actor
            if isinstance(data, dict) and data.get("role") is not None:
                explicit_roles.add(actor.id)
    commitments: list[Agreement | Declaration] = []
    crossing: dict[str, str] = {}  # state -> the first entry naming it
    for kind in ("agreements", "declarations"):
        for i, data in enumerate(section(top, kind)):
            label = label_of(f"{SCENARIO_FILE}: {kind}[{i}]", data)
            before = len(problems)
            commitment = _read_commitment(kind, data, label, problems, refs, version)
            claim_id(owners["commitment"], data, label, problems)
            if commitment and len(problems) == before:
                commitments.append(commitment)
            for state in (commitment.cross_border_zones if commitment else ()):
                crossing.setdefault(state, label)
    if crossing:
        built.update(v2.cross_border_zones(crossing, problems, outlines))
        commitments = [dataclasses.replace(c, cross_border_zones=tuple(
            v2.cross_border_zone_id(s) for s in c.cross_border_zones)) for c in commitments]
    all_zones = {**(zones or {}), **built}
    known = {"actor": set(owners["actor"]), "commitment": set(owners["commitment"]),
             "zone": set(zones or ()) | built_ids}
    for label, kind, ref_id, key in refs:
        if ref_id not in known[kind] and not (kind == "zone" and zones is None):
            what = "agreement or declaration" if kind == "commitment" else kind
            where = "" if kind == "zone" else f" in {key}"
            problems.append(f"{label}: unknown {what} {ref_id!r}{where}"
                            f"{suggest(ref_id, sorted(known[kind]))}")
    if version >= 2:
        actors = _settle_roles(actors, commitments, explicit_roles, problems)
        if zones is not None and not all_zones and not built_ids:
            problems.append(f"{SCENARIO_FILE}: no zone: draw one in {ZONES_FILE} or build one "
                            "from a line or an area in the zones section")
    if problems or zones is None or not (ident and name):
        return None
    return Scenario(
        id=ident, name=name, actors=actors, zones=all_zones,
        agreements=tuple(c for c in commitments if isinstance(c, Agreement)),
        declarations=tuple(c for c in commitments if isinstance(c, Declaration)),
        description=description, source=source, timezone=timezone, format=version,
    )


def format_of(doc: Any) -> int | None:
    """The format a scenario.yaml declares: 1 when it says none, None when it is wrong."""
    value = doc.get("format") if isinstance(doc, dict) else None
    if value is None:
        return 1
    return value if value in FORMATS and not isinstance(value, bool) else None


def _entry(data: Any, label: str, problems: list[str], keys: tuple[str, ...], kind: str,
           version: int | None, required: tuple[str, ...]) -> Entry:
    """An Entry that knows format 2's keys, and in a format 1 file says they need it."""
    extra = _V2_KEYS[kind] + (_V2_KEYS["commitment"] if kind == "agreement" else ())
    entry = Entry(data, label, problems, keys + extra, required)
    if version == 1:
        for key in extra:
            if key in entry.data and not (kind == "top" and key == "format"):
                entry.problem(f"key {key!r} needs format: 2 at the top of {SCENARIO_FILE}")
    return entry


def section(top: Entry, key: str) -> list[Any]:
    entries = top.data.get(key)
    if entries is not None and not isinstance(entries, list):
        top.problem(f"{key} must be a list, found {describe(entries)}")
    return entries if isinstance(entries, list) else []


def claim_id(owned: dict[str, str], data: Any, label: str, problems: list[str]) -> None:
    """Note which entry holds an id; report a second one holding it."""
    ident = data.get("id") if isinstance(data, dict) else None
    if not isinstance(ident, str) or not is_id(ident):
        return
    if ident in owned:
        problems.append(f"{label}: duplicate id {ident!r} (also {owned[ident]})")
    else:
        owned[ident] = label.split(": ", 1)[1]


def _read_actor(data: Any, label: str, problems: list[str], refs: list[Ref],
                aliases: dict[str, str], version: int) -> Actor | None:
    entry = _entry(data, label, problems, _ACTOR_KEYS, "actor", version, ("id", "name", "kind"))
    ident, name, kind = entry.ident("id"), entry.text("name"), entry.choice("kind", ACTOR_KINDS)
    bound_by, bound_in = _bound_by(entry, refs, label)
    own_aliases = entry.items("aliases", ids=False)
    flies_over = entry.items("flies_over")
    refs += [(label, "zone", z, "flies_over") for z in flies_over]
    parent = entry.ident("part_of")
    if parent is not None:
        refs.append((label, "actor", parent, "part_of"))
        if parent == ident:
            entry.problem("part_of names the actor itself")
    role = entry.choice("role", tuple(ActorRole)) or ActorRole.BELLIGERENT
    if role != ActorRole.BELLIGERENT and bound_by:
        entry.problem(f"a {role} actor is never the perpetrator, so it holds no bound_by")
    me = label.split(": ", 1)[1]
    for alias in sorted({fold_alias(a) for a in (*own_aliases, name or "") if a}):
        other = aliases.setdefault(alias, me)
        if other != me:
            entry.problem(f"alias {alias!r} is also used by {other}: reports could not tell "
                          "them apart")
    flies = entry.flag("flies_aircraft", False)
    if not (ident and name and kind):
        return None
    return Actor(id=ident, name=name, kind=kind, aliases=own_aliases, flies_aircraft=flies,
                 bound_by=bound_by, flies_over=flies_over, part_of=parent,
                 role=ActorRole(role), bound_in=bound_in)


def _bound_by(entry: Entry, refs: list[Ref], label: str
              ) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """``bound_by``: ids, and in format 2 mappings {agreement, zones} that limit a
    commitment to some of its zones."""
    value = entry.data.get("bound_by")
    if not isinstance(value, list) or not any(isinstance(v, dict) for v in value):
        plain = entry.items("bound_by")
        refs += [(label, "commitment", c, "bound_by") for c in plain]
        return plain, ()
    ids: list[str] = []
    partial: list[tuple[str, tuple[str, ...]]] = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            line = Entry(item, f"{label}: bound_by[{i}]", entry.problems, _PARTIAL_KEYS,
                         _PARTIAL_KEYS)
            which, zones = line.ident("agreement"), line.items("zones")
            if item.get("zones") == []:
                line.problem("zones is empty: name the zones where it binds, or give the "
                             "agreement's id alone")
            refs += [(line.label, "zone", z, "bound_by") for z in zones]
            if which:
                refs.append((line.label, "commitment", which, "bound_by"))
                ids.append(which)
                if zones:
                    partial.append((which, zones))
        elif is_id(item):
            refs.append((label, "commitment", item, "bound_by"))
            ids.append(item)
        else:
            entry.problem(f"bound_by holds {describe(item)}; expected ids or "
                          "{agreement: ID, zones: [ZONE, ...]}")
    return tuple(dict.fromkeys(ids)), tuple(partial)


def _read_commitment(kind: str, data: Any, label: str, problems: list[str],
                     refs: list[Ref], version: int) -> Agreement | Declaration | None:
    agreement = kind == "agreements"
    given = data if isinstance(data, dict) else {}
    with_periods = version >= 2 and given.get("periods") is not None
    placed = version >= 2 and bool(given.get("weapon_zones") or given.get("cross_border"))
    required = ("id", "name", "prohibited") + (() if with_periods else ("start",)) \
        + (() if placed else ("zones",)) + (() if agreement else ("actor",))
    entry = _entry(data, label, problems, _AGREEMENT_KEYS if agreement else _DECLARATION_KEYS,
                   "agreement" if agreement else "commitment", version, required)
    ident, name = entry.ident("id"), entry.text("name")
    start, end = entry.moment("start"), entry.moment("end")
    if with_periods and ("start" in entry.data or "end" in entry.data):
        entry.problem("give start and end, or periods, not both")
    if start and end and end <= start:
        entry.problem(f"end {end:%Y-%m-%dT%H:%M} is {'before' if end < start else 'the same as'}"
                      f" start {start:%Y-%m-%dT%H:%M} (end is exclusive: 'until midnight on"
                      " 6 July' is 07-07T00:00)")
    zones, excluded = entry.items("zones"), entry.items("excluded")
    if entry.data.get("zones") == [] and not placed:
        entry.problem(f"zones is empty: name at least one zone of {ZONES_FILE}")
    refs += [(label, "zone", z, "zones") for z in zones]
    refs += [(label, "actor", a, "excluded") for a in excluded]
    periods = v2.read_periods(entry) if version >= 2 else ()
    if periods:
        start, end = periods[0].start, periods[-1].end
    ended = v2.read_ended(entry, periods) if version >= 2 else None
    if ended is not None and start is not None and not periods:
        if ended.at < start:
            entry.problem(f"ended: at {ended.at:%Y-%m-%dT%H:%M} is before start")
        elif end is not None and ended.at > end:
            entry.problem(f"ended: at {ended.at:%Y-%m-%dT%H:%M} is after end")
    if ended is not None and (end is None or ended.at < end):
        end = ended.at
    anywhere, states = v2.read_cross_border(entry) if version >= 2 else (False, ())
    common: dict[str, Any] = {
        "id": ident, "name": name, "start": start, "end": end, "zones": zones,
        "prohibited": entry.prohibited(), "excluded": excluded,
        "ceasefire_class": entry.choice("ceasefire_class", CEASEFIRE_CLASSES),
        "purpose": entry.text("purpose"), "written": entry.flag("written", True),
        "notes": entry.text("notes"), "periods": periods, "ended": ended,
        "weapon_zones": v2.read_weapon_rules(entry, refs) if version >= 2 else (),
        "cross_border": anywhere, "cross_border_zones": states,
    }
    if not agreement:
        actor = entry.ident("actor")
        refs += [(label, "actor", actor, "actor")] if actor else []
        if not (ident and name and start and actor):
            return None
        return Declaration(**common, actor=actor, announced=entry.day("announced"))
    parties, guarantors = entry.items("parties"), entry.items("guarantors")
    monitors, reporting = entry.items("monitors"), entry.items("reporting")
    for key, named in (("parties", parties), ("guarantors", guarantors),
                       ("monitors", monitors), ("reporting", reporting)):
        refs += [(label, "actor", a, key) for a in named]
    for both in sorted(set(parties) & set(excluded)):
        entry.problem(f"actor {both!r} is both a party and excluded")
    for both in sorted(set(parties) & (set(monitors) | set(reporting))):
        entry.problem(f"actor {both!r} is both a party and a monitor or reporting actor")
    deadlines = []
    listed = entry.data.get("deadlines")
    if listed is not None and not isinstance(listed, list):
        entry.problem(f"deadlines must be a list, found {describe(listed)}")
    for i, item in enumerate(listed if isinstance(listed, list) else []):
        line = Entry(item, f"{label}: deadlines[{i}]", problems, _DEADLINE_KEYS, ("name", "due"))
        what, due, met_on, note = line.text("name"), line.day("due"), line.day("met_on"), \
            line.text("note")
        if what and due:
            deadlines.append(Deadline(name=what, due=due, met_on=met_on, note=note))
    signed, mediator, pax_id = entry.day("signed"), entry.text("mediator"), entry.text("pax_id")
    renewal = entry.text("renewal")
    if not (ident and name and start):
        return None
    return Agreement(**common, signed=signed, parties=parties, guarantors=guarantors,
                     mediator=mediator, pax_id=pax_id, renewal=renewal,
                     deadlines=tuple(deadlines), monitors=monitors, reporting=reporting)


def _settle_roles(actors: dict[str, Actor], commitments: list[Agreement | Declaration],
                  explicit: set[str], problems: list[str]) -> dict[str, Actor]:
    """Format 2's hierarchy and roles: no cycle in part_of; an actor named among an
    agreement's monitors or reporting actors takes that role; a sub-unit without a role
    of its own takes its parent's; no monitor is a party or a declaration's actor."""
    for ident in actors:
        seen = [ident]
        parent = actors[ident].part_of
        while parent is not None and parent in actors:
            if parent in seen:
                if parent == ident:
                    problems.append(f"{SCENARIO_FILE}: actor {ident!r}: part_of makes a cycle "
                                    f"({' -> '.join([*seen, parent])})")
                break
            seen.append(parent)
            parent = actors[parent].part_of
    named: dict[str, ActorRole] = {}
    for c in commitments:
        if isinstance(c, Agreement):
            named.update(dict.fromkeys(c.reporting, ActorRole.REPORTING))
            named.update(dict.fromkeys(c.monitors, ActorRole.MONITOR))

    def role(ident: str, depth: int = 0) -> ActorRole:
        actor = actors[ident]
        if ident in explicit or depth > len(actors):
            return actor.role
        if ident in named:
            return named[ident]
        if actor.part_of in actors:
            return role(actor.part_of, depth + 1)
        return actor.role

    settled = {ident: dataclasses.replace(actor, role=role(ident))
               for ident, actor in actors.items()}
    for ident, actor in settled.items():
        if actor.never_perpetrator and actor.bound_by and ident not in explicit:
            problems.append(f"{SCENARIO_FILE}: actor {ident!r} is a {actor.role} actor (named "
                            "so by an agreement or its parent) and holds bound_by; a monitor "
                            "or reporting actor is never the perpetrator")
    for c in commitments:
        members = (*c.parties,) if isinstance(c, Agreement) else (c.actor,)
        for ident in members:
            member = settled.get(ident)
            if member is not None and member.never_perpetrator:
                problems.append(f"{SCENARIO_FILE}: {c.id}: {ident!r} is a {member.role} actor "
                                "and cannot be bound as a party")
    return settled
