"""Scenarios as data: a folder holding ``scenario.yaml`` and ``zones.geojson``,
read into a :class:`trucewatch.model.Scenario`.

Domain experts edit these files, so every mistake is reported at once, naming
the file and the entry (entries count from 0), and nothing half-read is
returned. Unknown keys in scenario.yaml are reported too: a misspelt
``excludes:`` must not silently drop an exclusion.

scenario.yaml (* = required)::

  id*: astana-2017
  name*: ...
  description: ...
  timezone*: Asia/Damascus      # every time below is local time there
  actors:
    - id*: syrian-government
      name*: Syrian government forces
      kind*: state              # state | foreign state | rebel | jihadist | coalition | other
      flies_aircraft: true      # default false
      flies_over: [idlib]       # zone ids its aircraft operate over; omitted: every zone
      aliases: [Syrian warplanes, regime forces]   # case-insensitive; longest match wins
      bound_by: [astana-memorandum]                # agreement and declaration ids
  agreements:                   # agreements and declarations share one id space
    - id*: astana-memorandum
      name*: ...
      signed: 2017-05-04        # a date
      start*: 2017-05-06T00:00  # a local date and time
      end: null                 # null = open. END IS EXCLUSIVE:
                                # "until midnight on 6 July" is 2017-07-07T00:00
      renewal: text
      parties: [actor ids]
      guarantors: [actor ids]
      mediator: text
      pax_id: "2093"            # PA-X peace agreement id
      zones*: [zone ids from zones.geojson]
      prohibited*: all          # or a list of ACLED sub-event types: [Air/drone strike, ...];
                                # all = every type except "Government regains territory"
                                # and "Non-state actor overtakes territory"
      excluded: [actor ids]     # not parties: attacks on them are no violation
      ceasefire_class: cessation   # cessation | cessation with compliance mechanism | definitive
      purpose: text
      written: true             # default true; false for a verbal or broadcast promise
      notes: text
      deadlines:
        - {name*: maps of the areas, due*: 2017-06-04, met_on: null, note: missed}
  declarations:                 # one actor's unilateral promise
    - id*, name*, actor* (an actor id), announced (a date), start*, end, zones*,
      prohibited*, excluded, ceasefire_class, purpose, written, notes: as above

zones.geojson: a GeoJSON FeatureCollection, coordinates [longitude, latitude],
one Feature per dated version of a zone's boundary, with a valid Polygon or
MultiPolygon and the properties ``zone``* (id), ``name``, ``status``* (draft |
agreed | disputed), ``valid_from``* (a date), ``valid_to`` (the last day it
holds, inclusive; null = still valid), ``approximate`` (default true),
``note``. The versions of one zone must not share a day. Other properties
(styling from geojson.io, QGIS ids) are ignored.
"""

from __future__ import annotations

import difflib
import json
import math
import zoneinfo
from collections.abc import Hashable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import shapely
import yaml
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from trucewatch.actors import fold_alias
from trucewatch.errors import NotFoundError, ScenarioError, ScenarioProblems
from trucewatch.model import (
    Actor,
    Agreement,
    BoundaryStatus,
    BoundaryVersion,
    Deadline,
    Declaration,
    EventType,
    Scenario,
    Zone,
)

SCENARIO_FILE = "scenario.yaml"
ZONES_FILE = "zones.geojson"
ACTOR_KINDS = ("state", "foreign state", "rebel", "jihadist", "coalition", "other")
CEASEFIRE_CLASSES = ("cessation", "cessation with compliance mechanism", "definitive")
# "all" forbids the violence, not the map changing hands as its result.
ALL_PROHIBITED = frozenset(EventType) - {
    EventType.GOVERNMENT_REGAINS_TERRITORY,
    EventType.NON_STATE_TAKEOVER,
}

_TOP_KEYS = ("id", "name", "description", "timezone", "actors", "agreements", "declarations")
_ACTOR_KEYS = ("id", "name", "kind", "flies_aircraft", "flies_over", "aliases", "bound_by")
_COMMON_KEYS = ("id", "name", "start", "end", "zones", "prohibited", "excluded",
                "ceasefire_class", "purpose", "written", "notes")
_AGREEMENT_KEYS = (*_COMMON_KEYS, "signed", "renewal", "parties", "guarantors", "mediator",
                   "pax_id", "deadlines")
_DECLARATION_KEYS = (*_COMMON_KEYS, "actor", "announced")
_DEADLINE_KEYS = ("name", "due", "met_on", "note")

# A reference to check once every id is known: (entry label, kind of id, id, key).
_Ref = tuple[str, str, str, str]


# ---------------------------------------------------------------- public API


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped inside the package."""
    root = _builtin_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / SCENARIO_FILE).is_file())


def resolve_scenario_path(name_or_path: str | Path) -> Path:
    """The folder of a builtin name, of a folder path, or of a path to one of its files.

    A bare builtin name wins over a folder of that name in the working
    directory; write ``./astana-2017`` to mean the folder.
    """
    builtins = builtin_scenarios()
    if isinstance(name_or_path, str) and name_or_path in builtins:
        return _builtin_root() / name_or_path
    if str(name_or_path).strip():
        path = Path(name_or_path).expanduser()
        if path.is_file() and path.name in (SCENARIO_FILE, ZONES_FILE):
            return path.parent.resolve()
        if path.is_dir():
            return path.resolve()
    raise NotFoundError(
        f"no scenario {str(name_or_path)!r}: it is neither a builtin scenario "
        f"({', '.join(builtins) or 'none installed'}) nor a folder holding {SCENARIO_FILE}"
    )


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read and check a scenario. An unreadable file raises ScenarioError with its
    line; anything else wrong raises ScenarioProblems listing every problem."""
    folder = resolve_scenario_path(name_or_path)
    scenario, unreadable, problems = _inspect(folder)
    if unreadable:
        raise unreadable[0]
    if problems or scenario is None:
        raise ScenarioProblems(str(folder), problems)
    return scenario


def validate_scenario(name_or_path: str | Path) -> list[str]:
    """Every problem of a scenario, each naming its file and entry; empty when valid."""
    folder = resolve_scenario_path(name_or_path)
    _, unreadable, problems = _inspect(folder)
    located = [
        f"{Path(e.source).name}{'' if e.where is None else f':{e.where}'}: {e.problem}"
        for e in unreadable
    ]
    return located + problems


# ---------------------------------------------------------------- files


def _builtin_root() -> Path:
    return Path(__file__).parent / "scenarios"


def _inspect(folder: Path) -> tuple[Scenario | None, list[ScenarioError], list[str]]:
    """Read both files: the scenario (None if anything is wrong), the files that
    could not be read at all, and every other problem."""
    unreadable: list[ScenarioError] = []
    problems: list[str] = []
    doc: Any = None
    geo: Any = None
    yaml_read = False
    try:
        doc, repeated = _read_yaml(folder / SCENARIO_FILE)
        yaml_read = True
        problems += [f"{SCENARIO_FILE}:{line}: key {key!r} is given twice; only the last counts"
                     for key, line in repeated]
    except ScenarioError as error:
        unreadable.append(error)
    try:
        geo = _read_json(folder / ZONES_FILE)
    except ScenarioError as error:
        unreadable.append(error)
    zones = _read_zones(geo, problems) if geo is not None else None
    scenario = None
    if yaml_read and doc is None:
        problems.append(f"{SCENARIO_FILE}: the file is empty")
    elif yaml_read:
        scenario = _read_scenario(doc, problems, zones, str(folder))
    if unreadable or problems or zones is None:
        return None, unreadable, problems
    return scenario, unreadable, problems


def _read_text(path: Path) -> str:
    if path.exists() and not path.is_file():  # a FIFO would block, a device never end
        raise ScenarioError(str(path), "not a regular file: a scenario folder holds "
                            f"{SCENARIO_FILE} and {ZONES_FILE}")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(str(path), "file missing: a scenario folder holds "
                            f"{SCENARIO_FILE} and {ZONES_FILE}") from None
    except OSError as error:
        raise ScenarioError(str(path), f"cannot read the file: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ScenarioError(str(path), f"not UTF-8 text (byte 0x{raw[error.start]:02x}); "
                            "save the file as UTF-8", where=line) from None


class _YamlLoader(yaml.SafeLoader):
    """Safe loading that keeps dates as text (so a bad date is reported on its
    entry, not as a crash) and notes keys given twice (PyYAML keeps the last)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.repeated.append((key_node.value, key_node.start_mark.line + 1))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)

    def construct_timestamp_as_text(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp",
                            _YamlLoader.construct_timestamp_as_text)


def _read_yaml(path: Path) -> tuple[Any, list[tuple[str, int]]]:
    text = _read_text(path)
    try:
        loader = _YamlLoader(text)  # refuses a NUL or another control character here
    except yaml.reader.ReaderError as error:
        raise ScenarioError(str(path), f"not valid YAML: character U+{error.character:04X} "
                            "is not allowed", where=text[:error.position].count("\n") + 1
                            ) from None
    try:
        return loader.get_single_data(), loader.repeated
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = ", ".join(str(p) for p in (error.context, error.problem) if p)
        column = f" (column {mark.column + 1})" if mark else ""
        raise ScenarioError(str(path), f"not valid YAML: {what}{column}",
                            where=mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise ScenarioError(str(path), f"not valid YAML: {error}") from None
    finally:
        loader.dispose()


def _read_json(path: Path) -> Any:
    text = _read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(str(path), f"not valid JSON: {error.msg} (column {error.colno})",
                            where=error.lineno) from None
    except (ValueError, RecursionError) as error:
        raise ScenarioError(str(path), f"not valid JSON: {error}") from None


# ---------------------------------------------------------------- fields


def _describe(value: Any) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and value.split() == [value]


class _Entry:
    """One mapping being read; each problem is recorded under the entry's label."""

    def __init__(self, data: Any, label: str, problems: list[str],
                 known: tuple[str, ...] | None, required: tuple[str, ...]) -> None:
        self.label, self.problems = label, problems
        self.data: dict[Any, Any] = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.problem(f"expected a mapping of keys to values, found {_describe(data)}")
            return
        for key in data:
            if known is not None and key not in known:
                self.problem(f"unknown key {key!r}{_suggest(str(key), list(known))}")
        for key in required:
            if data.get(key) is None:
                self.problem(f"missing required key {key!r}")

    def problem(self, message: str) -> None:
        self.problems.append(f"{self.label}: {message}")

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(f"{key} must be text, found {_describe(value)}")
            return None
        return str(value).strip() or None

    def ident(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is not None and not _is_id(value):
            self.problem(f"{key} must be an id without spaces, found {_describe(value)}")
            return None
        return value

    def items(self, key: str, ids: bool = True) -> tuple[str, ...]:
        """A list of ids (or of texts, for aliases)."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(f"{key} must be a list, found {_describe(value)}")
            return ()
        good = [v for v in value if (_is_id(v) if ids else isinstance(v, str) and v.strip())]
        for bad in (v for v in value if v not in good):
            self.problem(f"{key} holds {_describe(bad)}; expected {'ids' if ids else 'texts'}")
        return tuple(good)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            self.problem(f"{key} must be true or false, found {_describe(value)}")
        return value if isinstance(value, bool) else default

    def choice(self, key: str, choices: tuple[str, ...]) -> str | None:
        value = self.text(key)
        if value is not None and value not in choices:
            self.problem(f"{key} {value!r} is not one of: {', '.join(choices)}")
            return None
        return value

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None or isinstance(value, date):
            return value.date() if isinstance(value, datetime) else value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(f"{key} {value!r} is not a date (write YYYY-MM-DD)")
            return None

    def moment(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None or isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime.combine(value, time.min)
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                self.problem(f"{key} {value!r} is not a date and time (write YYYY-MM-DDTHH:MM)")
                return None
        if moment is not None and moment.tzinfo is not None:
            self.problem(f"{key} {value!r} has a UTC offset; write local time without one")
            return None
        return moment

    def prohibited(self) -> frozenset[EventType]:
        value = self.data.get("prohibited")
        if isinstance(value, str) and value.strip().lower() == "all":
            return ALL_PROHIBITED
        items = [value] if isinstance(value, str) else value
        if value is not None and (not isinstance(items, list) or not items):
            self.problem(f"prohibited must be 'all' or a list of event types, found {value!r}")
        if not isinstance(items, list):
            return frozenset()
        by_name = {e.value.casefold(): e for e in EventType}
        for item in items:
            if str(item).strip().casefold() not in by_name:
                hint = _suggest(str(item), [e.value for e in EventType])
                self.problem(f"unknown event type {item!r} in prohibited{hint}")
        return frozenset(by_name[k] for k in (str(i).strip().casefold() for i in items)
                         if k in by_name)


def _label(prefix: str, data: Any) -> str:
    ident = data.get("id") if isinstance(data, dict) else None
    return f"{prefix} ({ident})" if isinstance(ident, str) else prefix


# ---------------------------------------------------------------- scenario.yaml


def _read_scenario(doc: Any, problems: list[str], zones: dict[str, Zone] | None,
                   source: str) -> Scenario | None:
    top = _Entry(doc, SCENARIO_FILE, problems, _TOP_KEYS, ("id", "name", "timezone"))
    ident, name, description = top.ident("id"), top.text("name"), top.text("description")
    timezone = top.text("timezone")
    if timezone and zoneinfo.available_timezones():  # no tz database: cannot tell, so trust it
        try:
            zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            top.problem(f"unknown timezone {timezone!r} (write e.g. Asia/Damascus)")
    refs: list[_Ref] = []
    owners: dict[str, dict[str, str]] = {"actor": {}, "commitment": {}}
    aliases: dict[str, str] = {}
    actors: dict[str, Actor] = {}
    commitments: list[Agreement | Declaration] = []
    for i, data in enumerate(_section(top, "actors")):
        label = _label(f"{SCENARIO_FILE}: actors[{i}]", data)
        before = len(problems)
        actor = _read_actor(data, label, problems, refs, aliases)
        _claim_id(owners["actor"], data, label, problems)
        if actor and len(problems) == before:
            actors[actor.id] = actor
    for section in ("agreements", "declarations"):
        for i, data in enumerate(_section(top, section)):
            label = _label(f"{SCENARIO_FILE}: {section}[{i}]", data)
            before = len(problems)
            commitment = _read_commitment(section, data, label, problems, refs)
            _claim_id(owners["commitment"], data, label, problems)
            if commitment and len(problems) == before:
                commitments.append(commitment)
    known = {"actor": set(owners["actor"]), "commitment": set(owners["commitment"]),
             "zone": set(zones or ())}
    for label, kind, ref_id, key in refs:
        if ref_id not in known[kind] and not (kind == "zone" and zones is None):
            what = "agreement or declaration" if kind == "commitment" else kind
            where = "" if kind == "zone" else f" in {key}"
            problems.append(f"{label}: unknown {what} {ref_id!r}{where}"
                            f"{_suggest(ref_id, sorted(known[kind]))}")
    if problems or zones is None or not (ident and name):
        return None
    return Scenario(
        id=ident, name=name, actors=actors, zones=zones,
        agreements=tuple(c for c in commitments if isinstance(c, Agreement)),
        declarations=tuple(c for c in commitments if isinstance(c, Declaration)),
        description=description, source=source, timezone=timezone,
    )


def _section(top: _Entry, key: str) -> list[Any]:
    entries = top.data.get(key)
    if entries is not None and not isinstance(entries, list):
        top.problem(f"{key} must be a list, found {_describe(entries)}")
    return entries if isinstance(entries, list) else []


def _claim_id(owned: dict[str, str], data: Any, label: str, problems: list[str]) -> None:
    """Note which entry holds an id; report a second one holding it."""
    ident = data.get("id") if isinstance(data, dict) else None
    if not isinstance(ident, str) or not _is_id(ident):
        return
    if ident in owned:
        problems.append(f"{label}: duplicate id {ident!r} (also {owned[ident]})")
    else:
        owned[ident] = label.split(": ", 1)[1]


def _read_actor(data: Any, label: str, problems: list[str], refs: list[_Ref],
                aliases: dict[str, str]) -> Actor | None:
    entry = _Entry(data, label, problems, _ACTOR_KEYS, ("id", "name", "kind"))
    ident, name, kind = entry.ident("id"), entry.text("name"), entry.choice("kind", ACTOR_KINDS)
    bound_by, own_aliases = entry.items("bound_by"), entry.items("aliases", ids=False)
    refs += [(label, "commitment", c, "bound_by") for c in bound_by]
    flies_over = entry.items("flies_over")
    refs += [(label, "zone", z, "flies_over") for z in flies_over]
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
                 bound_by=bound_by, flies_over=flies_over)


def _read_commitment(section: str, data: Any, label: str, problems: list[str],
                     refs: list[_Ref]) -> Agreement | Declaration | None:
    agreement = section == "agreements"
    required = ("id", "name", "start", "zones", "prohibited") + (() if agreement else ("actor",))
    entry = _Entry(data, label, problems, _AGREEMENT_KEYS if agreement else _DECLARATION_KEYS,
                   required)
    ident, name = entry.ident("id"), entry.text("name")
    start, end = entry.moment("start"), entry.moment("end")
    if start and end and end <= start:
        entry.problem(f"end {end:%Y-%m-%dT%H:%M} is {'before' if end < start else 'the same as'}"
                      f" start {start:%Y-%m-%dT%H:%M} (end is exclusive: 'until midnight on"
                      " 6 July' is 07-07T00:00)")
    zones, excluded = entry.items("zones"), entry.items("excluded")
    if entry.data.get("zones") == []:
        entry.problem(f"zones is empty: name at least one zone of {ZONES_FILE}")
    refs += [(label, "zone", z, "zones") for z in zones]
    refs += [(label, "actor", a, "excluded") for a in excluded]
    common: dict[str, Any] = {
        "id": ident, "name": name, "start": start, "end": end, "zones": zones,
        "prohibited": entry.prohibited(), "excluded": excluded,
        "ceasefire_class": entry.choice("ceasefire_class", CEASEFIRE_CLASSES),
        "purpose": entry.text("purpose"), "written": entry.flag("written", True),
        "notes": entry.text("notes"),
    }
    if not agreement:
        actor = entry.ident("actor")
        refs += [(label, "actor", actor, "actor")] if actor else []
        if not (ident and name and start and actor):
            return None
        return Declaration(**common, actor=actor, announced=entry.day("announced"))
    parties, guarantors = entry.items("parties"), entry.items("guarantors")
    refs += [(label, "actor", a, "parties") for a in parties]
    refs += [(label, "actor", a, "guarantors") for a in guarantors]
    for both in sorted(set(parties) & set(excluded)):
        entry.problem(f"actor {both!r} is both a party and excluded")
    deadlines = []
    listed = entry.data.get("deadlines")
    if listed is not None and not isinstance(listed, list):
        entry.problem(f"deadlines must be a list, found {_describe(listed)}")
    for i, item in enumerate(listed if isinstance(listed, list) else []):
        line = _Entry(item, f"{label}: deadlines[{i}]", problems, _DEADLINE_KEYS, ("name", "due"))
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
                     deadlines=tuple(deadlines))


# ---------------------------------------------------------------- zones.geojson


def _read_zones(doc: Any, problems: list[str]) -> dict[str, Zone] | None:
    """Every zone named in the file (with the versions that are sound, by date),
    or None when the file is not a FeatureCollection at all."""
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" \
            or not isinstance(features, list):
        problems.append(f"{ZONES_FILE}: expected a GeoJSON FeatureCollection with a list "
                        "of features")
        return None
    if not features:
        problems.append(f"{ZONES_FILE}: no features: draw at least one zone")
    spans: dict[str, list[tuple[int, date, date | None]]] = {}
    versions: dict[str, list[BoundaryVersion]] = {}
    names: dict[str, str] = {}
    for i, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        zone = props.get("zone") if isinstance(props, dict) else None
        start = props.get("valid_from") if isinstance(props, dict) else None
        label = f"{ZONES_FILE}: feature {i} " + (
            "(no zone id)" if not isinstance(zone, str)
            else f"(zone {zone}, valid_from {start})" if start is not None else f"(zone {zone})")
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{label}: expected a GeoJSON Feature")
            continue
        before = len(problems)
        entry = _Entry(props if props is not None else {}, label, problems, None,
                       ("zone", "status", "valid_from"))
        ident, name = entry.ident("zone"), entry.text("name")
        status = entry.choice("status", tuple(BoundaryStatus))
        valid_from, valid_to = entry.day("valid_from"), entry.day("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            entry.problem(f"valid_to {valid_to} is before valid_from {valid_from}")
        approximate, note = entry.flag("approximate", True), entry.text("note")
        geometry = _geometry(feature.get("geometry"), entry)
        if ident is None:
            continue
        versions.setdefault(ident, [])
        if name and ident not in names:
            names[ident] = name
        if valid_from:
            spans.setdefault(ident, []).append((i, valid_from, valid_to))
        if len(problems) == before and status and valid_from and geometry is not None:
            versions[ident].append(BoundaryVersion(
                zone_id=ident, status=BoundaryStatus(status), valid_from=valid_from,
                valid_to=valid_to, geometry=geometry, approximate=approximate, note=note))
    for ident, dated in spans.items():
        dated.sort(key=lambda span: span[1])
        for n, (i, a_from, a_to) in enumerate(dated):
            for j, b_from, b_to in dated[n + 1:]:
                if a_to is None or a_to >= b_from:
                    problems.append(
                        f"{ZONES_FILE}: zone {ident}: feature {i} ({a_from}..{a_to or 'open'}) "
                        f"overlaps feature {j} ({b_from}..{b_to or 'open'}); the versions of "
                        "one zone must not share a day")
    return {ident: Zone(id=ident, name=names.get(ident, ident),
                        versions=tuple(sorted(found, key=lambda v: v.valid_from)))
            for ident, found in versions.items()}


def _geometry(raw: Any, entry: _Entry) -> BaseGeometry | None:
    """A valid Polygon or MultiPolygon, or None with the reason recorded."""
    if not isinstance(raw, dict):
        entry.problem("has no geometry: a zone must be a Polygon or MultiPolygon")
        return None
    kind = raw.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        entry.problem(f"geometry type {kind!r}: a zone must be a Polygon or MultiPolygon")
        return None
    bad = _check_positions(raw.get("coordinates"), 3 if kind == "Polygon" else 4)
    if bad:
        entry.problem(f"{kind} {bad}")
        return None
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, IndexError, AttributeError,
            shapely.errors.ShapelyError) as error:
        entry.problem(f"malformed {kind}: {error}")
        return None
    if geometry.is_empty or not geometry.is_valid:
        reason = "it is empty" if geometry.is_empty else explain_validity(geometry)
        entry.problem(f"invalid {kind.lower()}: {reason}")
        return None
    return geometry


def _check_positions(value: Any, depth: int) -> str | None:
    """Walk nested GeoJSON coordinates; say what is wrong with the first bad one."""
    if depth == 1:
        if not isinstance(value, list) or len(value) not in (2, 3) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            return f"has a position {value!r} that is not [longitude, latitude]"
        lon, lat = value[0], value[1]
        if not (math.isfinite(lon) and math.isfinite(lat)
                and -180 <= lon <= 180 and -90 <= lat <= 90):
            return (f"has a coordinate [{lon}, {lat}] outside lon -180..180 / lat -90..90 "
                    "(GeoJSON is [longitude, latitude])")
        return None
    if not isinstance(value, list) or not value:
        return "coordinates are missing or not nested lists"
    if depth == 2 and len(value) < 4:
        return f"has a ring of {len(value)} positions; a ring needs at least 4 (first = last)"
    bad = next((bad for item in value if (bad := _check_positions(item, depth - 1))), None)
    if bad is None and depth == 2 and value[0][:2] != value[-1][:2]:
        # shapely would close the ring itself, so an unclosed one would pass as valid
        return (f"has a ring that is not closed: it ends at {value[-1]!r}, not at its first "
                f"position {value[0]!r}")
    return bad
