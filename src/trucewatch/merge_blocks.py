"""Merging as set operations: which waiting claims are alone in their blocks, and the
incident a claim that is alone makes, as column values.

A row of a curated dataset (ACLED, UCDP) is one event by its coders' decision: it never
merges with another row of its dataset (merge.py), only with other sources' claims. In
a year of ACLED imported into a ledger of articles, nearly every row meets no claim of
another source in its blocks, (day, grid cell) and (day, place name), so the merger would
start an incident of its own for each, one object and one comparison at a time. Here the
blocks are joined as sets instead: every claim of *another* source marks the blocks it
could reach; a curated row none of whose blocks is marked is alone, and its incident is
its own columns (``single_incident``, what merge.reconcile makes of one claim). Only the
claims that are not alone go through merge.merge_claims. The result is the merger's,
claim for claim (tests/test_merge_blocks.py holds the two to each other).

Why plain Python sets and tuples, not pyarrow, polars or DuckDB: the join is a hash
probe of two keys per claim and day against the marks of the few claims of other
sources; for 166,773 ACLED rows the whole step (dates decoded, blocks built, probed) took
about a CPU-second under profiling, of some 12 for the import, and it adds no dependency
(pyarrow is the optional ``scale`` extra; polars and DuckDB would be new core ones for
a probe Python's dict already does at C speed). The reconciling of a lone claim is a
tuple expression per row, and the zone tests, the one numeric part, are vectorised with
shapely's STRtree over numpy arrays (assess_batch.py).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from trucewatch.geo.zones import KM_PER_DEGREE
from trucewatch.merge import CELL_DEGREES, CURATED, SAME_PLACE_KM, _days, date_range
from trucewatch.model import CONTESTED_ATTRIBUTION, DatePrecision

# A claim's place and dates as blocking needs them: (dataset, day, date precision (its
# value), end day, place name, lat, lon, geo precision).
Block = tuple[str | None, date | None, str | None, date | None, str | None,
              float | None, float | None, int | None]
_MIXED = "\x00mixed"  # a block marked by claims of several sources


def _reach(lat: float) -> int:
    """Columns of cells SAME_PLACE_KM spans at this latitude (merge._Index's formula)."""
    return min(10, math.ceil(SAME_PLACE_KM / (
        KM_PER_DEGREE * CELL_DEGREES * max(0.05, math.cos(math.radians(lat))))))


@lru_cache(maxsize=1 << 14)
def _mark_reach(row: int) -> int:
    """The widest reach of any cell row within one row of ``row``: a claim in a row next
    to this one looks that far (merge._Index looks one row up and down)."""
    lats = [min(90.0, abs((row + dy) * CELL_DEGREES)) for dy in (-1, 0, 1, 2)]
    return max(_reach(lat) for lat in lats)


def _cell(block: Block) -> tuple[int, int] | None:
    """merge._cell on a block's columns."""
    lat, lon, precision = block[5], block[6], block[7]
    if lat is None or lon is None or (precision or 1) >= 3:
        return None
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)


def _block_days(block: Block) -> tuple[date, ...]:
    precision = DatePrecision(block[2]) if block[2] else None
    return _days(date_range(block[1], precision, block[3]))


def alone(candidates: Sequence[Block], others: Iterable[Block]) -> list[bool]:
    """For each curated candidate, whether no claim of another source (``others``: every
    other claim the merger could meet, waiting or stored, of any source) could be
    compared with it: none files itself under a block the candidate looks up, and the
    candidate files itself under none that claim looks up. A candidate of no curated
    dataset, or with no place, is never alone, resp. always alone."""
    marks: dict[tuple[Any, ...], str | None] = {}
    for block in others:
        days = _block_days(block)
        if not days or block[4] is None:
            continue  # no day or no place: the merger files it under no block
        source, name, cell = block[0], block[4].casefold(), _cell(block)
        keys: list[tuple[Any, ...]] = [(name,)]
        if cell is not None:
            # Every cell a claim near this one could look up from, or be found in: the
            # cells within reach of a neighbour's row. A candidate then checks its own
            # cell and name only.
            reach = _mark_reach(cell[0])
            keys += [(cell[0] + dy, cell[1] + dx) for dy in (-1, 0, 1)
                     for dx in range(-reach, reach + 1)]
        for day in days:
            for key in keys:
                full = (day, *key)
                found = marks.get(full, source)
                marks[full] = source if found == source else _MIXED
    flags: list[bool] = []
    for block in candidates:
        source = block[0]
        if source not in CURATED:
            flags.append(False)
            continue
        if not marks or block[4] is None:
            flags.append(True)
            continue
        name, cell = block[4].casefold(), _cell(block)
        ok = True
        for day in _block_days(block):
            for key in ((day, name), *(((day, *cell),) if cell is not None else ())):
                found = marks.get(key, source)
                if found != source:
                    ok = False
                    break
            if not ok:
                break
        flags.append(ok)
    return flags


# --- one claim's incident -----------------------------------------------------------------

# The columns a lone claim's incident takes from it, in columns.LOCATED's order (located
# names), then the confidence.
def single_incident(values: dict[str, Any]) -> dict[str, Any]:
    """What merge.reconcile makes of an incident of one claim, from the claim's stored
    columns (``values``: column name -> Python value, sources as a list): the located
    columns of the incident and its confidence."""
    out = dict(values)
    for name in ("day_part", "perpetrator_actor", "perpetrator", "target_actor"):
        out[name] = values[name] or None  # reconcile keeps the first truthy value
    if values["location_name"] is None:  # no place: every place column is null
        for name in ("lat", "lon", "admin1", "admin2", "country", "geo_precision",
                     "geonames_id"):
            out[name] = None
    else:
        out["geo_precision"] = values["geo_precision"] or 1
    for toll in ("killed", "wounded"):
        low, best = values[f"{toll}_low"], values[f"{toll}_best"]
        if best is None and low is None:  # not known: merge.combine_tolls gives nothing
            for part in ("low", "best", "high", "civilians", "combatants"):
                out[f"{toll}_{part}"] = None
            continue
        high = values[f"{toll}_high"]
        out[f"{toll}_high"] = high if high is not None else best
        for part in ("civilians", "combatants"):
            said = values[f"{toll}_{part}"]
            out[f"{toll}_{part}"] = (said if said is None or best is None
                                     else min(said, best))
    sources = list(dict.fromkeys(values["sources"] or []))
    out["sources"] = sources
    contested = (values.get("notes") or "").startswith(CONTESTED_ATTRIBUTION)
    out["confidence"] = ("contested" if contested else "fair" if len(sources) >= 2
                         else "weak")
    return out
