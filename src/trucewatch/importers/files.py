"""Opening a dataset file: what it really is, told from its first bytes rather than its
name, and its rows read one by one with the line each ends on.

A file that is not the table it claims to be (an empty download, a Git LFS pointer
checked out without its content, an HTML error or login page saved under the data's
name, a text file named .zip, a spreadsheet workbook, UTF-16 text) is refused in one
line that says what it is. A gzip'd table is read as it is; a .zip holding one table too.

Files are read row by row with the csv module, so memory stays flat whatever the file's
size. pyarrow's CSV reader was measured no faster on one core for ACLED's 31 text
columns, knows no line numbers to name a bad row by, and its columns would be turned
back into one tuple per row for the database anyway.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from trucewatch.errors import InputError

Progress = Callable[[int], None]  # called with the number of bytes read so far

REPLACED = "\ufffd"  # what the text layer reads a byte that is not UTF-8 as
NOT_UTF8 = ("bytes that are not UTF-8: the file must be UTF-8, as its publisher exports it "
            "(convert it, e.g. with iconv -f cp1252 -t utf-8, and import it again)")
# C0 control characters and DEL, less the tab and line ends a CSV legitimately holds:
# never part of a name, a note or a number, they come from damaged files (a download
# padded with NULs) and would be stored invisible.
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LFS_POINTER = b"version https://git-lfs.github.com/spec/"
MAX_RATIO = 100  # how many times its size a zip or gzip may unpack to


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row skipped because it cannot be read; ``line`` is the file's line number, in
    ``source`` when that is not the file named on the command line (a folder's page)."""

    line: int
    problem: str
    source: str | None = None


class CleanedRow(list[str]):
    """A row whose fields had control characters removed; ``repair`` says which."""

    repair: str


def strip_controls(text: str) -> tuple[str, int]:
    """The text without control characters, and how many were removed."""
    return _CONTROL.subn("", text)


def clean_row(row: list[str]) -> list[str]:
    """The row as it is, or a CleanedRow saying what was removed."""
    if not any(_CONTROL.search(field) for field in row):
        return row
    found = sorted({f"U+{ord(c):04X}" for field in row for c in _CONTROL.findall(field)})
    cleaned = CleanedRow(_CONTROL.sub("", field) for field in row)
    removed = sum(len(_CONTROL.findall(field)) for field in row)
    cleaned.repair = f"removed {removed} control character(s) ({', '.join(found)})"
    return cleaned


def sniff(path: Path) -> str:
    """What the file holds: "zip", "gzip", "json" or "text"; InputError for a file that
    is not a table at all, naming what it is instead."""
    if path.is_dir():
        raise InputError(str(path), "a folder, not a file")
    if not path.is_file():
        # Never opened: a named pipe would block until a writer came, /dev/zero never end.
        kind = _special_kind(path)
        raise InputError(str(path), f"{kind}, not a data file" if kind else "no such file")
    with path.open("rb") as handle:
        head = handle.read(512)
    if not head:
        raise InputError(str(path), "empty file (0 bytes): the download or export did not "
                         "finish")
    suffix = path.suffix.lower()
    if head.startswith(LFS_POINTER):
        raise InputError(str(path), "a Git LFS pointer, not the data: fetch the file itself "
                         "(git lfs pull) and import that")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if not zipfile.is_zipfile(path):
            raise InputError(str(path), "a damaged zip archive (cut short?): download it "
                             "again")
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
            raise InputError(str(path), f"a damaged zip archive ({exc}): download it "
                             "again") from None
        if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
            raise InputError(str(path), "a spreadsheet workbook (.xlsx), not CSV: save it as "
                             "CSV (UTF-8) and import that")
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(str(path), "UTF-16 text: save the file as UTF-8 and import it again")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml", b"<error")):
        raise InputError(str(path), "an HTML or XML page, not a data file: the download "
                         "probably saved an error or login page")
    if suffix in (".zip", ".gz"):
        raise InputError(str(path), f"named {suffix} but not a {suffix[1:]} archive: it "
                         f"begins {head[:40].decode('utf-8', 'replace')!r}")
    if start.startswith((b"{", b"[")):
        return "json"
    return "text"


def _zip(binary: IO[bytes], path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(binary)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise InputError(str(path), f"a damaged zip archive ({exc}): download it again"
                         ) from None


def _special_kind(path: Path) -> str | None:
    """What a path that is not a regular file is (followed through links), or None."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a symbolic link to nothing" if path.is_symlink() else None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


class _CheckedReader(io.RawIOBase):
    """A binary stream that reports how many bytes were read (for the progress bar) and
    whether it held bytes that are not UTF-8 (``damaged``: the text layer replaces them
    with U+FFFD, and from then on rows holding one are reported, not stored garbled) or
    control characters (``controls``: from then on rows are checked for them)."""

    def __init__(self, raw: IO[bytes], progress: Progress | None,
                 limit: int | None = None, source: str = "") -> None:
        self.raw, self.progress, self.count = raw, progress, 0
        self.limit, self.source = limit, source  # bytes an archive may unpack to
        self.damaged = self.controls = False
        self._carry = b""  # the start of a character cut by the chunk's end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        self.count += len(data)
        if self.limit is not None and self.count > self.limit:
            raise InputError(self.source, f"an archive that unpacks to more than {MAX_RATIO} "
                             f"times its size (over {self.limit:,} bytes): a zip bomb or a "
                             "damaged file, not read further")
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
        # About 1 ms a megabyte: clean files pay that and no check per row.
        if not self.controls and len(data.translate(None, _CONTROL_BYTES)) != len(data):
            self.controls = True
        return len(data)


def open_rows(path: Path, *, delimiter: str = ",", progress: Progress | None = None
              ) -> Iterator[tuple[int, list[str] | BadRow]]:
    """Each row of a CSV (or tab-separated) file with the line it ends on. A .zip holds
    one such file (GDELT publishes its tables zipped); a gzip'd file is read through. A
    row the csv module cannot read (a quote left open by a truncated download) comes as a
    BadRow, and reading goes on. A row with control characters comes without them, as a
    CleanedRow that says so."""
    kind = sniff(path)
    if kind == "json":
        raise InputError(str(path), "JSON, not " + ("tab-separated text" if delimiter == "\t"
                                                   else "CSV") + ": export the table as CSV")
    with path.open("rb") as binary:
        stream: IO[bytes] = binary
        archive = _zip(binary, path) if kind == "zip" else None
        if archive is not None:
            members = [m for m in archive.namelist() if not m.endswith("/")]
            if len(members) != 1:
                raise InputError(str(path), f"a zip of one table expected, found {len(members)}")
            try:
                stream = archive.open(members[0])
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
                # a header that disagrees with the directory, an unknown compression, a
                # password
                raise InputError(str(path), f"a damaged or unreadable zip archive ({exc})"
                                 ) from None
        elif kind == "gzip":
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=binary))
        # Tables compress 5 to 20 times; a member unpacking far more is a bomb.
        limit = (max(path.stat().st_size, 1 << 16) * MAX_RATIO if kind in ("zip", "gzip")
                 else None)
        checked = _CheckedReader(stream, progress, limit, str(path))
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
                        elif checked.controls:
                            yield reader.line_num, clean_row(row)
                        else:
                            yield reader.line_num, row
                    return
                except csv.Error as exc:  # the reader goes on from the next line
                    yield reader.line_num, BadRow(reader.line_num, f"unreadable row: {exc}")
                # a cut or damaged archive (zlib.error: a deflate stream that is wrong)
                except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                    raise InputError(str(path), f"cannot read on after line "
                                     f"{reader.line_num}: {exc}") from None
        finally:
            if archive is not None:
                archive.close()
