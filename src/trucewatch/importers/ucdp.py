"""UCDP's Georeferenced Event Dataset (GED), one claim per event: the CSV of any GED
version (column names in any case; the ``*_est`` tolls of older versions), or the UCDP
API's JSON pages (``{"TotalCount": .., "NextPageUrl": .., "Result": [{..}, ..]}``, the
same field names): one page, a file holding a list of pages or of events, or a folder
of page files read in name order.

| UCDP GED column | claim |
|---|---|
| id | external_id |
| date_start, date_end | event_date, date_end (a range when they differ); the time is dropped |
| date_prec 1-5 | date_precision: 1 day; 2-3 week; 4 month; 5 year |
| type_of_violence, source_headline | event_type: see below; always marked coarse |
| side_a / side_b | perpetrator text and actor id / target actor id |
| where_coordinates, adm_1, adm_2, country, latitude, longitude | location |
| where_prec 1-7 | geo_precision: 1 → 1; 2-3 (25 km, district) → 2; 4-7 → 3 |
| low, best, high | killed low / best / high; out of order, put in order and said so |
| source_office (else source_article) | sources, split on ";" |
| deaths_civilians, conflict_name, ... | kept as they are, for exports |

UCDP codes the kind of violence, not the weapon: state-based and non-state conflict
(type 1, 2) read as "Armed clash" and one-sided violence (3) as "Attack", unless the
headline names the means (an air strike, shelling, a suicide or roadside bomb). Either
way the type is marked coarse, so a UCDP event can merge with an ACLED or article
reading that names the weapon. date_prec and where_prec are kept as they are for exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from trucewatch.importers.common import (
    Actors,
    HeadedCsvReader,
    Layout,
    Outcome,
    Progress,
    Row,
    RowProblem,
    RowReader,
    TableFile,
    parse_coordinates,
    parse_count,
    split_sources,
)
from trucewatch.importers.dates import DayReader
from trucewatch.importers.files import sniff
from trucewatch.importers.ucdp_api import read_pages
from trucewatch.model import Casualties, Claim, DatePrecision, EventType, Place

DATASET = "ucdp"
REQUIRED = (
    "id", "date_start", "date_end", "date_prec", "where_prec", "side_a", "side_b", "best",
    "low", "high", "latitude", "longitude", "country", "type_of_violence",
)
OPTIONAL = (
    "where_coordinates", "adm_1", "adm_2", "source_office", "source_article",
    "source_headline",
    "deaths_civilians", "deaths_a", "deaths_b", "deaths_unknown", "source_original",
    "conflict_name", "dyad_name", "year", "relid", "number_of_sources", "region",
    "event_clarity", "where_description", "priogrid_gid",
)
KEPT = OPTIONAL[6:]

PRECISION = {"1": DatePrecision.DAY, "2": DatePrecision.WEEK, "3": DatePrecision.WEEK,
             "4": DatePrecision.MONTH, "5": DatePrecision.YEAR}
GEO_PRECISION = {"1": 1, "2": 2, "3": 2}
BY_VIOLENCE = {"1": EventType.ARMED_CLASH, "2": EventType.ARMED_CLASH, "3": EventType.ATTACK}
# The means a headline names, most specific first.
MEANS = (
    (re.compile(r"suicide", re.I), EventType.SUICIDE_BOMB),
    (re.compile(r"\b(ied|roadside bomb|landmine|car bomb|explosive device)", re.I),
     EventType.REMOTE_EXPLOSIVE),
    (re.compile(r"\b(air ?strikes?|air raids?|warplanes?|drone strikes?|barrel bombs?)", re.I),
     EventType.AIR_STRIKE),
    (re.compile(r"\b(shell(ing|ed|s)?|artillery|mortars?|rockets?|missiles?)\b", re.I),
     EventType.SHELLING),
)




def _row(line: int, f: tuple[str, ...], actors: Actors, days: tuple[DayReader, DayReader]
         ) -> Outcome:
    (event_id, date_start, date_end, date_prec, where_prec, side_a, side_b, best, low, high,
     latitude, longitude, country, violence, where, adm_1, adm_2, office, article,
     headline) = f[:20]
    if not event_id.strip():
        raise RowProblem("empty id")
    start = days[0](date_start)
    end = days[1](date_end) if date_end.strip() else start
    if end < start:
        raise RowProblem(f"date_end {end} is before date_start {start}")
    event_type = _event_type(violence.strip(), headline)
    point = parse_coordinates(latitude, longitude)
    place = Place(
        name=_place_name(where) or adm_2.strip() or adm_1.strip() or country.strip(),
        lat=point[0] if point else None, lon=point[1] if point else None,
        admin1=adm_1 or None, admin2=adm_2 or None, country=country or None,
        geo_precision=GEO_PRECISION.get(where_prec.strip(), 3),
    )
    kept = dict(zip(KEPT, f[20:], strict=True))
    tolls, repairs = _in_order(parse_count(low, "low"), parse_count(best, "best"),
                               parse_count(high, "high"))
    for column in ("deaths_a", "deaths_b", "deaths_unknown"):
        parse_count(kept.get(column, ""), column)  # a damaged figure refuses the row
    killed = Casualties(*tolls, civilians=parse_count(kept.get("deaths_civilians", ""),
                                                      "deaths_civilians"))
    claim = Claim(
        event_type=event_type, event_date=start, date_end=end if end != start else None,
        date_precision=PRECISION.get(date_prec.strip(), DatePrecision.DAY),
        location=place, location_text=where or None,
        perpetrator=side_a or None, perpetrator_actor=actors.resolve(side_a),
        target_actor=actors.resolve(side_b), killed=killed,
        sources=split_sources(office or article), dataset=DATASET,
        external_id=event_id.strip(), notes=headline or None, exact_type=False,
    )
    extra = {name: value for name, value in kept.items() if value}
    extra.update({"date_prec": date_prec.strip(), "where_prec": where_prec.strip(),
                  "side_b": side_b, "type_of_violence": violence.strip()})
    return Row.from_claim(line, claim, extra, repairs)


def _in_order(low: int | None, best: int | None, high: int | None
              ) -> tuple[tuple[int | None, int | None, int | None], tuple[str, ...]]:
    """UCDP's low <= best <= high. Figures out of that order (a hand-edited or damaged
    file) are put in order, and the repair said: each figure is a count UCDP stated, so
    all three are kept rather than the row lost; the user is told which row to check."""
    given = [value for value in (low, best, high) if value is not None]
    if given == sorted(given):
        return (low, best, high), ()
    ordered = iter(sorted(given))
    fixed = tuple(next(ordered) if value is not None else None for value in (low, best, high))
    return (fixed[0], fixed[1], fixed[2]), (
        f"low {low}, best {best}, high {high} out of order: stored as low {fixed[0]}, "
        f"best {fixed[1]}, high {fixed[2]}",)


def _event_type(violence: str, headline: str) -> EventType:
    if violence not in BY_VIOLENCE:
        raise RowProblem(f"bad type_of_violence {violence!r} (1, 2 or 3)")
    for pattern, event_type in MEANS:
        if headline and pattern.search(headline):
            return event_type
    return BY_VIOLENCE[violence]


def _place_name(where: str) -> str:
    """UCDP writes "Douma town", "Idlib province": the name without UCDP's kind of place."""
    return re.sub(r"\s+(town|city|village|province|district|governorate|area)$", "",
                  where.strip(), flags=re.I)


def _bind(_file: TableFile | None) -> RowReader:
    return partial(_row, days=(DayReader("date_start"), DayReader("date_end")))


# Names of older GED versions (read under today's names).
ALIASES = {"best_est": "best", "low_est": "low", "high_est": "high"}
CSV_READER = HeadedCsvReader(DATASET, (Layout("UCDP GED", REQUIRED, OPTIONAL, _bind),),
                             ALIASES)


class UcdpReader:
    """GED's CSV, or the API's JSON pages (see ``ucdp_api``)."""

    dataset = DATASET

    def read(self, path: Path, actors: Actors, progress: Progress | None = None
             ) -> Iterator[Outcome]:
        if path.is_dir() or sniff(path) == "json":
            return read_pages(path, REQUIRED, OPTIONAL, ALIASES, _bind(None), actors,
                              progress)
        return CSV_READER.read(path, actors, progress)


READER = UcdpReader()
