"""What the dataset readers share: a streaming row reader that counts bytes and lines,
and the outcome of each row (a claim, as the claims table stores it; a bad row with its
line; or a row of a kind trucewatch does not record).

Files are read row by row with the csv module, so memory stays flat whatever the file's
size. pyarrow's CSV reader was measured no faster on one core for ACLED's 31 text
columns, knows no line numbers to name a bad row by, and its columns would be turned
back into one tuple per row for the database anyway.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar, cast

from trucewatch.actors import ActorDictionary
from trucewatch.errors import InputError
from trucewatch.model import Casualties, Claim, DatePrecision, EventType, Place

Progress = Callable[[int], None]  # called with the number of bytes read so far


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row skipped because it cannot be read; ``line`` is the file's line number."""

    line: int
    problem: str


@dataclass(frozen=True, slots=True)
class Ignored:
    """A row of a kind trucewatch does not record (a protest, a GDELT verbal threat)."""

    line: int
    kind: str


# The claims-table columns a dataset row fills, in the order a Row holds them. The store
# adds the report the file came from and leaves the incident to merging.
ROW_COLUMNS = (
    "event_type", "event_date", "event_date_end", "date_precision", "day_part",
    "location_name", "lat", "lon", "admin1", "admin2", "country", "geo_precision",
    "geonames_id", "location_text", "perpetrator", "perpetrator_actor", "target",
    "target_actor", "killed_low", "killed_best", "killed_high", "wounded_low",
    "wounded_best", "wounded_high", "killed_civilians", "killed_combatants",
    "wounded_civilians", "wounded_combatants", "sources", "sources_agree", "dataset",
    "external_id", "exact_type", "notes", "extra",
)
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

    @classmethod
    def from_claim(cls, line: int, claim: Claim, extra: dict[str, Any]) -> Row:
        """A row from its claim and the dataset's own codes."""
        return cls(line, encode_claim(claim, extra))

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
class HeadedCsvReader:
    """A dataset exported as CSV with a header row (ACLED, UCDP GED): the columns it
    needs, those it keeps when present, and how one row becomes an outcome."""

    dataset: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    row: RowReader

    def read(self, path: Path, actors: Actors, progress: Progress | None = None
             ) -> Iterator[Outcome]:
        return read_table(path, self.required, self.optional, self.row, actors,
                          progress=progress)


# --- files -------------------------------------------------------------------------------


REPLACED = "\ufffd"  # what the text layer reads a byte that is not UTF-8 as
NOT_UTF8 = ("bytes that are not UTF-8: the file must be UTF-8, as its publisher exports it "
            "(convert it, e.g. with iconv -f cp1252 -t utf-8, and import it again)")


class _CheckedReader(io.RawIOBase):
    """A binary stream that reports how many bytes were read (for the progress bar) and
    whether it held bytes that are not UTF-8 (``damaged``): the text layer replaces them
    with U+FFFD, and from then on rows holding one are reported, not stored garbled."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self.raw, self.progress, self.count = raw, progress, 0
        self.damaged = False
        self._carry = b""  # the start of a character cut by the chunk's end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        if self.progress is not None:
            self.progress(self.count)
        # ASCII is UTF-8: most chunks stop at isascii; once damaged, rows are checked.
        if not self.damaged and (self._carry or not data.isascii()):
            chunk = self._carry + data
            try:
                _, used = codecs.utf_8_decode(chunk, "strict", not data)
            except UnicodeDecodeError:
                self.damaged = True
            else:
                self._carry = chunk[used:]
        return len(data)


def open_rows(path: Path, *, delimiter: str = ",", progress: Progress | None = None
              ) -> Iterator[tuple[int, list[str] | BadRow]]:
    """Each row of a CSV (or tab-separated) file with the line it ends on. A .zip holds
    one such file (GDELT publishes its tables zipped). A row the csv module cannot read
    (a quote left open by a truncated download) comes as a BadRow, and reading goes on."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    with path.open("rb") as binary:
        zipped = zipfile.is_zipfile(binary)
        binary.seek(0)
        stream: IO[bytes] = binary
        archive = zipfile.ZipFile(binary) if zipped else None
        if archive is not None:
            members = [m for m in archive.namelist() if not m.endswith("/")]
            if len(members) != 1:
                raise InputError(str(path), f"a zip of one table expected, found {len(members)}")
            stream = archive.open(members[0])
        checked = _CheckedReader(stream, progress)
        text = io.TextIOWrapper(io.BufferedReader(checked, buffer_size=1 << 20),
                                encoding="utf-8", errors="replace", newline="")
        # GDELT's tab-separated tables never quote: a stray quote is part of a field.
        # strict: a quote left open at the end of the file is an error, not a field that
        # swallows the rest of the file.
        reader = csv.reader(text, delimiter=delimiter, strict=delimiter != "\t",
                            quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL)
        try:
            while True:
                try:
                    for row in reader:
                        if checked.damaged and any(REPLACED in field for field in row):
                            yield reader.line_num, BadRow(reader.line_num, NOT_UTF8)
                        else:
                            yield reader.line_num, row
                    return
                except csv.Error as exc:  # the reader goes on from the next line
                    yield reader.line_num, BadRow(reader.line_num, f"unreadable row: {exc}")
        finally:
            if archive is not None:
                archive.close()


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...],
               read_row: Callable[[int, tuple[str, ...], Actors], Read], actors: Actors, *,
               progress: Progress | None = None) -> Iterator[Read | BadRow]:
    """A CSV with a header: checks the header names every required column, then reads
    each row (``read_row`` gets the line and the row's fields laid out as ``required``
    then ``optional``; an optional column the file lacks reads as empty). Columns the
    reader does not know are left alone: publishers add columns over the years."""
    rows = open_rows(path, progress=progress)
    first = next(rows, None)
    if first is None:
        raise InputError(str(path), "empty file: a header row was expected")
    if isinstance(first[1], BadRow):
        raise InputError(str(path), f"unreadable header: {first[1].problem}", 1)
    header = [name.strip().lstrip("\ufeff") for name in first[1]]
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(str(path), f"missing column(s) {', '.join(missing)} in the header", 1)
    width = len(header)
    positions = [header.index(name) for name in required]
    positions += [header.index(name) if name in header else width for name in optional]
    pick = itemgetter(*positions)
    for line, row in rows:
        if isinstance(row, BadRow):
            yield row
        elif len(row) != width:
            if row:  # a blank line is nothing
                yield BadRow(line, f"{len(row)} columns where the header has {width}"
                             + (" (truncated?)" if len(row) < width else ""))
        else:
            row.append("")  # what an absent optional column reads as
            outcome: Read | BadRow
            try:
                outcome = read_row(line, pick(row), actors)
            except RowProblem as problem:
                outcome = BadRow(line, str(problem))
            yield outcome


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
    try:
        value = int(float(text)) if "." in text else int(text)
    except ValueError:
        raise RowProblem(f"bad {column} {text!r}") from None
    if value < 0:
        raise RowProblem(f"negative {column} {value}")
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


def encode_claim(claim: Claim, extra: dict[str, Any]) -> tuple[Any, ...]:
    """A claim read from a dataset row as ROW_COLUMNS' values."""
    place, killed, wounded = claim.location, claim.killed, claim.wounded
    return (
        claim.event_type.value, _iso(claim.event_date), _iso(claim.date_end),
        claim.date_precision.value if claim.date_precision else None, claim.day_part,
        *((place.name, place.lat, place.lon, place.admin1, place.admin2, place.country,
           place.geo_precision, place.geonames_id) if place else (None,) * 8),
        claim.location_text, claim.perpetrator, claim.perpetrator_actor, claim.target,
        claim.target_actor, killed.low, killed.best, killed.high, wounded.low, wounded.best,
        wounded.high, killed.civilians, killed.combatants, wounded.civilians,
        wounded.combatants, json.dumps(claim.sources), claim.sources_agree, claim.dataset,
        claim.external_id, claim.exact_type, claim.notes, json.dumps(extra),
    )


def decode_claim(values: tuple[Any, ...]) -> Claim:
    """The claim a row's values stand for (encode_claim's inverse)."""
    v = dict(zip(ROW_COLUMNS, values, strict=True))
    place = None
    if v["location_name"] is not None:
        place = Place(v["location_name"], v["lat"], v["lon"], v["admin1"], v["admin2"],
                      v["country"], v["geo_precision"], v["geonames_id"])
    return Claim(
        event_type=EventType(v["event_type"]), event_date=_day(v["event_date"]),
        date_end=_day(v["event_date_end"]),
        date_precision=DatePrecision(v["date_precision"]) if v["date_precision"] else None,
        day_part=v["day_part"], location=place, location_text=v["location_text"],
        perpetrator=v["perpetrator"], perpetrator_actor=v["perpetrator_actor"],
        target=v["target"], target_actor=v["target_actor"],
        killed=Casualties(v["killed_low"], v["killed_best"], v["killed_high"],
                          v["killed_civilians"], v["killed_combatants"]),
        wounded=Casualties(v["wounded_low"], v["wounded_best"], v["wounded_high"],
                           v["wounded_civilians"], v["wounded_combatants"]),
        sources=json.loads(v["sources"]), sources_agree=v["sources_agree"],
        dataset=v["dataset"], external_id=v["external_id"], exact_type=v["exact_type"],
        notes=v["notes"],
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
