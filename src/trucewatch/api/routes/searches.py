"""Saved searches: named sets of incident filters, each user's own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from trucewatch.api.deps import LedgerDep, Viewer
from trucewatch.api.errors import ERROR_RESPONSES
from trucewatch.api.filters import to_filter
from trucewatch.api.schemas import (
    Page,
    SavedSearchCreate,
    SavedSearchPublic,
    SavedSearchUpdate,
    SearchFilters,
)
from trucewatch.service import SavedSearch

router = APIRouter(prefix="/api/searches", tags=["saved searches"], responses=ERROR_RESPONSES)
SearchId = Annotated[int, Path(ge=1, le=2**62)]


def _public(search: SavedSearch) -> dict[str, Any]:
    return {"id": search.id, "name": search.name, "filters": search.filters,
            "created_at": search.created_at, "updated_at": search.updated_at}


def _stored(filters: SearchFilters) -> dict[str, Any]:
    to_filter(filters)  # refused now, not when the search is run
    return filters.model_dump(mode="json", exclude_defaults=True)


@router.get("", response_model=Page[SavedSearchPublic])
def list_searches(principal: Viewer, ledger: LedgerDep) -> dict[str, Any]:
    """Your saved searches, by name. Run one by passing its filters to /api/incidents."""
    found = ledger.searches(principal.user.id)
    return {"data": [_public(s) for s in found], "count": len(found)}


@router.post("", response_model=SavedSearchPublic, status_code=status.HTTP_201_CREATED)
def create_search(body: SavedSearchCreate, principal: Viewer, ledger: LedgerDep
                  ) -> dict[str, Any]:
    return _public(ledger.save_search(principal.user.id, body.name,
                                      _stored(body.filters)))


@router.get("/{search_id}", response_model=SavedSearchPublic)
def get_search(search_id: SearchId, principal: Viewer, ledger: LedgerDep) -> dict[str, Any]:
    return _public(ledger.search_named(principal.user.id, search_id))


@router.patch("/{search_id}", response_model=SavedSearchPublic)
def update_search(search_id: SearchId, body: SavedSearchUpdate, principal: Viewer,
                  ledger: LedgerDep) -> dict[str, Any]:
    """Rename a search or replace its filters."""
    current = ledger.search_named(principal.user.id, search_id)
    filters = _stored(body.filters) if body.filters is not None else current.filters
    return _public(ledger.save_search(principal.user.id, body.name or current.name,
                                      filters, search_id))


@router.delete("/{search_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def delete_search(search_id: SearchId, principal: Viewer, ledger: LedgerDep) -> None:
    ledger.delete_search(principal.user.id, search_id)
