"""What the dataset readers share: tables read by their header's names, whichever of
the layouts a publisher has used over the years, and the outcome of each row (a claim,
as the claims table stores it; a bad row with its line; or a row of a kind trucewatch
does not record). Opening and sniffing files is ``files``' work.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from trucewatch.actors import ActorDictionary
from trucewatch.columns import ROW_COLUMNS, encode_claim, from_text, located_fields
from trucewatch.errors import InputError
from trucewatch.importers.files import BadRow, CleanedRow, Progress, open_rows
from trucewatch.model import MAX_TOLL, Claim


@dataclass(frozen=True, slots=True)
class Ignored:
    """A row of a kind trucewatch does not record (a protest, a GDELT verbal threat)."""

    line: int
    kind: str


# The claims-table columns a dataset row fills, in the order a Row holds them. The store
# adds the report the file came from and leaves the incident to merging.
EXTERNAL_ID = ROW_COLUMNS.index("external_id")
# The key in a row's ``extra`` for its version, where the dataset dates its own changes
# (ACLED's timestamp): a re-import never replaces a stored row with an older version.
ROW_VERSION = "timestamp"


@dataclass(slots=True)
class Row:
    """One row read as a claim, held as the claims table stores it: ``values`` in
    ROW_COLUMNS' order, dates as ISO text and lists as JSON text (what SQLite keeps and
    PostgreSQL casts from), so millions of rows reach the database without a model object
    each. ``claim`` and ``extra`` read them back."""

    line: int
    values: tuple[Any, ...]
    # What was repaired to store the row (control characters removed, a toll range put
    # in order): said to the user, never silently.
    repairs: tuple[str, ...] = field(default=())

    @classmethod
    def from_claim(cls, line: int, claim: Claim, extra: dict[str, Any],
                   repairs: tuple[str, ...] = ()) -> Row:
        """A row from its claim and the dataset's own codes."""
        return cls(line, encode_claim(claim, extra), repairs)

    @property
    def external_id(self) -> str:
        return cast(str, self.values[EXTERNAL_ID])

    @property
    def claim(self) -> Claim:
        return decode_claim(self.values)

    @property
    def extra(self) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.values[-1]))


Outcome = Row | BadRow | Ignored
# How a reader makes one row's outcome from its line number, its fields (in the order the
# reader names its columns) and the scenario's actors; it raises RowProblem for a bad row.
RowReader = Callable[[int, tuple[str, ...], "Actors"], Outcome]
Read = TypeVar("Read")  # what a row reader makes of a row


class RowProblem(ValueError):
    """Raised by a field parser: the message says what is wrong with the row."""


class Actors:
    """Actor names resolved through the scenario's dictionary, each distinct name once
    (a dataset names the same few actors on millions of rows). ``ids[name]`` is the
    actor's id, or None for a name the dictionary does not know."""

    def __init__(self, dictionary: ActorDictionary | None) -> None:
        self.dictionary = dictionary
        self.ids = _ActorIds(dictionary)

    def resolve(self, name: str | None) -> str | None:
        return self.ids[name] if name else None


class _ActorIds(dict[str, str | None]):
    """A dict that fills itself: a lookup is one dict access once a name was seen."""

    def __init__(self, dictionary: ActorDictionary | None) -> None:
        super().__init__()
        self.dictionary = dictionary

    def __missing__(self, name: str) -> str | None:
        actor = self.dictionary.resolve(name) if self.dictionary is not None else None
        self[name] = actor.id if actor else None
        return self[name]


class Reader(Protocol):
    @property
    def dataset(self) -> str: ...

    def read(self, path: Path, actors: Actors, progress: Progress | None = None
             ) -> Iterator[Outcome]: ...


@dataclass(frozen=True)
class TableFile:
    """A headed table being read: its path and its header's names, normalised. Given to
    a layout so a row reader can be made for this one file (ACLED's dates need the
    file's own day/month order)."""

    path: Path
    header: list[str]

    def values(self, column: str) -> Iterator[str]:
        """The column's values, read from the file again (for a scan before reading)."""
        index = self.header.index(column)
        rows = open_rows(self.path)
        next(rows, None)
        for _line, row in rows:
            if not isinstance(row, BadRow) and len(row) == len(self.header):
                yield row[index]


@dataclass(frozen=True)
class Layout:
    """One way a publisher laid the table out: the columns it needs, those read when
    present, and how a row reader is made for a file in it."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    bind: Callable[[TableFile], RowReader]


@dataclass(frozen=True)
class HeadedCsvReader:
    """A dataset exported as CSV with a header row (ACLED, UCDP GED): its layouts, tried
    in order (the first whose columns the header has is read), and the other names a
    column has gone by (``aliases``, lower case: old name → today's)."""

    dataset: str
    layouts: tuple[Layout, ...]
    aliases: dict[str, str] = field(default_factory=dict)

    def read(self, path: Path, actors: Actors, progress: Progress | None = None
             ) -> Iterator[Outcome]:
        return read_layouts(path, self.layouts, actors, aliases=self.aliases,
                            progress=progress)


def normalise_header(names: Iterable[str], aliases: dict[str, str]) -> list[str]:
    """Header names as readers know them: any case, spaces and BOM stripped, old names
    turned into today's (unless the file also has today's)."""
    header = [name.strip().lstrip("\ufeff").strip().lower() for name in names]
    present = set(header)
    return [aliases[name] if name in aliases and aliases[name] not in present else name
            for name in header]


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...],
               read_row: Callable[[int, tuple[str, ...], Actors], Read], actors: Actors, *,
               progress: Progress | None = None) -> Iterator[Read | BadRow]:
    """A CSV with one layout (see ``read_layouts``)."""
    layout = Layout("", required, optional, lambda _file: read_row)  # type: ignore[arg-type,return-value]
    return cast(Iterator[Read | BadRow], read_layouts(path, (layout,), actors,
                                                      progress=progress))


def read_layouts(path: Path, layouts: tuple[Layout, ...], actors: Actors, *,
                 aliases: dict[str, str] | None = None, progress: Progress | None = None
                 ) -> Iterator[Outcome]:
    """A CSV with a header: picks the first layout whose required columns the header
    names, then reads each row (the layout's row reader gets the line and the row's
    fields laid out as ``required`` then ``optional``; an optional column the file lacks
    reads as empty). Columns the reader does not know (a pandas index, columns added
    over the years) are left alone, and the order of columns is the file's."""
    rows = open_rows(path, progress=progress)
    first = next(rows, None)
    if first is None:
        raise InputError(str(path), "empty file: a header row was expected")
    if isinstance(first[1], BadRow):
        raise InputError(str(path), f"unreadable header: {first[1].problem}", 1)
    header = normalise_header(first[1], aliases or {})
    layout = next((lay for lay in layouts if all(n in header for n in lay.required)), None)
    if layout is None:
        missing = min(([n for n in lay.required if n not in header] for lay in layouts),
                      key=len)
        raise InputError(str(path), f"missing column(s) {', '.join(missing)} in the header", 1)
    width = len(header)
    positions = [header.index(name) for name in layout.required]
    positions += [header.index(name) if name in header else width for name in layout.optional]
    pick = itemgetter(*positions)
    read_row = layout.bind(TableFile(path, header))
    for line, row in rows:
        if isinstance(row, BadRow):
            yield row
        elif len(row) != width:
            if row:  # a blank line is nothing
                yield BadRow(line, f"{len(row)} columns where the header has {width}"
                             + (" (truncated?)" if len(row) < width else ""))
        else:
            row.append("")  # what an absent optional column reads as
            outcome: Outcome
            try:
                outcome = read_row(line, pick(row), actors)
            except RowProblem as problem:
                outcome = BadRow(line, str(problem))
            if type(row) is CleanedRow and type(outcome) is Row:  # (rare: one check)
                outcome.repairs = (row.repair, *outcome.repairs)
            yield outcome


def row_order(fast: tuple[str, ...], row_columns: tuple[str, ...]) -> itemgetter[Any]:
    """What puts the values of the ``fast`` columns (and one null after them) in the
    order of ``row_columns``, the one field table's (columns.py's ROW_COLUMNS): a column
    added to the table lands in its own place, null, never in another column's. One C
    call a row, where a call with keywords would cost a fifth of the reading."""
    unknown = [name for name in fast if name not in row_columns]
    if unknown:  # a column renamed or dropped in the field table: its value has no place
        raise RuntimeError(f"a fast path fills {unknown}, not columns of the claims "
                           "table (columns.ROW_COLUMNS)")
    null = len(fast)
    return itemgetter(*(fast.index(name) if name in fast else null for name in row_columns))


# --- field parsers -------------------------------------------------------------------------


def parse_day(text: str, column: str, formats: tuple[str, ...] = ()) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        for pattern in formats:
            try:
                return datetime.strptime(text.strip(), pattern).date()
            except ValueError:
                continue
    raise RowProblem(f"bad {column} {text!r}")


def parse_coordinates(lat_text: str, lon_text: str) -> tuple[float, float] | None:
    """(lat, lon), None when both are empty; out of the world's range is a bad row."""
    if not lat_text.strip() and not lon_text.strip():
        return None
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise RowProblem(f"bad coordinates {lat_text!r}, {lon_text!r}") from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise RowProblem(f"coordinates out of range: {lat}, {lon}")
    return lat, lon


def parse_count(text: str, column: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if len(text) > 20:  # no toll has that many digits (and int() refuses thousands)
        raise RowProblem(f"{column} {text[:12]!r}... ({len(text)} characters) is beyond any "
                         f"plausible toll for one event: refused")
    try:
        value = int(float(text)) if "." in text else int(text)
    except (ValueError, OverflowError):  # 'x', 'nan'; 'inf'
        raise RowProblem(f"bad {column} {text!r}") from None
    if value < 0:
        raise RowProblem(f"negative {column} {value}")
    if value > MAX_TOLL:
        raise RowProblem(f"{column} {value:,} is beyond any plausible toll for one event "
                         f"(more than {MAX_TOLL:,}): refused")
    return value


def split_sources(text: str) -> list[str]:
    """ACLED and UCDP list their sources separated by semicolons."""
    if ";" not in text:  # most rows: one source
        text = text.strip()
        return [text] if text else []
    found: list[str] = []
    for part in text.split(";"):
        part = part.strip()
        if part and part not in found:
            found.append(part)
    return found


# --- rows as the claims table stores them ------------------------------------------------

# A string as JSON text, quotes included: json.dumps' own encoder, without json.dumps'
# cost per call (which is more than a fast row's whole reading).
json_text: Callable[[str], str] = json.encoder.encode_basestring_ascii


def json_list(items: list[str]) -> str:
    """``json.dumps(items)`` for a list of strings."""
    return "[" + ", ".join(map(json_text, items)) + "]"


def decode_claim(values: tuple[Any, ...]) -> Claim:
    """The claim a row's values stand for (encode_claim's inverse)."""
    v = {name: from_text(name, value)
         for name, value in zip(ROW_COLUMNS, values, strict=True)}
    return Claim(
        **located_fields(v.get), date_end=v["event_date_end"],
        location_text=v["location_text"], target=v["target"],
        sources_agree=v["sources_agree"], dataset=v["dataset"],
        external_id=v["external_id"], exact_type=v["exact_type"], notes=v["notes"],
    )
