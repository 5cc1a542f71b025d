"""Analyst review: a correction is kept beside the machine's reading, wins on read, and
survives re-assessment and re-extraction; every action is in the audit log; votes,
triage and saved searches."""

from __future__ import annotations

from datetime import date

import pytest

from api_support import DOUMA_TEXT, Desk, douma_claim
from trucewatch import accounts
from trucewatch.errors import ConflictError, InputError, NotFoundError
from trucewatch.ledger import SCENARIO_FILES
from trucewatch.model import Casualties, Report
from trucewatch.scenario import load_scenario, resolve_scenario_path
from trucewatch.store import queries, repository, review
from trucewatch.store.queries import IncidentQuery
from trucewatch.store.review import Decision, TriageStatus


def _uid(desk: Desk, name: str) -> int:
    return accounts.get_user(desk.ledger.db, name).id


def _view(desk: Desk, incident_id: int) -> queries.IncidentView:
    return queries.incident_detail(desk.ledger.db, incident_id, desk.ledger.scenario()).view


def _machine(desk: Desk, incident_id: int) -> tuple[object, object]:
    for incident, verdict in repository.list_incidents(desk.ledger.db):
        if incident.id == incident_id:
            return incident, verdict
    raise AssertionError(incident_id)


def test_a_correction_is_kept_beside_the_machine_value(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _uid(desk, "ana"),
                   {"killed_best": 3, "killed_high": 3}, "a third death reported next day")
    view = _view(desk, desk.douma)
    assert view.incident.killed == Casualties(2, 3, 3)
    machine, _ = _machine(desk, desk.douma)
    assert machine.killed == Casualties(2, 2, 2)  # type: ignore[attr-defined]
    override = view.review.overrides["killed_best"]
    assert (override.machine_value, override.analyst_value, override.user) == (2, 3, "ana")
    assert override.note == "a third death reported next day"


def test_the_verdict_override_wins_and_survives_reassessment(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _uid(desk, "ana"),
                   {"verdict": "not a violation"}, "the target was an HTS depot")
    folder = resolve_scenario_path("astana-2017")
    definition = {name: (folder / name).read_text(encoding="utf-8") for name in SCENARIO_FILES}
    repository.save_scenario(desk.ledger.db, load_scenario(folder), definition)
    _, machine_verdict = _machine(desk, desk.douma)
    assert machine_verdict.kind.value == "violation"  # type: ignore[attr-defined]
    verdict = _view(desk, desk.douma).verdict
    assert verdict is not None and verdict.kind.value == "not a violation"
    assert "HTS depot" in verdict.reasons[-1] and "ana" in verdict.reasons[-1]


def test_corrections_survive_a_new_report_merging_into_the_incident(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _uid(desk, "ana"),
                   {"location_name": "Douma city", "wounded_best": 12, "wounded_high": 12})
    other = douma_claim()
    other.sources = ["the Syrian Observatory for Human Rights"]
    other.killed = Casualties.exact(3)
    result = repository.ingest_report(desk.ledger.db, Report(text=DOUMA_TEXT + " More."),
                                      [other], desk.ledger.scenario())
    assert result.incidents[0][0].id == desk.douma  # merged, and the row was rewritten
    view = _view(desk, desk.douma)
    assert len(view.incident.claims) == 2
    assert view.incident.location is not None and view.incident.location.name == "Douma city"
    assert view.incident.wounded.best == 12
    assert view.incident.killed.high == 3  # the machine's new reading shows through


def test_correcting_a_field_reassesses_the_verdict(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _uid(desk, "ana"),
                   {"event_date": date(2017, 4, 20)}, "the strike was in April")
    view = _view(desk, desk.douma)
    assert view.incident.event_date == date(2017, 4, 20)
    assert view.verdict is not None and view.verdict.kind.value != "violation"
    assert "corrections of event_date" in view.verdict.reasons[-1]


def test_revert_restores_the_machine_reading(desk: Desk):
    db, ana = desk.ledger.db, _uid(desk, "ana")
    review.correct(db, desk.douma, ana, {"event_type": "Shelling/artillery/missile attack"})
    review.revert(db, desk.douma, ana, "event_type")
    assert _view(desk, desk.douma).incident.event_type.value == "Air/drone strike"
    with pytest.raises(NotFoundError, match="no correction"):
        review.revert(db, desk.douma, ana, "event_type")


def test_bad_corrections_are_refused_with_the_reason(desk: Desk):
    db, ana = desk.ledger.db, _uid(desk, "ana")
    with pytest.raises(InputError, match="low <= best <= high"):
        review.correct(db, desk.douma, ana, {"killed_low": 5})
    with pytest.raises(InputError, match="cannot be null"):
        review.correct(db, desk.douma, ana, {"verdict": None})
    with pytest.raises(InputError, match="correctable fields"):
        review.correct(db, desk.douma, ana, {"confidence": "fair"})
    with pytest.raises(NotFoundError):
        review.correct(db, 999, ana, {"killed_best": 1})
    entries, count = review.audit(db)
    assert (entries, count) == ([], 0)  # nothing half-written


def test_the_audit_log_lists_every_action_with_who_and_when(desk: Desk):
    db, ana, bea = desk.ledger.db, _uid(desk, "ana"), _uid(desk, "bea")
    review.correct(db, desk.douma, ana, {"killed_best": 3, "killed_high": 3})
    review.decide(db, desk.douma, ana, Decision.CONFIRMED, "checked against SOHR")
    review.vote(db, desk.douma, bea, 1)
    review.decide(db, desk.raqqa, bea, Decision.REJECTED)
    entries, count = review.audit(db)
    assert count == 5
    assert [(e.action, e.user) for e in entries] == [
        ("reject", "bea"), ("vote", "bea"), ("confirm", "ana"), ("correct", "ana"),
        ("correct", "ana")]
    assert all(e.created_at is not None for e in entries)
    mine, _ = review.audit(db, username="bea")
    assert {e.action for e in mine} == {"vote", "reject"}
    douma, douma_count = review.audit(db, incident_id=desk.douma, limit=2)
    assert douma_count == 4 and len(douma) == 2
    correction = next(e for e in entries if e.field == "killed_best")
    assert (correction.machine_value, correction.analyst_value) == (2, 3)


def test_votes_one_per_analyst_and_changeable(desk: Desk):
    db, ana, bea = desk.ledger.db, _uid(desk, "ana"), _uid(desk, "bea")
    review.vote(db, desk.douma, ana, 1)
    review.vote(db, desk.douma, bea, 1)
    review.vote(db, desk.douma, ana, 1)  # the same vote again counts once
    assert (_view(desk, desk.douma).review.agree, _view(desk, desk.douma).review.disagree) \
        == (2, 0)
    review.vote(db, desk.douma, ana, -1)
    state = _view(desk, desk.douma).review
    assert (state.agree, state.disagree) == (1, 1)
    review.vote(db, desk.douma, bea, None)
    state = _view(desk, desk.douma).review
    assert (state.agree, state.disagree) == (0, 1)
    with pytest.raises(NotFoundError):
        review.vote(db, desk.douma, bea, None)
    with pytest.raises(InputError):
        review.vote(db, desk.douma, bea, 2)


def test_triage_moves_from_unread_to_reviewed_and_filters_the_list(desk: Desk):
    db, ana, bea = desk.ledger.db, _uid(desk, "ana"), _uid(desk, "bea")

    def ids(status: str) -> list[int | None]:
        views, _ = queries.search_incidents(db, IncidentQuery(review_status=status, sort="id"))
        return [v.incident.id for v in views]

    assert ids("unread") == [desk.douma, desk.daraa, desk.raqqa]
    review.correct(db, desk.douma, ana, {"killed_best": 2})  # working on it: in progress
    assert _view(desk, desk.douma).review.assigned_to == "ana"
    review.set_triage(db, desk.daraa, ana, TriageStatus.IN_PROGRESS, assigned_to=bea)
    assert ids("in_progress") == [desk.douma, desk.daraa]
    assert _view(desk, desk.daraa).review.assigned_to == "bea"
    review.set_triage(db, desk.daraa, bea, TriageStatus.REVIEWED)
    review.decide(db, desk.douma, ana, Decision.CONFIRMED)
    assert ids("reviewed") == [desk.douma, desk.daraa]
    assert ids("unread") == [desk.raqqa]
    review.set_triage(db, desk.douma, ana, TriageStatus.UNREAD)
    assert _view(desk, desk.douma).review.decision is None
    assert ids("unread") == [desk.douma, desk.raqqa]


def test_a_rejected_incident_leaves_the_list_and_the_counts(desk: Desk):
    db = desk.ledger.db
    before = queries.daily_counts(db, zone="eastern-ghouta")
    assert [(row["date"], row["violations"]) for row in before] == [(date(2017, 7, 4), 1)]
    review.decide(db, desk.douma, _uid(desk, "ana"), Decision.REJECTED, "background")
    views, count = queries.search_incidents(db, IncidentQuery())
    assert desk.douma not in [v.incident.id for v in views] and count == 2
    _, with_rejected = queries.search_incidents(db, IncidentQuery(include_rejected=True))
    assert with_rejected == 3
    assert queries.daily_counts(db, zone="eastern-ghouta") == []


def test_filters_apply_to_the_corrected_values(desk: Desk):
    db, ana = desk.ledger.db, _uid(desk, "ana")
    review.correct(db, desk.raqqa, ana, {"event_date": date(2017, 6, 1)})
    views, _ = queries.search_incidents(db, IncidentQuery(date_to=date(2017, 6, 30)),
                                        desk.ledger.scenario())
    assert [v.incident.id for v in views] == [desk.raqqa]
    review.correct(db, desk.daraa, ana, {"verdict": "outside every zone"})
    views, _ = queries.search_incidents(db, IncidentQuery(verdicts=("violation",)))
    assert [v.incident.id for v in views] == [desk.douma]


def test_saved_searches_belong_to_their_user(desk: Desk):
    db, ana, bea = desk.ledger.db, _uid(desk, "ana"), _uid(desk, "bea")
    saved = review.save_search(db, ana, "Ghouta strikes", {"zone": "eastern-ghouta"})
    assert review.list_searches(db, ana) == [saved]
    assert review.list_searches(db, bea) == []
    with pytest.raises(ConflictError, match="already"):
        review.save_search(db, ana, "Ghouta strikes", {})
    review.save_search(db, bea, "Ghouta strikes", {})  # the same name, another user: fine
    with pytest.raises(NotFoundError):
        review.get_search(db, bea, saved.id)
    changed = review.save_search(db, ana, "Ghouta", {"zone": "eastern-ghouta", "q": "Douma"},
                                 saved.id)
    assert (changed.id, changed.name, changed.filters["q"]) == (saved.id, "Ghouta", "Douma")
    with pytest.raises(NotFoundError):
        review.delete_search(db, bea, saved.id)
    review.delete_search(db, ana, saved.id)
    assert review.list_searches(db, ana) == []


QUERIES = [
    IncidentQuery(), IncidentQuery(sort="-event_date"), IncidentQuery(sort="killed"),
    IncidentQuery(sort="-killed", limit=1), IncidentQuery(sort="id", offset=1, limit=1),
    IncidentQuery(zone="eastern-ghouta"), IncidentQuery(zone="south"),
    IncidentQuery(agreement="astana-memorandum"), IncidentQuery(verdicts=("violation",)),
    IncidentQuery(verdicts=("outside every zone", "not a violation")),
    IncidentQuery(review_status="unread"), IncidentQuery(review_status="reviewed"),
    IncidentQuery(include_rejected=True), IncidentQuery(q="douma"), IncidentQuery(q="Raqqa"),
    IncidentQuery(q="warplanes"), IncidentQuery(event_type="Air/drone strike"),
    IncidentQuery(date_from=date(2017, 7, 4)), IncidentQuery(bbox=(36.0, 33.0, 37.0, 34.0)),
]


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_the_database_pages_incidents_as_a_reading_of_every_one_would(
    desk: Desk, query: IncidentQuery
):
    """The list is filtered, sorted and paged in SQL for incidents nobody corrected, in
    Python for the corrected; the answer is the one a reading of every incident gives."""
    db = desk.ledger.db
    ana = accounts.get_user(db, "ana").id
    review.correct(db, desk.douma, ana, {"killed_low": 9, "killed_best": 9, "killed_high": 9,
                                         "verdict": "not a violation"})
    review.decide(db, desk.raqqa, ana, Decision.REJECTED, note="not a strike")
    review.set_triage(db, desk.daraa, ana, TriageStatus.IN_PROGRESS, assigned_to=ana)
    scenario = desk.ledger.scenario()
    fast, count = queries.search_incidents(db, query, scenario)
    slow, slow_count = queries._search_in_python(db, query, scenario)
    assert [v.incident.id for v in fast] == [v.incident.id for v in slow]
    assert count == slow_count
