"""GDELT's event tables (``*.export.CSV``, ``*.CSV`` or their ``.zip``), tab-separated, no
header, told apart by their number of columns: GDELT 1.0's historical backfiles (1979 to
March 2013) have 57, its daily files from 1 April 2013 58 (SOURCEURL added), and GDELT
2.0's 15-minute files 61 (an ADM2 code added to each of the three places). A file whose
first row has another count is refused; a later row with another count is a bad row.
Only material violence is kept: CAMEO root codes 18 (assault), 19 (fight) and
20 (unconventional mass violence); the rest is counted as ignored.

CAMEO code → ACLED sub-event type (coarse: a guess within the family, which may merge
with a more specific reading of the same event; exact: CAMEO names the means):

| CAMEO | meaning | sub-event type (exact or coarse) |
|---|---|---|
| 180, 184 | unconventional violence; human shield | Attack (coarse) |
| 181 | abduct, hijack, take hostage | Abduction/forced disappearance |
| 182, 1822, 1823 | physical assault; torture; killing by assault | Attack (coarse) |
| 1821 | sexual assault | Sexual violence |
| 183, 1832-1834 | bombing: vehicle, roadside, location | Remote explosive/landmine/IED |
| 1831 | suicide bombing | Suicide bomb |
| 185, 186 | attempted or carried out assassination | Attack |
| 190, 196 | military force, not specified; violate a ceasefire | Armed clash (coarse) |
| 193 | fight with small arms and light weapons | Armed clash |
| 194 | fight with artillery and tanks | Shelling/artillery/missile attack |
| 195, 1951, 1952 | aerial weapons; precision-guided; remotely piloted | Air/drone strike |
| 200, 202, 203 | mass violence; mass killings; ethnic cleansing | Attack (coarse) |
| 204, 2041 | weapons of mass destruction; chemical, biological | Chemical weapon |
| 191, 192, 201, 2042 | blockade, occupation, expulsion, nuclear | ignored: nothing fits |

ActionGeo_Type → geo precision: 3 and 4 (a city) → 1; 2 and 5 (a state or province)
→ 3; 1 (a country) → 3; 0 (none) → no place. GDELT gives no tolls; the article's
website (from SOURCEURL) is the claim's source, and NumSources, AvgTone and the CAMEO
code are kept for exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from trucewatch.columns import ROW_COLUMNS
from trucewatch.errors import InputError
from trucewatch.importers.common import (
    Actors,
    BadRow,
    Ignored,
    Outcome,
    Progress,
    Row,
    RowProblem,
    json_text,
    open_rows,
    parse_coordinates,
    row_order,
)
from trucewatch.importers.dates import EARLIEST, latest_day
from trucewatch.importers.files import CleanedRow
from trucewatch.model import EventType

DATASET = "gdelt"
# The first 35 columns (ids, dates, both actors, the CAMEO codes, tone) are the same in
# every version; the places after them differ.
(GLOBALEVENTID, SQLDATE, ACTOR1CODE, ACTOR1NAME, ACTOR2CODE, ACTOR2NAME, EVENTCODE,
 ROOTCODE, GOLDSTEIN, NUMSOURCES, AVGTONE) = (0, 1, 5, 6, 15, 16, 26, 28, 30, 32, 34)


@dataclass(frozen=True, slots=True)
class Version:
    """Where one version of the table keeps the event's place, DATEADDED and SOURCEURL."""

    name: str
    width: int
    geo_type: int  # ActionGeo_Type; FullName, CountryCode and ADM1Code follow it
    geo_lat: int  # ActionGeo_Lat; Long and FeatureID follow it, then DATEADDED
    sourceurl: int | None


VERSIONS = {
    57: Version("GDELT 1.0 backfile", 57, 49, 53, None),
    58: Version("GDELT 1.0", 58, 49, 53, 57),
    61: Version("GDELT 2.0", 61, 51, 56, 60),
}

_E = EventType
# (sub-event type, exact?) by CAMEO code; a code not listed falls back to its base code.
CAMEO: dict[str, tuple[EventType, bool] | None] = {
    "180": (_E.ATTACK, False), "181": (_E.ABDUCTION, True), "182": (_E.ATTACK, False),
    "1821": (_E.SEXUAL_VIOLENCE, True), "1822": (_E.ATTACK, False),
    "1823": (_E.ATTACK, False), "183": (_E.REMOTE_EXPLOSIVE, True),
    "1831": (_E.SUICIDE_BOMB, True), "1832": (_E.REMOTE_EXPLOSIVE, True),
    "1833": (_E.REMOTE_EXPLOSIVE, True), "1834": (_E.REMOTE_EXPLOSIVE, True),
    "184": (_E.ATTACK, False), "185": (_E.ATTACK, True), "186": (_E.ATTACK, True),
    "190": (_E.ARMED_CLASH, False), "191": None, "192": None,
    "193": (_E.ARMED_CLASH, True), "194": (_E.SHELLING, True),
    "195": (_E.AIR_STRIKE, True), "1951": (_E.AIR_STRIKE, True),
    "1952": (_E.AIR_STRIKE, True), "196": (_E.ARMED_CLASH, False),
    "200": (_E.ATTACK, False), "201": None, "202": (_E.ATTACK, False),
    "203": (_E.ATTACK, False), "204": (_E.CHEMICAL_WEAPON, True),
    "2041": (_E.CHEMICAL_WEAPON, True), "2042": None,
}
GEO_PRECISION = {"3": 1, "4": 1, "2": 3, "5": 3, "1": 3}
KEPT = {"EventCode": EVENTCODE, "Actor1Code": ACTOR1CODE, "Actor2Code": ACTOR2CODE,
        "Actor2Name": ACTOR2NAME, "GoldsteinScale": GOLDSTEIN, "NumSources": NUMSOURCES,
        "AvgTone": AVGTONE}
_WIDTHS = " or ".join(f"{v.width} ({v.name})" for v in VERSIONS.values())


class GdeltReader:
    dataset = DATASET

    def read(self, path: Path, actors: Actors, progress: Progress | None = None
             ) -> Iterator[Outcome]:
        version: Version | None = None
        latest = latest_day()
        for line, row in open_rows(path, delimiter="\t", progress=progress):
            if isinstance(row, BadRow):
                yield row
                continue
            if version is None:
                if not row or row[0].strip().upper() == "GLOBALEVENTID":
                    continue  # a blank line, or a header a tool added
                version = VERSIONS.get(len(row))
                if version is None:
                    raise InputError(str(path), f"{len(row)} tab-separated columns: not a "
                                     f"GDELT events table (those have {_WIDTHS})", line)
            if len(row) != version.width:
                if row:
                    yield BadRow(line, f"{len(row)} columns where {version.name} events "
                                 f"have {version.width}"
                                 + (" (truncated?)" if len(row) < version.width else ""))
            elif row[ROOTCODE] not in ("18", "19", "20"):
                yield Ignored(line, f"CAMEO root {row[ROOTCODE] or '?'}")
            else:
                try:
                    outcome = _row(line, row, actors, version, latest)
                except RowProblem as problem:
                    yield BadRow(line, str(problem))
                    continue
                if type(row) is CleanedRow and type(outcome) is Row:
                    outcome.repairs = (row.repair,)
                yield outcome


def _row(line: int, r: list[str], actors: Actors, version: Version, latest: date
         ) -> Outcome:
    """A row as the claims table stores it, made straight from the fields (the claim it
    stands for, encoded, gives the same values: tests/test_importers.py holds them
    together); a GDELT day is 100,000 rows, and a Claim object and json.dumps each cost
    more than the rest of the row."""
    code = r[EVENTCODE].strip()
    mapped = CAMEO.get(code, CAMEO.get(code[:3]))
    if mapped is None:
        return Ignored(line, f"CAMEO {code}")
    event_type, exact = mapped
    event_id = r[GLOBALEVENTID].strip()
    if not event_id:
        raise RowProblem("empty GLOBALEVENTID")
    day = _sqldate(r[SQLDATE], latest)
    lat = version.geo_lat
    point = parse_coordinates(r[lat], r[lat + 1])
    place = _place(r, point, version)
    actor1 = r[ACTOR1NAME].strip()
    url = r[version.sourceurl] if version.sourceurl is not None else ""
    site = _site(url)
    kept = [f"{key}{json_text(r[i])}" for key, i in _KEPT_KEYS if r[i]]
    kept += [f"{key}{json_text(value)}" for key, value in (
        (_FEATURE_KEY, r[lat + 2]), (_ADDED_KEY, r[lat + 3]), (_URL_KEY, url)) if value]
    return Row(line, _IN_ROW_ORDER((
        event_type.value, day.isoformat(), *(place or _NO_PLACE),
        r[version.geo_type + 1] or None, actor1 or None, actors.ids[actor1] if actor1 else None,
        actors.ids[r[ACTOR2NAME]] if r[ACTOR2NAME] else None,
        f"[{json_text(site)}]" if site else "[]", DATASET, event_id, exact,
        "{" + ", ".join(kept) + "}",
        None,
    )))


# The claims columns a row fills, in the order _row gives them; every other column is
# null (GDELT gives no tolls, no date range, no notes).
FAST_COLUMNS = (
    "event_type", "event_date",
    "location_name", "lat", "lon", "admin1", "country", "geo_precision",
    "location_text", "perpetrator", "perpetrator_actor", "target_actor",
    "sources", "dataset", "external_id", "exact_type", "extra",
)
_IN_ROW_ORDER = row_order(FAST_COLUMNS, ROW_COLUMNS)
_NO_PLACE = (None,) * 6
# The kept codes' keys as json.dumps writes them, each value through json's encoder.
_KEPT_KEYS = tuple((f"{json_text(name)}: ", i) for name, i in KEPT.items())
_FEATURE_KEY, _ADDED_KEY, _URL_KEY = (f"{json_text(name)}: " for name in (
    "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL"))


def _sqldate(text: str, latest: date) -> date:
    text = text.strip()
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError(text)
        day = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise RowProblem(f"bad SQLDATE {text!r}") from None
    if not EARLIEST <= day <= latest:
        raise RowProblem(f"SQLDATE {day.isoformat()} is outside the plausible range "
                         f"({EARLIEST.isoformat()} to {latest.isoformat()})")
    return day


def _place(r: list[str], point: tuple[float, float] | None, version: Version
           ) -> tuple[Any, ...] | None:
    """The place's columns (name, lat, lon, admin1, country, geo precision), or None."""
    kind = r[version.geo_type].strip()
    full_name = r[version.geo_type + 1]
    if kind not in GEO_PRECISION or not full_name.strip():
        return None
    parts = [p.strip() for p in full_name.split(",")]
    city = GEO_PRECISION[kind] == 1
    return (
        parts[0], point[0] if point else None, point[1] if point else None,
        parts[1] if city and len(parts) > 2 else (parts[0] if kind in "25" else None),
        parts[-1] if len(parts) > 1 or kind == "1" else None,
        GEO_PRECISION[kind],
    )


def _site(url: str) -> str | None:
    """The website an article came from: its host without 'www.'; None for a URL that
    cannot be read. Read once per scheme and host: urlsplit's host is that of the URL
    cut where its host ends, and a day's 100,000 URLs come from a few thousand sites."""
    found = _SCHEME_HOST.match(url)
    return _host(found[0] if found else url)


_SCHEME_HOST = re.compile(r"[^/?#]*//[^/?#]*")  # up to where urlsplit's netloc ends


@lru_cache(maxsize=1 << 14)
def _host(url: str) -> str | None:
    try:  # (an unclosed IPv6 bracket: urlsplit raises)
        host = urlsplit(url.strip()).hostname if url.strip() else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None
