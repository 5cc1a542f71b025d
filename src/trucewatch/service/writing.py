"""Writing incidents: the service assesses them (assess stage), the store writes the rows,
then the analysts' corrections are settled on top (store/effective.py keeps them,
service/corrections.py applies them). Every path that writes an incident's machine
reading (merging, ingest, split and join, withdrawals, corrections, a scenario load)
comes through here, inside its caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from trucewatch.assess import assess_many
from trucewatch.assess_batch import (
    MARKER,
    Question,
    assess_questions,
    json_with_place,
    reads_weapons,
    said,
)
from trucewatch.bulk import gc_paused
from trucewatch.columns import LOCATED, located_fields
from trucewatch.merge import reconcile
from trucewatch.merge_blocks import single_incident
from trucewatch.model import Confidence, DatePrecision, EventType, Incident, Scenario, Verdict
from trucewatch.service.corrections import VerdictCall, apply_corrections
from trucewatch.store import effective, merging
from trucewatch.store import merging as store_merging
from trucewatch.store.merging import MergeSummary


def write_incidents(session: Session, incidents: list[Incident], scenario: Scenario | None,
                    summary: MergeSummary, previous: dict[int, int] | None = None,
                    moved: set[int] | None = None) -> None:
    """Assess and store reconciled incidents (store/merging.write_incidents says how the
    rows and claims are written), then settle the analysts' values on them."""
    alive = [i for i in incidents if i.claims]
    verdicts: list[Verdict | None] = (
        list(assess_many(alive, scenario)) if scenario and alive else [None] * len(alive))
    written = merging.write_incidents(session, incidents, verdicts,
                                      scenario.id if scenario else None, summary, previous,
                                      moved)
    settle(session, written, scenario)


def settle(session: Session, incident_ids: Iterable[int | None],
           scenario: Scenario | None) -> None:
    """Write the analysts' values into incident rows just written with the machine's
    reading (those nobody corrected are left as written)."""
    for found in effective.corrections(session, incident_ids):
        call = (VerdictCall(found.verdict_kind, found.verdict_by or "?", found.verdict_note)
                if found.verdict_kind is not None else None)
        incident, verdict = apply_corrections(found.incident, found.verdict, found.values,
                                              call, scenario)
        effective.write(session, incident, verdict, scenario.id if scenario else None)


def rewrite_incidents(session: Session, ids: Iterable[int], scenario: Scenario | None
                      ) -> None:
    """Write the machine's reading of these incidents afresh from their claims, assess
    it and settle the analysts' values on it: after a correction, a revert, or a new
    scenario (whose re-assessment of the rows read the analysts' values)."""
    incidents = [i for i in merging.load_incidents(session, ids) if i.claims]
    for incident in incidents:
        incident.claims.sort(key=_claim_id)  # as they were merged
        reconcile(incident)
    write_incidents(session, incidents, scenario, MergeSummary(), moved=set())


def _claim_id(claim: Any) -> int:
    return claim.id or 0


# --- incidents of one claim each, in bulk ---------------------------------------------------

_LOCATED_NAMES = tuple(f[0] for f in LOCATED)
_LONE_NAMES = (*_LOCATED_NAMES[:-1], "confidence", "sources", "verdict", "verdict_zones",
               "verdict_agreements", "verdict_reasons", "scenario_id", "assessed_at")
_EMPTY = (None, "[]", "[]", "[]")  # no scenario: no verdict


def write_lone(session: Session, rows: list[tuple[Any, ...]], scenario: Scenario | None,
               summary: MergeSummary) -> None:
    """Give each waiting claim of ``rows`` (store/merging.pending_rows' rows that
    merge_blocks found alone) an incident of its own, reconciled and assessed as
    merge.reconcile and assess.assess would (merge_blocks.single_incident, assess_batch,
    block by block), and write them in bulk. A new incident has no correction to settle."""
    at = store_merging.P
    pick = [at[name] for name in _LOCATED_NAMES]
    notes, sources_at = at["notes"], at["sources"]
    values: list[dict[str, Any]] = []
    raw_sources: list[Any] = []
    with gc_paused():  # hundreds of thousands of small objects: no collection midway
        for row in rows:
            found = dict(zip(_LOCATED_NAMES, [row[i] for i in pick], strict=True))
            raw = row[sources_at]
            found["sources"] = store_merging.as_json(raw)
            found["notes"] = row[notes]
            made = single_incident(found)
            values.append(made)
            # The stored JSON text, when reconciling left the list as it was (one source
            # or no repeat): json.dumps' spelling, as the importers write it.
            raw_sources.append(raw if isinstance(raw, str) and found["sources"] is not None
                               and len(made["sources"]) == len(found["sources"])
                               else json.dumps(made["sources"]))
        judged = _judge(values, rows, scenario)
        moment = (store_merging.stored_moment(session, datetime.now(UTC).replace(tzinfo=None))
                  if scenario is not None else None)
        scenario_id = scenario.id if scenario is not None else None
        columns = itemgetter(*_LOCATED_NAMES[:-1], "confidence")
        out = [(*columns(v), sources, *verdict, scenario_id if verdict[0] else None,
                moment if verdict[0] else None)
               for v, sources, verdict in zip(values, raw_sources, judged, strict=True)]
        assert _LOCATED_NAMES[-1] == "sources"
        store_merging.insert_lone_incidents(session, _LONE_NAMES, out,
                                            [row[at["id"]] for row in rows])
    summary.created += len(rows)


class _Told:
    """What assess_batch.said reads of a lone incident's one claim (a dataset row has
    no evidence spans; its perpetrator and sources are the incident's)."""

    __slots__ = ("evidence", "notes", "perpetrator", "perpetrator_actor", "sources")

    def __init__(self, notes: str | None, perpetrator: str | None,
                 perpetrator_actor: str | None, sources: list[str]) -> None:
        self.evidence: list[Any] = []
        self.notes, self.perpetrator = notes, perpetrator
        self.perpetrator_actor, self.sources = perpetrator_actor, sources


def _judge(values: list[dict[str, Any]], rows: list[tuple[Any, ...]],
           scenario: Scenario | None) -> list[tuple[Any, ...]]:
    """Each incident's verdict as its columns (kind, then zones, agreements and reasons
    as JSON text), judged and encoded once per block."""
    if scenario is None:
        return [_EMPTY] * len(values)
    kinds: dict[Any, EventType] = {}
    precisions: dict[Any, DatePrecision | None] = {None: None}
    questions: list[Question] = []
    weapons = reads_weapons(scenario)
    for v in values:
        kind = kinds.get(v["event_type"]) or kinds.setdefault(
            v["event_type"], EventType(v["event_type"]))
        precision = v["date_precision"]
        if precision not in precisions:
            precisions[precision] = DatePrecision(precision)
        questions.append((kind, store_merging.as_date(v["event_date"]), precisions[precision],
                          v["day_part"], v["perpetrator_actor"], v["perpetrator"],
                          v["target_actor"], v["location_name"], v["lat"], v["lon"],
                          v["geo_precision"] or 1, said([_Told(v["notes"], v["perpetrator"],
                                                               v["perpetrator_actor"],
                                                               v["sources"])], weapons)))

    def template(i: int) -> Incident:
        v = values[i]
        fields = located_fields(lambda name: (
            MARKER if name == "location_name" and v[name] is not None
            else store_merging.as_date(v[name]) if name == "event_date" else v[name]))
        return Incident(**fields, confidence=Confidence(v["confidence"]),
                        claims=[store_merging.claim_from_pending(rows[i])])

    blocks, keys = assess_questions(questions, scenario, template)
    encoded = {key: (verdict.kind.value, json.dumps(list(verdict.zones)),
                     json.dumps(list(verdict.agreements)), json.dumps(list(verdict.reasons)))
               for key, verdict in blocks.items()}
    out: list[tuple[Any, ...]] = []
    for key, v in zip(keys, values, strict=True):
        verdict_kind, zones, agreements, reasons = encoded[key]
        out.append((verdict_kind, zones, agreements,
                    json_with_place(reasons, v["location_name"])))
    return out
