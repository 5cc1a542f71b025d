"""A view of the ledger as the dashboard draws it, with the incident list's filters: the
map's incidents binned into grid cells for a zoom level (or one by one when few), the
violations over time binned by day, week or month, and the view exported as a file."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from trucewatch.api.deps import LedgerDep, Reader, ScenarioDep
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import incident_filters, to_filter
from trucewatch.api.schemas import SearchFilters
from trucewatch.service import ExportFormat, IncidentFilter, Ledger
from trucewatch.service.overview import MAX_ZOOM

router = APIRouter(tags=["overview"], responses=ERROR_RESPONSES)
Filters = Annotated[SearchFilters, Depends(incident_filters)]
MEDIA = {ExportFormat.acled_csv: ("text/csv; charset=utf-8", "csv"),
         ExportFormat.geojson: ("application/geo+json", "geojson"),
         ExportFormat.jsonl: ("application/x-ndjson", "jsonl")}


class CellPublic(BaseModel):
    lat: float
    lon: float
    count: int
    violations: int
    south: float
    west: float
    north: float
    east: float
    incident_id: int | None
    verdict: str | None


class MapPointPublic(BaseModel):
    id: int
    lat: float
    lon: float
    verdict: str | None
    event_type: str
    event_date: date | None
    date_precision: str | None
    location_name: str | None
    killed_best: int | None


class MapPublic(BaseModel):
    located: int
    cell_size: float
    cells: list[CellPublic]
    points: list[MapPointPublic]


class TimelineBinPublic(BaseModel):
    start: date
    zone: str
    violations: int
    probable_violations: int


class AggregateBinPublic(BaseModel):
    """Aggregate reports' counts (service/aggregates.py): acts counted, and those in counts
    judged violations or probable violations."""

    start: date
    zone: str
    reported: int
    violations: int
    probable_violations: int


class TimelinePublic(BaseModel):
    unit: Literal["day", "week", "month"]
    date_from: date | None
    date_to: date | None
    data: list[TimelineBinPublic]
    aggregates: list[AggregateBinPublic] = []


@router.get("/api/map", response_model=MapPublic)
def incident_map(
    _reader: Reader, ledger: LedgerDep, scenario: ScenarioDep, filters: Filters,
    zoom: Annotated[float, Query(ge=0, le=MAX_ZOOM, description="The map's zoom level: a "
                                 "cell is about 48 pixels wide at it.")],
    max_points: Annotated[int, Query(ge=0, le=5000, description="Up to this many located "
                                     "incidents come one by one, not in cells.")] = 2000,
) -> Any:
    """The matching incidents that have coordinates (in bbox, when given), counted per
    grid cell of latitude and longitude rounded down at the zoom level, each cell with
    its centre, how many are violations and the box it spans; or, when at most
    max_points match, each incident with its place and verdict."""
    view = ledger.map_view(to_filter(filters), zoom=zoom, max_points=max_points)
    return {"located": view.located, "cell_size": view.cell_size,
            "cells": view.cells, "points": view.points}


@router.get("/api/stats/timeline", response_model=TimelinePublic, tags=["stats"])
def timeline(
    _reader: Reader, ledger: LedgerDep, scenario: ScenarioDep, filters: Filters,
    unit: Annotated[Literal["day", "week", "month"] | None, Query(
        description="The bin; by default a day up to three months of range, a week up "
        "to two years, else a month.")] = None,
) -> dict[str, Any]:
    """Violations and probable violations per zone and bin, of the incidents matching
    the filters (verdicts narrowed to those two). Bins with none are left out."""
    return ledger.timeline(to_filter(filters), unit=unit)


@router.get("/api/export", response_class=StreamingResponse,
            responses={200: {"description": "The file, streamed as it is written.",
                             "content": {"text/csv": {}, "application/geo+json": {},
                                         "application/x-ndjson": {}}}})
def export_view(
    _reader: Reader, ledger: LedgerDep, scenario: ScenarioDep, filters: Filters,
    format: Annotated[ExportFormat, Query(
        description="acled-csv (ACLED's columns), geojson or jsonl (with provenance)")],
) -> StreamingResponse:
    """The incidents matching the filters, as `trucewatch export` writes them."""
    selection = to_filter(filters)
    ledger.db.require_current()
    media, suffix = MEDIA[format]
    return StreamingResponse(
        _stream(ledger, format, selection), media_type=media,
        headers={"Content-Disposition": f'attachment; filename="incidents.{suffix}"'})


class _Pipe:
    """A text stream whose writes a reader takes in chunks from another thread: the
    export writes while the response sends, so a large file starts at once and is never
    held whole in memory. Closing the reader's side makes the next write stop the export."""

    CHUNK = 64 * 1024

    def __init__(self) -> None:
        self.chunks: queue.Queue[str | BaseException | None] = queue.Queue(maxsize=16)
        self.buffer: list[str] = []
        self.size = 0
        self.closed = threading.Event()

    def write(self, text: str) -> int:
        if self.closed.is_set():
            raise BrokenPipeError("the client went away")
        self.buffer.append(text)
        self.size += len(text)
        if self.size >= self.CHUNK:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.buffer:
            self._put("".join(self.buffer))
            self.buffer, self.size = [], 0

    def _put(self, item: str | BaseException | None) -> None:
        while not self.closed.is_set():
            try:
                self.chunks.put(item, timeout=0.5)
                return
            except queue.Full:
                continue


def _stream(ledger: Ledger, fmt: ExportFormat, selection: IncidentFilter) -> Iterator[bytes]:
    pipe = _Pipe()

    def run() -> None:
        try:
            ledger.export(fmt, pipe, selection=selection)  # type: ignore[arg-type]
            pipe.flush()
            pipe._put(None)
        except BaseException as exc:  # handed to the reader, which raises it
            pipe._put(exc)

    worker = threading.Thread(target=run, name="export", daemon=True)
    worker.start()
    try:
        while True:
            item = pipe.chunks.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item.encode("utf-8")
    finally:
        pipe.closed.set()
