"""The one mapping between the domain's claims and incidents and the columns that keep
them, driven by one field table (FIELDS): each column, the attribute it holds and how
it is encoded. Everything that turns an item into column values is made from it: the
ORM writes (store/rows.py), the incidents' bulk writes (store/merging.py, the analysts'
values in store/effective.py) and the importers' fast path (importers/common.py, row
tuples of text and JSON for millions of rows). Reading goes through one function too,
:func:`located_fields`. Knows nothing of SQL, so the importers may use it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from trucewatch.model import Casualties, DatePrecision, EventType, Place

# (column, the expression that reads it off an item ``x``, kind, a claim's own: not an
# incident's). In the expressions ``p`` is the item's place (None when unknown: every
# place column is then null), ``k`` and ``w`` its killed and wounded tolls. Kinds:
# "enum" (its value; null when the enum is), "date" (a date: ISO text on the fast path),
# "list" (a list: JSON text on the fast path), "" (as it is). The order is the fast
# path's (ROW_COLUMNS): importers/acled.py writes its common rows straight in it.
FIELDS: tuple[tuple[str, str, str, bool], ...] = (
    ("event_type", "x.event_type", "enum", False),
    ("event_date", "x.event_date", "date", False),
    ("event_date_end", "x.date_end", "date", True),
    ("date_precision", "x.date_precision", "enum", False),
    ("day_part", "x.day_part", "", False),
    ("location_name", "p.name", "", False),
    ("lat", "p.lat", "", False),
    ("lon", "p.lon", "", False),
    ("admin1", "p.admin1", "", False),
    ("admin2", "p.admin2", "", False),
    ("country", "p.country", "", False),
    ("geo_precision", "p.geo_precision", "", False),
    ("geonames_id", "p.geonames_id", "", False),
    ("location_text", "x.location_text", "", True),
    ("perpetrator", "x.perpetrator", "", False),
    ("perpetrator_actor", "x.perpetrator_actor", "", False),
    ("target", "x.target", "", True),
    ("target_actor", "x.target_actor", "", False),
    ("killed_low", "k.low", "", False),
    ("killed_best", "k.best", "", False),
    ("killed_high", "k.high", "", False),
    ("wounded_low", "w.low", "", False),
    ("wounded_best", "w.best", "", False),
    ("wounded_high", "w.high", "", False),
    ("killed_civilians", "k.civilians", "", False),
    ("killed_combatants", "k.combatants", "", False),
    ("wounded_civilians", "w.civilians", "", False),
    ("wounded_combatants", "w.combatants", "", False),
    ("sources", "x.sources", "list", False),
    ("sources_agree", "x.sources_agree", "", True),
    ("dataset", "x.dataset", "", True),
    ("external_id", "x.external_id", "", True),
    ("exact_type", "x.exact_type", "", True),
    ("notes", "x.notes", "", True),
)
# What claims and incidents share: where and when, what it did, who, the sources.
LOCATED = tuple(f for f in FIELDS if not f[3])
# The claims table's columns as the fast path fills them: every field, then the
# dataset's own codes (``extra``, JSON text) last.
ROW_COLUMNS: tuple[str, ...] = (*(f[0] for f in FIELDS), "extra")


def _expression(source: str, kind: str, *, text: bool) -> str:
    """Python for one column's value; ``text``: as the fast path sends it."""
    if source.startswith("p."):
        source = f"(None if p is None else {source})"
    if kind == "enum":
        return f"(None if (v := {source}) is None else v.value)"
    if kind == "date" and text:
        return f"(v.isoformat() if (v := {source}) else None)"
    if kind == "list":
        return f"dumps({source})" if text else f"list({source})"
    return source


def _compile(name: str, fields: tuple[tuple[str, str, str, bool], ...], *, text: bool) -> Any:
    """A function made from the table, so each item costs one tuple expression (the
    fast path stores hundreds of thousands of rows a second; a loop over the table per
    row would be slower)."""
    values = ",\n        ".join(_expression(s, kind, text=text) for _, s, kind, _ in fields)
    extra = ",\n        dumps(extra)" if text else ""
    source = (f"def {name}(x, extra=None):\n"
              "    p, k, w = x.location, x.killed, x.wounded\n"
              f"    return (\n        {values}{extra},\n    )\n")
    scope: dict[str, Any] = {"dumps": json.dumps}
    exec(compile(source, f"<columns.{name}>", "exec"), scope)
    return scope[name]


_LOCATED_TUPLE = _compile("located_tuple", LOCATED, text=False)
_LOCATED_NAMES = tuple(f[0] for f in LOCATED)
_CLAIM_TUPLE = _compile("claim_tuple", FIELDS, text=False)
_CLAIM_NAMES = tuple(f[0] for f in FIELDS)
# A claim read from a dataset row as ROW_COLUMNS' values (dates as ISO text, lists and
# the dataset's codes as JSON text): what SQLite keeps and PostgreSQL casts from.
encode_claim: Callable[[Any, dict[str, Any]], tuple[Any, ...]] = _compile(
    "encode_claim", FIELDS, text=True)


def located_values(item: Any) -> dict[str, Any]:
    """A claim's or an incident's located columns, as Python values (dates as dates,
    lists as lists) for the ORM and for bulk statements."""
    return dict(zip(_LOCATED_NAMES, _LOCATED_TUPLE(item), strict=True))


def claim_values(claim: Any) -> dict[str, Any]:
    """A claim's columns (all but its evidence and the dataset's codes), as Python
    values."""
    return dict(zip(_CLAIM_NAMES, _CLAIM_TUPLE(claim), strict=True))


def located_fields(get: Callable[[str], Any]) -> dict[str, Any]:
    """The domain's located fields (a claim's or an incident's keyword arguments) from
    stored columns; ``get(column)`` reads one (dates as dates, lists as lists)."""
    place = None
    if get("location_name") is not None:
        place = Place(
            name=get("location_name"), lat=get("lat"), lon=get("lon"), admin1=get("admin1"),
            admin2=get("admin2"), country=get("country"),
            geo_precision=get("geo_precision") or 1, geonames_id=get("geonames_id"),
        )
    precision = get("date_precision")
    return {
        "event_type": EventType(get("event_type")),
        "event_date": get("event_date"),
        "date_precision": DatePrecision(precision) if precision else None,
        "day_part": get("day_part"),
        "location": place,
        "perpetrator": get("perpetrator"),
        "perpetrator_actor": get("perpetrator_actor"),
        "target_actor": get("target_actor"),
        "killed": Casualties(get("killed_low"), get("killed_best"), get("killed_high"),
                             get("killed_civilians"), get("killed_combatants")),
        "wounded": Casualties(get("wounded_low"), get("wounded_best"), get("wounded_high"),
                              get("wounded_civilians"), get("wounded_combatants")),
        "sources": list(get("sources") or []),
    }


def from_text(column: str, value: Any) -> Any:
    """A fast-path value (ROW_COLUMNS') back as a Python value."""
    kind = _KINDS.get(column, "")
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(value) if value else None
    if kind == "list" or column == "extra":
        return json.loads(value)
    return value


_KINDS = {f[0]: f[2] for f in FIELDS}
