"""Re-assessing every stored incident against a scenario just loaded, in bulk: the rows'
columns read a batch at a time (store/reassessing.py), judged block by block
(assess_batch: one verdict per block of incidents asking the same question, the zones
of every distinct town found over coordinate arrays), and the verdicts written with one
statement per batch, each block's verdict encoded once.

Each verdict is the one assess.assess gives the incident as the store's row reads it
(store/repository.located_batches, the object path, reads the same: its own reading, and
its claims only when it is contested or the scenario has weapon zones); the test
tests/test_reassess.py holds the two equal. What a block cannot share goes into its key:
a contested incident's claims (who each blames, on whose word) make its question its own;
the weapons its claims name are part of the question where the scenario has weapon zones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from trucewatch.assess_batch import (
    MARKER,
    Question,
    assess_questions,
    json_with_place,
    reads_weapons,
    said,
)
from trucewatch.bulk import gc_paused
from trucewatch.model import (
    Claim,
    DatePrecision,
    EventType,
    Evidence,
    Incident,
    Place,
    Scenario,
    Span,
)
from trucewatch.store import reassessing
from trucewatch.store.merging import as_date, as_json
from trucewatch.weapons import claim_weapons


@dataclass(slots=True)
class ReassessSummary:
    incidents: int = 0  # incidents re-assessed
    changed: int = 0  # of those, whose verdict changed (the others' is not rewritten)
    blocks: int = 0  # verdicts judged by assess.assess (the rest share a block's)
    with_claims: int = 0  # incidents whose claims' words were read
    own_question: int = 0  # of those, contested: their claims make a block of their own
    weapons_read: int = 0  # incidents whose claims' words were read for the weapons named


class _Told:
    """What assess_batch.said and weapons.claim_weapons read of a stored claim, without
    making a Claim; its sources decoded only when read (a disputed attribution's)."""

    __slots__ = ("_sources", "evidence", "notes", "perpetrator", "perpetrator_actor")

    def __init__(self, row: tuple[Any, ...]) -> None:
        _, _, self.perpetrator, self.perpetrator_actor, self.notes, self._sources, spans = row
        self.evidence = [_Spanned(e["text"]) for e in _decoded(spans)]

    @property
    def sources(self) -> list[str]:
        return _decoded(self._sources)


def _decoded(value: Any) -> list[Any]:
    """A JSON list column as the driver gives it (text on SQLite; "[]" most often)."""
    return [] if value is None or value == "[]" else list(as_json(value) or [])


class _Spanned:
    """An evidence sentence as weapons.claim_weapons reads it (``.span.text``)."""

    __slots__ = ("span",)

    def __init__(self, text: str) -> None:
        self.span = Span(0, 0, text)


def reassess_stored(session: Session, scenario: Scenario,
                    size: int = reassessing.BATCH) -> ReassessSummary:
    """Judge every stored incident against ``scenario`` and write the verdicts, ``size``
    rows at a time. A block judged in one batch is not judged again in the next."""
    every = reads_weapons(scenario)  # weapon zones: every incident's words are read
    moment = datetime.now(UTC).replace(tzinfo=None)
    summary = ReassessSummary()
    # Each block's verdict, encoded: kind, then zones, agreements and reasons as JSON.
    encoded: dict[Any, tuple[str, str, str, str]] = {}
    kinds: dict[str, EventType] = {}
    precisions: dict[str | None, DatePrecision | None] = {None: None}
    # The zones' relations of every place met so far (the same scenario throughout).
    places: dict[tuple[Any, ...], Any] = {}
    with gc_paused(), reassessing.verdict_indexes_set_aside(session, scenario.id):
        for rows in reassessing.incident_batches(session, size):
            told = reassessing.claims_of(session, rows, every=every)
            questions: list[Question] = []
            tolds: list[list[_Told]] = []
            for (incident_id, kind, day, precision, part, actor, perpetrator, target, name,
                 lat, lon, geo, confidence, *_) in rows:
                event = kinds.get(kind) or kinds.setdefault(kind, EventType(kind))
                if precision not in precisions:
                    precisions[precision] = DatePrecision(precision)
                claims = told.get(incident_id)
                tolds.append([_Told(c) for c in claims] if claims else [])
                # The weapons named are asked for by assess_questions, where they count.
                tells = said(tolds[-1], False) if claims else None
                if claims:
                    summary.with_claims += 1
                    summary.own_question += confidence == "contested"
                questions.append((event, as_date(day), precisions[precision], part, actor,
                                  perpetrator, target, name, lat, lon, geo or 1, tells))

            def template(i: int, rows: list[tuple[Any, ...]] = rows,
                         questions: list[Question] = questions,
                         told: dict[int, list[tuple[Any, ...]]] = told) -> Incident:
                return _template(rows[i][0], questions[i], told.get(rows[i][0], []))

            def named(i: int, tolds: list[list[_Told]] = tolds) -> tuple[Any, ...]:
                summary.weapons_read += 1
                return tuple(claim_weapons(tolds[i]))  # type: ignore[arg-type]

            blocks, keys = assess_questions(questions, scenario, template, known=encoded,
                                            weapons=named if every else None, places=places)
            summary.blocks += len(blocks)
            encoded.update({key: (v.kind.value, json.dumps(list(v.zones)),
                                  json.dumps(list(v.agreements)), json.dumps(list(v.reasons)))
                            for key, v in blocks.items()})
            changed: list[tuple[Any, ...]] = []
            for row, key, q in zip(rows, keys, questions, strict=True):
                verdict, zones, agreements, reasons = encoded[key]
                reasons = json_with_place(reasons, row[8], q[1])
                if (verdict, zones, agreements, reasons) != row[13:]:
                    changed.append((row[0], verdict, zones, agreements, reasons))
            reassessing.write_verdicts(session, rows[0][0], rows[-1][0], changed, scenario.id,
                                       moment)
            summary.incidents += len(rows)
            summary.changed += len(changed)
    return summary


def _template(incident_id: int, q: Question, claims: list[tuple[Any, ...]]) -> Incident:
    """The incident a block's first question stands for, its place named MARKER (what
    assess reads of it; store/repository.located_batches reads the same)."""
    (event, day, precision, part, actor, perpetrator, target, name, lat, lon, geo, _) = q
    return Incident(
        event_type=event, event_date=day, date_precision=precision, day_part=part,
        location=None if name is None else Place(MARKER, lat=lat, lon=lon, geo_precision=geo),
        perpetrator=perpetrator, perpetrator_actor=actor, target_actor=target,
        claims=[Claim(EventType(kind), perpetrator=by, perpetrator_actor=by_actor, notes=notes,
                      sources=_decoded(sources),
                      evidence=[Evidence(e["field"], Span(e["start"], e["end"], e["text"]))
                                for e in _decoded(evidence)])
                for _, kind, by, by_actor, notes, sources, evidence in claims],
        id=incident_id)
