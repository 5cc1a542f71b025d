"""Writing incidents: the service assesses them (assess stage), the store writes the rows,
then the analysts' corrections are settled on top (store/effective.py keeps them,
service/corrections.py applies them). Every path that writes an incident's machine
reading (merging, ingest, split and join, withdrawals, corrections, a scenario load)
comes through here, inside its caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
from trucewatch.merge_blocks import single_incidents
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    Claim,
    Confidence,
    DatePrecision,
    EventType,
    Incident,
    Scenario,
    Verdict,
)
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
# The claims' columns lone_incidents makes incidents from.
LONE_COLUMNS = (*_LOCATED_NAMES, "notes")
_LONE_NAMES = (*_LOCATED_NAMES[:-1], "confidence", "sources", "verdict", "verdict_zones",
               "verdict_agreements", "verdict_reasons", "scenario_id", "assessed_at")


def write_lone(session: Session, rows: list[tuple[Any, ...]], scenario: Scenario | None,
               summary: MergeSummary) -> None:
    """Give each waiting claim of ``rows`` (store/merging.pending_rows' rows that
    merge_blocks found alone) an incident of its own (``lone_incidents``) and point the
    claims at them, in bulk. A new incident has no correction to settle."""
    at = store_merging.P
    with gc_paused():  # hundreds of thousands of small objects: no collection midway
        stored = list(zip(*rows, strict=True))
        columns = {name: stored[at[name]] for name in LONE_COLUMNS}
        names, out = lone_incidents(
            session, columns, lambda i: store_merging.claim_from_pending(rows[i]), scenario)
        store_merging.insert_lone_incidents(session, names, out, list(stored[at["id"]]))
    summary.created += len(rows)


@dataclass(slots=True)
class Judged:
    """What lone_incidents keeps over a run of batches against one scenario: the
    blocks' verdicts, encoded (kind, zones, agreements, reasons), and the zones'
    relations of the places met (assess_batch.assess_questions' ``places``)."""

    verdicts: dict[Any, tuple[str, str, str, str]] = field(default_factory=dict)
    places: dict[tuple[Any, ...], Any] = field(default_factory=dict)


def lone_incidents(session: Session, columns: Mapping[str, Sequence[Any]],
                   claim_of: Callable[[int], Claim], scenario: Scenario | None,
                   judged: Judged | None = None
                   ) -> tuple[tuple[str, ...], list[Sequence[Any]]]:
    """The incidents of claims that are each alone in their blocks (merge_blocks.alone),
    reconciled and assessed as merge.reconcile and assess.assess would
    (merge_blocks.single_incidents, assess_batch, block by block), as the columns
    store/merging.insert_incident_columns writes: (names, a sequence per name).
    ``columns``: the claims' stored columns (the located ones and notes; dates as ISO
    text or dates, sources as JSON text or lists), ``claim_of(i)``: the i-th claim
    (asked of the first of each block only). ``judged``: what the batches before
    judged, kept by the caller over a run of batches against one scenario, so a block
    is judged once and a place's zones found once. The claims are worked as columns:
    a year of ACLED is 166,773 of them, and a dict per claim cost more than the
    reconciling itself."""
    raw = columns["sources"]
    columns = {**columns, "sources": _decoded(raw)}
    made = single_incidents(columns)
    # The stored JSON text, when reconciling left the list as it was (one source or
    # no repeat): json.dumps' spelling, as the importers write it.
    sources = [text if isinstance(text, str) and len(kept) == len(listed)
               else json.dumps(kept)
               for text, listed, kept in zip(raw, columns["sources"], made["sources"],
                                             strict=True)]
    kinds, zones, agreements, reasons = _judge(made, len(raw), claim_of, scenario, judged)
    moment = (store_merging.stored_moment(session, datetime.now(UTC).replace(tzinfo=None))
              if scenario is not None else None)
    scenario_id = scenario.id if scenario is not None else None
    assert _LOCATED_NAMES[-1] == "sources"
    return _LONE_NAMES, [
        *(made[name] for name in _LOCATED_NAMES[:-1]), made["confidence"], sources,
        kinds, zones, agreements, reasons, [scenario_id if kind else None for kind in kinds],
        [moment if kind else None for kind in kinds]]


def _decoded(values: Sequence[Any]) -> list[Any]:
    """JSON columns as the driver gave them, decoded (text on SQLite): each distinct text
    once, a dataset's rows repeating a few lists of outlets."""
    parsed: dict[str, Any] = {}
    out = []
    for value in values:
        if isinstance(value, str):
            found = parsed.get(value)
            if found is None:
                found = parsed[value] = json.loads(value)
            value = found
        out.append(value)
    return out


class _Told:
    """What assess_batch.said reads of a lone incident's one claim (a dataset row has
    no evidence spans; its perpetrator and sources are the incident's)."""

    __slots__ = ("evidence", "notes", "perpetrator", "perpetrator_actor", "sources")

    def __init__(self, notes: str | None, perpetrator: str | None,
                 perpetrator_actor: str | None, sources: list[str]) -> None:
        self.evidence: list[Any] = []
        self.notes, self.perpetrator = notes, perpetrator
        self.perpetrator_actor, self.sources = perpetrator_actor, sources


def _judge(made: dict[str, Sequence[Any]], count: int, claim_of: Callable[[int], Claim],
           scenario: Scenario | None, judged: Judged | None
           ) -> tuple[Sequence[Any], ...]:
    """The incidents' verdicts as four columns (kind, then zones, agreements and reasons
    as JSON text), judged and encoded once per block (``judged``: what earlier batches
    judged, kept by the caller; added to)."""
    if scenario is None:  # no scenario: no verdict
        return [None] * count, ["[]"] * count, ["[]"] * count, ["[]"] * count
    kinds = _each_once(made["event_type"], EventType)
    precisions = _each_once(made["date_precision"],
                            lambda value: None if value is None else DatePrecision(value))
    told = _said(made, reads_weapons(scenario))
    questions: list[Question] = list(zip(
        kinds, map(store_merging.as_date, made["event_date"]), precisions,
        made["day_part"], made["perpetrator_actor"], made["perpetrator"],
        made["target_actor"], made["location_name"], made["lat"], made["lon"],
        [precision or 1 for precision in made["geo_precision"]], told, strict=True))

    def template(i: int) -> Incident:
        fields = located_fields(lambda name: (
            MARKER if name == "location_name" and made[name][i] is not None
            else store_merging.as_date(made[name][i]) if name == "event_date"
            else made[name][i]))
        return Incident(**fields, confidence=Confidence(made["confidence"][i]),
                        claims=[claim_of(i)])

    known = {} if judged is None else judged.verdicts
    blocks, keys = assess_questions(questions, scenario, template, known=known,
                                    places=None if judged is None else judged.places)
    fresh = {key: (verdict.kind.value, json.dumps(list(verdict.zones)),
                   json.dumps(list(verdict.agreements)), json.dumps(list(verdict.reasons)))
             for key, verdict in blocks.items()}
    verdicts = [fresh.get(key) or known[key] for key in keys]
    if judged is not None:  # ("alone" blocks are one incident's, of this batch)
        known.update(item for item in fresh.items() if item[0][0] != "alone")
    # The reasons of a block at a place on a day, once.
    placed: dict[tuple[str, Any, Any], str] = {}
    reasons = []
    for (*_, reason), name, day in zip(verdicts, made["location_name"], made["event_date"],
                                       strict=True):
        found = placed.get((reason, name, day))
        if found is None:
            found = placed[(reason, name, day)] = json_with_place(
                reason, name, store_merging.as_date(day))
        reasons.append(found)
    kind, zones, agreements = ([v[n] for v in verdicts] for n in range(3))
    return kind, zones, agreements, reasons


def _said(made: dict[str, Sequence[Any]], weapons: bool) -> list[Any]:
    """assess_batch.said of each lone incident's one claim. Without weapon zones said
    reads a claim's notes only for whether they contest the attribution, so claims alike
    in that, in their perpetrator and in their sources are told once (a year of ACLED
    rows: a few hundred)."""
    claims = zip(made["notes"], made["perpetrator"], made["perpetrator_actor"],
                 made["sources"], strict=True)
    if weapons:
        return [said([_Told(*claim)], True) for claim in claims]
    once: dict[tuple[Any, ...], Any] = {}
    out = []
    for notes, perpetrator, actor, sources in claims:
        if not (notes or "").startswith(CONTESTED_ATTRIBUTION):
            notes = None
        # (single_incidents gives equal lists of sources one object: id() tells them)
        key = (notes, perpetrator, actor, id(sources))
        found = once.get(key)
        if found is None:
            found = once[key] = said([_Told(notes, perpetrator, actor, sources)], False)
        out.append(found)
    return out


def _each_once(values: Sequence[Any], make: Callable[[Any], Any]) -> list[Any]:
    """``make`` of each value, called once per distinct value (a column of a few kinds)."""
    made: dict[Any, Any] = {}
    return [made[v] if v in made else made.setdefault(v, make(v)) for v in values]
