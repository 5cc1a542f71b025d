"""A curated dataset's rows stored already in their incidents, in the pass that stores
them.

A row of ACLED or UCDP is one event by its coders' decision: it merges with other
sources' claims, never with another row of its dataset (merge.py). When no claim of
another source, merged or waiting, is in reach of its blocks (merge_blocks.alone), the
merger would give it an incident of its own; so the import does that itself: the
incident is reconciled from the row's columns and assessed (writing.lone_incidents), and
it and the row's claim pointing at it go in together, in the batch's one transaction
(on SQLite the incident is made from the claim's row in the database). The row is
written once and never read back, where storing it waiting, reading it again and
pointing it at its incident by an UPDATE cost more than the storing itself. A kill
loses the batch whole, incidents and claims alike. The rows that may meet another
source's claim wait for ``merge_pending``, as every row did before.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from trucewatch.bulk import gc_paused
from trucewatch.columns import ROW_COLUMNS
from trucewatch.importers.common import decode_claim
from trucewatch.merge import CURATED, date_range
from trucewatch.merge_blocks import Block, alone
from trucewatch.model import DatePrecision, Scenario
from trucewatch.service.writing import LONE_COLUMNS, Judged, lone_incidents
from trucewatch.store import merging as store_merging

_AT = {name: n for n, name in enumerate(ROW_COLUMNS)}
# What an incident of one claim holds that its claim does not: bound when the incident is
# made from the claim's row (store/merging.incidents_from_claims).
GIVEN = ("confidence", "sources", "verdict", "verdict_zones", "verdict_agreements",
         "verdict_reasons", "scenario_id", "assessed_at")
# A row's block (merge_blocks.Block, dates still text) by one C call.
_BLOCK = itemgetter(*(_AT[name] for name in (
    "dataset", "event_date", "date_precision", "event_date_end", "location_name", "lat",
    "lon", "geo_precision")))


class LoneLinker:
    """store/imports.Link: called by store_batch with a batch's new rows (their values
    in ROW_COLUMNS' order), gives each row alone in its blocks an incident and returns
    each row's incident id (None: the row waits for merging); ``stored`` is called once
    the rows' claims are in. On SQLite the incidents are made then, in the database,
    from their claims' rows with only the columns a claim does not hold bound (its
    confidence, sources as reconciled and verdict: store/merging.incidents_from_claims);
    on PostgreSQL they go in first, by COPY. Kept for a whole import, so a block's
    verdict is judged once for all its batches, a place's zones found once."""

    def __init__(self, scenario: Scenario | None) -> None:
        self.scenario = scenario
        self.judged = Judged()
        self._waiting: tuple[Sequence[int], tuple[str, ...], list[Sequence[Any]]] | None = None

    def __call__(self, session: Session, values: list[tuple[Any, ...]]) -> list[int | None]:
        linked: list[int | None] = [None] * len(values)
        self._waiting = None
        datasets = {row[_AT["dataset"]] for row in values}
        if len(datasets) != 1 or not datasets <= CURATED:
            return linked  # (a GDELT file: its rows merge with each other)
        with gc_paused():
            chosen = self._alone(session, values, datasets.pop())
            if not chosen:
                return linked
            rows = [values[n] for n in chosen]
            stored = list(zip(*rows, strict=True))
            columns = {name: stored[_AT[name]] for name in LONE_COLUMNS}
            names, out = lone_incidents(session, columns, lambda i: decode_claim(rows[i]),
                                        self.scenario, self.judged)
            ids = store_merging.lone_ids(session, len(rows))
            if ids is None:
                ids = store_merging.insert_incident_columns(session, names, out, len(rows))
            else:
                self._waiting = (ids, names, out)
        for n, incident_id in zip(chosen, ids, strict=True):
            linked[n] = incident_id
        return linked

    def stored(self, session: Session) -> None:
        """The batch's claims are in: make the incidents that wait for them (SQLite)."""
        if self._waiting is not None:
            ids, names, out = self._waiting
            self._waiting = None
            store_merging.incidents_from_claims(session, ids, names, out, GIVEN)

    def _alone(self, session: Session, values: list[tuple[Any, ...]], dataset: str
               ) -> list[int]:
        """The positions of the rows no claim of another source could meet."""
        as_date = store_merging.as_date
        blocks: list[Block] = [
            (ds, as_date(day), precision, as_date(end), name, lat, lon, geo)
            for ds, day, precision, end, name, lat, lon, geo in map(_BLOCK, values)]
        spans = [span for day, precision, end in {block[1:4] for block in blocks}
                 if (span := date_range(day, DatePrecision(precision) if precision else None,
                                        end)) is not None]
        others: list[Block] = []
        if spans:
            others = store_merging.stored_blocks(
                session, min(s[0] for s in spans), max(s[1] for s in spans), {dataset},
                waiting=True)
        flags = alone(blocks, others)
        return [n for n, flag in enumerate(flags)
                if flag and values[n][_AT["external_id"]] is not None]

