"""Incidents: the list with its filters, paging and sorting; one incident with its
evidence. Values are the analysts' where they corrected the machine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any
from weakref import WeakKeyDictionary

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Depends, Response
from pydantic import TypeAdapter
from pydantic_core import to_json

from trucewatch.api.deps import LedgerDep, Reader
from trucewatch.api.errors import ERROR_RESPONSES, described
from trucewatch.api.filters import Cursor, Limit, Offset, incident_filters, to_filter
from trucewatch.api.routes import IncidentId
from trucewatch.api.schemas import (
    CursorPage,
    IncidentDetailPublic,
    IncidentPublic,
    SearchFilters,
)
from trucewatch.edge.present import detail_public, listed_public, provenance_public
from trucewatch.errors import InputError

if TYPE_CHECKING:
    from trucewatch.service import Ledger

router = APIRouter(prefix="/api/incidents", tags=["incidents"], responses=ERROR_RESPONSES)


@router.get("", response_model=CursorPage[IncidentPublic],
            responses={400: described("A cursor this server did not make, or made for "
                                       "another sort.")})
async def list_incidents(
    _reader: Reader, ledger: LedgerDep,
    filters: Annotated[SearchFilters, Depends(incident_filters)],
    limit: Limit = 50, offset: Offset = 0, cursor: Cursor = None,
) -> Response:
    """Incidents matching every filter given, one page at a time: by offset, or by the
    cursor of the page before (next_cursor), which stays fast at any depth and does not
    skip or repeat incidents when new ones are recorded meanwhile. Rejected incidents are
    left out unless include_rejected is true."""
    if cursor and offset:
        raise InputError("offset", "give a cursor or an offset, not both: the cursor "
                         "already says where the page starts")
    where = to_filter(filters)

    def build() -> bytes:
        page = ledger.search_records(where, sort=filters.sort, limit=limit, offset=offset,
                                     cursor=cursor)
        # Records made from the columns in IncidentPublic's shape, its field order, written
        # by pydantic-core's encoder without validating them again (a third of a page's
        # CPU); tests/test_api_listing.py holds them to the schema and to the old way.
        return to_json({
            "data": [listed_public(record, state)
                     for record, state in zip(page.records, page.states, strict=True)],
            "count": page.count, "next_cursor": page.next_cursor})

    # The page as sent, kept while the ledger stays the same (a dashboard's first pages are
    # asked for again and again).
    return await _cached(ledger, ("page", where, filters.sort, limit, offset, cursor), build)


@router.get("/{incident_id}", response_model=IncidentDetailPublic)
async def get_incident(
    incident_id: IncidentId, _reader: Reader, ledger: LedgerDep,
) -> Response:
    """One incident with its claims, the reports they came from (text and evidence
    spans, to highlight where each field was read), the analysts' corrections, and its
    provenance: each claim's dataset and id (ACLED event_id_cnty, UCDP id, GDELT
    GlobalEventID and source URL) or article, actors and notes; how merging combined
    them; which claim set the verdict or a toll, and why; both sides of a contested
    attribution. Kept while the ledger stays the same."""
    def build() -> bytes:
        detail = ledger.incident_detail(incident_id)
        return _DETAIL.dump_json(_DETAIL.validate_python({
            **detail_public(detail),
            "provenance": provenance_public(ledger.provenance(incident_id, detail))}))

    return await _cached(ledger, ("incident", incident_id), build)


# An incident's answer is checked against its schema once, when made, then kept as bytes.
_DETAIL: TypeAdapter[Any] = TypeAdapter(IncidentDetailPublic)


async def _cached(ledger: Ledger, key: tuple[Any, ...], build: Callable[[], bytes]
                  ) -> Response:
    """A kept answer on the event loop (the routes are async for this: no thread-pool hop,
    0.8 -> 0.5 ms CPU a cached detail); a missing one made in a worker thread, BUILDERS at
    a time."""
    hit, body = ledger.read_cache.peek(key)
    if not hit:
        loop = asyncio.get_running_loop()  # one limiter per event loop: per server
        limiter = _BUILDERS.get(loop)
        if limiter is None:
            limiter = _BUILDERS[loop] = CapacityLimiter(BUILDERS)
        body = await to_thread.run_sync(ledger.cached, key, build, limiter=limiter)
    return Response(body, media_type="application/json")


# Answers are made by this many threads at once; the others wait their turn. Making one holds
# the GIL nearly all the time (SQLite reads from the page cache): forty at once, the thread
# pool's default, handed it back and forth at every query and each waited for all the
# others (300 incidents made under 16 clients, wrk: p99 400-675 ms; with 2, 70-160 ms; with
# 1, 150-175 ms, a slow search then holding up every other answer to be made).
BUILDERS = 2
_BUILDERS: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = WeakKeyDictionary()
