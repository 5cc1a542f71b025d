"""Dataset rows stored already in their incidents, in the pass that stores them.

A row of ACLED or UCDP is one event by its coders' decision: it merges with other
sources' claims, never with another row of its dataset (merge.py). When no claim of
another source, merged or waiting, is in reach of its blocks (merge_blocks.alone), the
merger would give it an incident of its own; so the import does that itself: the
incident is reconciled from the row's columns and assessed (writing.lone_incidents), and
it and the row's claim pointing at it go in together, in the batch's one transaction
(on SQLite the incident is made from the claim's row in the database). Rows of a
dataset whose rows merge with each other (GDELT) are merged as merge_pending would, with
the incidents stored on their days, in the same transaction. Either way a row is
written once and never read back, where storing it waiting, reading it again and
pointing it at its incident by an UPDATE cost more than the storing itself. A kill
loses the batch whole, incidents and claims alike. The rows that may meet another
source's claim, or a claim still waiting, wait for ``merge_pending``, as every row did
before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from trucewatch.bulk import gc_paused
from trucewatch.columns import ROW_COLUMNS
from trucewatch.importers.common import decode_claim
from trucewatch.merge import CURATED, claim_range, date_range, merge_claims
from trucewatch.merge_blocks import Block, alone
from trucewatch.model import DatePrecision, Scenario
from trucewatch.service.writing import LONE_COLUMNS, Judged, lone_incidents, write_incidents
from trucewatch.store import merging as store_merging
from trucewatch.store.merging import MergeSummary

_AT = {name: n for n, name in enumerate(ROW_COLUMNS)}
# What an incident of one claim holds that its claim does not: bound when the incident is
# made from the claim's row (store/merging.incidents_from_claims).
GIVEN = ("confidence", "sources", "verdict", "verdict_zones", "verdict_agreements",
         "verdict_reasons", "scenario_id", "assessed_at")
# A row's values as store/merging.claim_from_pending reads a stored row (PENDING_COLUMNS):
# what a row does not hold (its ids, its evidence) from the two values put after it.
_AS_PENDING = itemgetter(*(
    _AT[name] if name in _AT else len(ROW_COLUMNS) + (name == "evidence")
    for name in store_merging.PENDING_COLUMNS))
# A row's block (merge_blocks.Block, dates still text) by one C call.
_BLOCK = itemgetter(*(_AT[name] for name in (
    "dataset", "event_date", "date_precision", "event_date_end", "location_name", "lat",
    "lon", "geo_precision")))


class Linker:
    """store/imports.Link: called by store_batch with a batch's new rows (their values
    in ROW_COLUMNS' order), gives rows their incidents and returns each row's incident
    id (None: the row waits for merge_pending); ``stored`` is called once the rows'
    claims are in. Kept for a whole import, so a block's verdict is judged once for all
    its batches, a place's zones found once.

    - A curated dataset's row alone in its blocks gets an incident of its own. On
      SQLite it is made once the claims are in, in the database, from its claim's row
      with only the columns a claim does not hold bound (its confidence, sources as
      reconciled and verdict: store/merging.incidents_from_claims); on PostgreSQL it
      goes in first, by COPY.
    - Rows of another dataset (GDELT's, which merge with each other) are merged as
      merge_pending would merge them, in the order it takes them (by day, then as
      stored), with the incidents stored on their days: the batch ends with a whole day
      and was looked up (store_batch), and no claim waits in reach (else the rows wait
      too, to be merged with it)."""

    def __init__(self, scenario: Scenario | None) -> None:
        self.scenario = scenario
        self.judged = Judged()
        self._waiting: tuple[Sequence[int], tuple[str, ...], list[Sequence[Any]]] | None = None

    def merges(self, dataset: str) -> bool:
        return dataset not in CURATED

    def __call__(self, session: Session, values: list[tuple[Any, ...]],
                 merged: MergeSummary) -> list[int | None]:
        linked: list[int | None] = [None] * len(values)
        self._waiting = None
        datasets = {row[_AT["dataset"]] for row in values}
        if len(datasets) != 1:
            return linked
        dataset = datasets.pop()
        if self.merges(dataset):
            return self._merged(session, values, merged)
        with gc_paused():
            chosen = self._alone(session, values, dataset)
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
        merged.claims += len(rows)
        merged.created += len(rows)
        return linked

    def stored(self, session: Session) -> None:
        """The batch's claims are in: make the incidents that wait for them (SQLite)."""
        if self._waiting is not None:
            ids, names, out = self._waiting
            self._waiting = None
            store_merging.incidents_from_claims(session, ids, names, out, GIVEN)

    def _merged(self, session: Session, values: list[tuple[Any, ...]],
                merged: MergeSummary) -> list[int | None]:
        """The rows merged with each other and the stored incidents of their days
        (service/merging._merge_claims' way for rows that never were stored)."""
        with gc_paused():
            claims = [store_merging.claim_from_pending(_AS_PENDING((*row, None, "[]")))
                      for row in values]
            spans = [span for claim in claims if (span := claim_range(claim)) is not None]
            if spans and store_merging.waiting_near(
                    session, min(s[0] for s in spans), max(s[1] for s in spans)):
                return [None] * len(values)
            # merge_pending's order: by day (none first), then as stored
            ordered = [claims[n] for n in sorted(range(len(claims)), key=lambda n: (
                claims[n].event_date is not None, claims[n].event_date or date.min, n))]
            rules = store_merging.load_rules(session)
            candidates = store_merging.candidates(session, ordered, {}, rules)
            touched = merge_claims(ordered, into=candidates, rules=rules)
            write_incidents(session, touched, self.scenario, merged, moved=set())
            where = {id(claim): incident.id for incident in touched
                     for claim in incident.claims if claim.id is None}
        merged.claims += len(claims)
        return [where[id(claim)] for claim in claims]

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

