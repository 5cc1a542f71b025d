"""What the dataset readers share: a streaming row reader that counts bytes and lines,
row hashes, and the outcome of each row (a claim, a bad row with its line, or a row of a
kind trucewatch does not record).

Files are read row by row with the csv module (pandas and pyarrow are not dependencies,
and a chunked DataFrame would be turned back into one object per row anyway), so memory
stays flat whatever the file's size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from trucewatch.actors import ActorDictionary
from trucewatch.errors import InputError
from trucewatch.model import Claim

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


@dataclass(slots=True)
class Row:
    """A claim read from one row, with the hash of the row as read (a re-import compares
    it to tell a changed row from an unchanged one) and the dataset's own codes."""

    line: int
    claim: Claim
    row_hash: str
    extra: dict[str, Any] = field(default_factory=dict)


Outcome = Row | BadRow | Ignored


class RowProblem(ValueError):
    """Raised by a field parser: the message says what is wrong with the row."""


class Actors:
    """Actor names resolved through the scenario's dictionary, each distinct name once
    (a dataset names the same few actors on millions of rows)."""

    def __init__(self, dictionary: ActorDictionary | None) -> None:
        self.dictionary = dictionary
        self._cache: dict[str, str | None] = {}

    def resolve(self, name: str | None) -> str | None:
        if not name or self.dictionary is None:
            return None
        if name not in self._cache:
            actor = self.dictionary.resolve(name)
            self._cache[name] = actor.id if actor else None
        return self._cache[name]


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
    row: Callable[[int, list[str], Actors], Outcome]

    def read(self, path: Path, actors: Actors, progress: Progress | None = None
             ) -> Iterator[Outcome]:
        def parse(line: int, fields: list[str]) -> Outcome:
            try:
                return self.row(line, fields, actors)
            except RowProblem as problem:
                return BadRow(line, str(problem))

        return read_table(path, self.required, self.optional, parse, progress=progress)


# --- files -------------------------------------------------------------------------------


class _CountingReader(io.RawIOBase):
    """A binary stream that reports how many bytes were read, for the progress bar."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self.raw, self.progress, self.count = raw, progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        if self.progress is not None:
            self.progress(self.count)
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
        counted = io.BufferedReader(_CountingReader(stream, progress), buffer_size=1 << 20)
        text = io.TextIOWrapper(counted, encoding="utf-8", errors="replace", newline="")
        # GDELT's tab-separated tables never quote: a stray quote is part of a field.
        # strict: a quote left open at the end of the file is an error, not a field that
        # swallows the rest of the file.
        reader = csv.reader(text, delimiter=delimiter, strict=delimiter != "\t",
                            quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL)
        try:
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield reader.line_num, BadRow(reader.line_num, f"unreadable row: {exc}")
                    continue
                yield reader.line_num, row
        finally:
            if archive is not None:
                archive.close()


def read_table(path: Path, required: tuple[str, ...], optional: tuple[str, ...],
               parse: Callable[[int, list[str]], Outcome], *,
               progress: Progress | None = None) -> Iterator[Outcome]:
    """A CSV with a header: checks the header names every required column, then parses
    each row (``parse`` gets the line and the row's fields laid out as ``required`` then
    ``optional``; an optional column the file lacks reads as empty). Columns the reader
    does not know are left alone: publishers add columns over the years."""
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
    for line, row in rows:
        if isinstance(row, BadRow):
            yield row
        elif len(row) != width:
            if row:  # a blank line is nothing
                yield BadRow(line, f"{len(row)} columns where the header has {width}"
                             + (" (truncated?)" if len(row) < width else ""))
        else:
            row.append("")  # what an absent optional column reads as
            yield parse(line, [row[i] for i in positions])


def row_hash(row: list[str]) -> str:
    return hashlib.blake2b("\x1f".join(row).encode("utf-8"), digest_size=16).hexdigest()


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
