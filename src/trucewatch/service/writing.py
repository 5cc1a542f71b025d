"""Writing incidents: the service assesses them (assess stage), the store writes the rows,
then the analysts' corrections are settled on top (store/effective.py keeps them,
service/corrections.py applies them). Every path that writes an incident's machine
reading (merging, ingest, split and join, withdrawals, corrections, a scenario load)
comes through here, inside its caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from trucewatch.assess import assess_many
from trucewatch.merge import reconcile
from trucewatch.model import Incident, Scenario, Verdict
from trucewatch.service.corrections import VerdictCall, apply_corrections
from trucewatch.store import effective, merging
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
