"""Read news articles from text and HTML files into Reports.

Every refusal is an InputError naming the file and, where it helps, the byte
or line: a missing, empty, binary, oversized or undecodable file never turns
into a half-read report.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from charset_normalizer import from_bytes

from trucewatch.errors import InputError
from trucewatch.model import Report, implausible_day

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DEFAULT_MAX_BYTES = 50_000_000
MAX_CHAOS = 0.2
MIN_COHERENCE = 0.25
MIN_ARTICLE_WORDS = 5
_HTML_START = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body|<article)", re.IGNORECASE)
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_CONTROL_CHARS = re.compile("[\x01-\x08\x0e-\x1f\x7f]")
# Lines a page copied as text starts with that are the site's, not the article's: a
# breadcrumb ("You are here", "Home > World"), a skip link, a menu. Never a headline.
_NOT_A_TITLE = re.compile(
    r"^(you are here:?|home|menu|main menu|navigation|breadcrumbs?|search|skip to( main)? "
    r"content|share|advertisement|print|close)\s*$|^home\s*[>»›/|]", re.IGNORECASE)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the article files inside named folders (sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in ARTICLE_SUFFIXES)
            )
        else:
            files.append(path)
    return files


def read_document(
    path: str | Path,
    *,
    published: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Report:
    """A Report from a text or HTML file. ``published`` is used when the page has no date."""
    path = Path(path)
    name = str(path)
    try:
        # stat, never open, first: opening a FIFO blocks until a writer comes, and a
        # device such as /dev/zero never ends. stat follows a symlink to what it names.
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(name, "no such file" if not path.is_symlink()
                         else "a symbolic link to a file that does not exist") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a folder; name the files in it or pass the folder to ingest")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(name, f"is {_special_kind(info.st_mode)}, not a file of text or "
                         "HTML; save the article to a file first (or pipe it to '-')")
    if info.st_size > max_bytes:
        raise InputError(
            name,
            f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}; "
            "split it or raise TRUCEWATCH_MAX_INPUT_BYTES",
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # a file that grew since stat is still capped
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise InputError(name, f"file is over the limit of {max_bytes:,} bytes (it grew while "
                         "being read); split it or raise TRUCEWATCH_MAX_INPUT_BYTES")
    return parse_document(data, source=name, published=published,
                          html=path.suffix.lower() in HTML_SUFFIXES or None)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_stdin(*, published: date | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Report:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError("<stdin>", f"input is over the limit of {max_bytes:,} bytes")
    return parse_document(data, source="<stdin>", published=published)


def parse_document(
    data: bytes,
    *,
    source: str,
    published: date | None = None,
    html: bool | None = None,
) -> Report:
    """A Report from raw bytes. ``html`` None means: decide from the content."""
    if published is not None and (wrong := implausible_day(published)):
        raise InputError(source, f"published date {wrong}")
    if not data.strip():
        raise InputError(source, "file is empty")
    text = _decode_utf16(data, source)
    if text is None:
        _refuse_binary(data, source)
        text = decode(data, source)
    check_text(text, source)
    if html is None:
        html = bool(_HTML_START.match(text[:1024].lstrip("\ufeff")))
    if html:
        return _from_html(text, source=source, published=published)
    return _from_text(text, source=source, published=published)


def check_text(text: str, source: str) -> None:
    """Refuse a text no article is: one with a NUL (PostgreSQL cannot store it; past the
    sniffed head it means a damaged file) or another control character (terminal escapes,
    bells: stored, they would act on every screen that shows the report), or only blanks.
    Tab, line ends, form feed and vertical tab are text."""
    if "\x00" in text:
        raise InputError(source, f"NUL byte at character {text.index(chr(0)):,}; the file "
                         "is damaged or not text")
    control = _CONTROL_CHARS.search(text)
    if control:
        raise InputError(source, f"control character U+{ord(control.group()):04X} at "
                         f"character {control.start():,}; the text is damaged or not an "
                         "article")
    if not text.replace("\ufeff", "").strip():  # no-break and other Unicode spaces too
        raise InputError(source, "no text (only a byte-order mark or blank characters)")


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) first; else the encoding charset-normalizer is sure of."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    guess = from_bytes(data[:200_000]).best()
    # Any bytes decode in some single-byte code page; only a guess that reads as a
    # language (coherence) and without noise (chaos) is trusted.
    if guess is None or guess.chaos > MAX_CHAOS or guess.coherence < MIN_COHERENCE:
        raise InputError(
            source,
            f"not valid UTF-8 (first bad byte at offset {first_bad}) and no other encoding "
            "fits; convert the file to UTF-8",
        )
    try:
        return data.decode(guess.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(
            source,
            f"not valid UTF-8 (first bad byte at offset {first_bad}) nor {guess.encoding}; "
            "convert the file to UTF-8",
        ) from exc


def _decode_utf16(data: bytes, source: str) -> str | None:
    """Text saved as UTF-16 with its byte-order mark (Windows tools do): NUL bytes
    everywhere, yet text. None when the data does not start with such a mark."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"starts as UTF-16 but byte {exc.start} is not; convert "
                         "the file to UTF-8") from exc


def _refuse_binary(data: bytes, source: str) -> None:
    head = data[:8192]
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputError(source, f"binary data (NUL byte at offset {nul}), not text or HTML")
    controls = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
    if controls > max(8, len(head) // 50):
        raise InputError(source, "binary data (many control bytes), not text or HTML")


def _from_text(text: str, *, source: str, published: date | None) -> Report:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = next((line.strip() for line in text.splitlines()
                  if line.strip() and not _NOT_A_TITLE.match(line.strip())), None)
    return Report(text=text, title=title, published=published, source=source, kind="article")


def _from_html(markup: str, *, source: str, published: date | None) -> Report:
    import trafilatura  # slow to import; only HTML needs it

    try:
        document = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on hostile markup
        raise InputError(source, f"cannot parse the HTML: {exc}") from exc
    text = getattr(document, "text", None) if document is not None else None
    if not text or len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(source, "no article text found in the HTML page")
    title = getattr(document, "title", None)
    page_date = _parse_iso_date(getattr(document, "date", None))
    body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
    return Report(
        text=body,
        title=title,
        url=getattr(document, "url", None),
        outlet=getattr(document, "sitename", None) or getattr(document, "hostname", None),
        published=page_date or published,
        source=source,
        kind="article",
    )


def _parse_iso_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def iter_documents(
    paths: Iterable[str | Path], *, published: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[tuple[Path, Report | InputError]]:
    """Each file with its Report, or the error that refused it, so a batch goes on."""
    for path in expand_paths(paths):
        try:
            yield path, read_document(path, published=published, max_bytes=max_bytes)
        except InputError as error:
            yield path, error
