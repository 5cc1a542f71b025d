"""The UCDP API's GED pages as saved to disk: ``{"TotalCount": .., "TotalPages": ..,
"PreviousPageUrl": .., "NextPageUrl": .., "Result": [{event}, ..]}``, each event with
GED's CSV field names. Accepted: one page; one file holding a list of pages or a plain
list of events; a folder of page files, read in name order (page 2 before page 10).

Each event is laid out as the CSV reader lays a row and read by the same row reader,
so both give the same claims. A bad event is named by its page file, the line its
object starts on, and its place in the page's Result list.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trucewatch.errors import InputError
from trucewatch.importers.common import (
    Actors,
    BadRow,
    Outcome,
    Progress,
    Row,
    RowProblem,
    RowReader,
    normalise_header,
)
from trucewatch.importers.files import sniff, strip_controls

_RESULT = re.compile(r'"Result"\s*:\s*\[')


def read_pages(path: Path, required: tuple[str, ...], optional: tuple[str, ...],
               aliases: dict[str, str], read_row: RowReader, actors: Actors,
               progress: Progress | None = None) -> Iterator[Outcome]:
    """The events of every page, in order, as outcomes, each laid out as ``required``
    then ``optional`` (an event without a required field is a bad row)."""
    columns = required + optional
    pages = _page_files(path)
    done = 0
    for page in pages:
        data = page.read_bytes()
        for where, index, event in _events(page, data):
            source = str(page) if page != path else None
            try:
                fields, repaired = _fields(event, columns, aliases)
                missing = [name for name in required if name not in fields]
                if missing:
                    raise RowProblem(f"missing field(s) {', '.join(missing)}")
                outcome = read_row(where, tuple(fields.get(n, "") for n in columns), actors)
            except RowProblem as problem:
                yield BadRow(where, f"Result[{index}]: {problem}", source)
                continue
            if isinstance(outcome, BadRow):
                yield BadRow(outcome.line, f"Result[{index}]: {outcome.problem}", source)
                continue
            if repaired and type(outcome) is Row:
                outcome.repairs = (repaired, *outcome.repairs)
            yield outcome
        done += len(data)
        if progress is not None:
            progress(done)


def _page_files(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    pages = sorted((p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json"),
                   key=lambda p: [int(t) if t.isdigit() else t
                                  for t in re.split(r"(\d+)", p.name)])
    if not pages:
        raise InputError(str(path), "a folder with no .json page of the UCDP API")
    for page in pages:
        if sniff(page) != "json":
            raise InputError(str(page), "not JSON: a folder of UCDP API pages holds only "
                             "their .json files")
    return pages


def _events(page: Path, data: bytes) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """(line the event starts on, its index in its page's Result, the event)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(page), f"bytes that are not UTF-8 at byte {exc.start}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(page), f"not valid JSON: {exc.msg} (column {exc.colno})",
                         exc.lineno) from None
    if isinstance(document, dict):
        lists = [_result(page, document)]
    elif isinstance(document, list) and document and all(
            isinstance(item, dict) and "Result" in item for item in document):
        lists = [_result(page, item) for item in document]
    elif isinstance(document, list):
        lists = [document]
    else:
        raise InputError(str(page), "not a UCDP API page: a JSON object with Result expected")
    starts = _starts(text, document)
    number = 0
    for events in lists:
        for index, event in enumerate(events):
            line = text.count("\n", 0, starts[number]) + 1 if starts else 1
            number += 1
            if not isinstance(event, dict):
                raise InputError(str(page), f"Result[{index}] is not an event object", line)
            yield line, index, event


def _result(page: Path, document: dict[str, Any]) -> list[Any]:
    result = document.get("Result")
    if not isinstance(result, list):
        raise InputError(str(page), "not a UCDP API page: no Result list (an error "
                         "message from the API?)" + (f" {str(document)[:80]!r}"
                                                     if document else ""))
    return result


def _starts(text: str, document: Any) -> list[int] | None:
    """Where each event's object starts in the text, found by decoding the Result lists
    element by element; None if the text cannot be walked that way."""
    decoder = json.JSONDecoder()
    arrays = ([m.end() for m in _RESULT.finditer(text)] if not isinstance(document, list)
              or (document and isinstance(document[0], dict) and "Result" in document[0])
              else [text.index("[") + 1])
    starts: list[int] = []
    try:
        for at in arrays:
            while True:
                while text[at] in " \t\r\n,":
                    at += 1
                if text[at] == "]":
                    break
                starts.append(at)
                _, at = decoder.raw_decode(text, at)
    except (ValueError, IndexError):
        return None
    return starts


def _fields(event: dict[str, Any], columns: tuple[str, ...], aliases: dict[str, str]
            ) -> tuple[dict[str, str], str | None]:
    """The event's values as the CSV holds them, by column name, and what was removed."""
    names = normalise_header(event, aliases)
    fields: dict[str, str] = {}
    removed = 0
    for name, value in zip(names, event.values(), strict=True):
        if value is None:
            text = ""
        elif isinstance(value, bool):
            text = str(int(value))
        elif isinstance(value, (int, float, str)):
            text = str(value)
        else:
            text = json.dumps(value)
        if name in columns and text:
            text, count = strip_controls(text)
            removed += count
        fields.setdefault(name, text)
    return fields, (f"removed {removed} control character(s)" if removed else None)
