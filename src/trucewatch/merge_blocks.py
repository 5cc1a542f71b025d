"""Merging as set operations: which waiting claims are alone in their blocks, and the
incident a claim that is alone makes, as column values.

A row of a curated dataset (ACLED, UCDP) is one event by its coders' decision: it never
merges with another row of its dataset (merge.py), only with other sources' claims. In
a year of ACLED imported into a ledger of articles, nearly every row meets no claim of
another source in its blocks, (day, grid cell) and (day, place name), so the merger would
start an incident of its own for each, one object and one comparison at a time. Here the
blocks are joined as sets instead: every claim of *another* source marks the blocks it
could reach; a curated row none of whose blocks is marked is alone, and its incident is
its own columns (``single_incidents``, what merge.reconcile makes of one claim). Only the
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
from collections.abc import Iterable, Mapping, Sequence
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


# --- lone claims' incidents, as columns ------------------------------------------------

_TRUTHY = ("day_part", "perpetrator_actor", "perpetrator", "target_actor")
_PLACE = ("lat", "lon", "admin1", "admin2", "country", "geonames_id")


def single_incidents(columns: Mapping[str, Sequence[Any]]) -> dict[str, Sequence[Any]]:
    """What merge.reconcile makes of incidents of one claim each, from the claims' stored
    columns (``columns``: column name -> the claims' values, sources as lists, notes
    included): the located columns of the incidents and their confidence, as columns.
    Column by column rather than a dict per claim: a year of ACLED is 166,773 lone
    claims, and a dict of 35 names made twice for each cost more than the rest of this."""
    out: dict[str, Sequence[Any]] = dict(columns)
    for name in _TRUTHY:  # reconcile keeps the first truthy value
        out[name] = [value or None for value in columns[name]]
    names = columns["location_name"]
    geo = [precision or 1 for precision in columns["geo_precision"]]
    if None in names:  # no place: every place column is null
        nowhere = [name is None for name in names]
        for name in _PLACE:
            out[name] = [None if no else value
                         for no, value in zip(nowhere, columns[name], strict=True)]
        geo = [None if no else precision for no, precision in zip(nowhere, geo, strict=True)]
    out["geo_precision"] = geo
    for toll in ("killed", "wounded"):
        lows, bests = columns[f"{toll}_low"], columns[f"{toll}_best"]
        # Not known (no low, no best): merge.combine_tolls gives nothing.
        known = [low is not None or best is not None
                 for low, best in zip(lows, bests, strict=True)]
        out[f"{toll}_high"] = [
            (high if high is not None else best) if k else None
            for k, high, best in zip(known, columns[f"{toll}_high"], bests, strict=True)]
        for part in ("civilians", "combatants"):
            out[f"{toll}_{part}"] = [
                (said if said is None or best is None else min(said, best)) if k else None
                for k, said, best in zip(known, columns[f"{toll}_{part}"], bests,
                                         strict=True)]
    # Lists repeat over a dataset's rows (a few outlets): each distinct one once.
    distinct: dict[tuple[str, ...], list[str]] = {}
    sources = []
    for listed in columns["sources"]:
        key = tuple(listed or ())
        found = distinct.get(key)
        if found is None:
            found = distinct[key] = list(dict.fromkeys(key))
        sources.append(found)
    out["sources"] = sources
    out["confidence"] = [
        "contested" if (notes or "").startswith(CONTESTED_ATTRIBUTION)
        else "fair" if len(listed) >= 2 else "weak"
        for notes, listed in zip(columns["notes"], sources, strict=True)]
    return out
