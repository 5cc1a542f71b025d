"""Analyst review: a correction is kept beside the machine's reading, is written into the
ledger when it is made, and survives re-assessment and re-extraction; every action is in
the audit log; votes, triage and saved searches."""

from __future__ import annotations

from datetime import date

import pytest

from api_support import DOUMA_TEXT, Desk, douma_claim
from trucewatch import accounts
from trucewatch.errors import ConflictError, InputError, NotFoundError
from trucewatch.ledger import SCENARIO_FILES
from trucewatch.model import Casualties, Report, Scenario
from trucewatch.scenario import load_scenario, resolve_scenario_path
from trucewatch.store import queries, repository, review
from trucewatch.store.review import Decision, TriageStatus
from trucewatch.store.selection import IncidentFilter


def _uid(desk: Desk, name: str) -> int:
    return accounts.get_user(desk.ledger.db, name).id


def _sc(desk: Desk) -> Scenario:
    return desk.ledger.scenario()


def _view(desk: Desk, incident_id: int) -> queries.IncidentView:
    return queries.incident_detail(desk.ledger.db, incident_id).view


def test_a_correction_is_kept_beside_the_machine_value(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _uid(desk, "ana"),
                   {"killed_best": 3, "killed_high": 3}, "a third death reported next day",
                   scenario=_sc(desk))
    view = _view(desk, desk.douma)
    assert view.incident.killed == Casualties(2, 3, 3)
    [(listed, _)] = [(i, v) for i, v in repository.list_incidents(desk.ledger.db)
                     if i.id == desk.douma]
    assert listed.killed == Casualties(2, 3, 3)  # every reader sees the analyst's toll
    override = view.review.overrides["killed_best"]
    assert (override.machine_value, override.analyst_value, override.user) == (2, 3, "ana")
    assert override.note == "a third death reported next day"


def test_the_verdict_override_wins_and_survives_reassessment(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _uid(desk, "ana"),
                   {"verdict": "not a violation"}, "the target was an HTS depot",
                   scenario=_sc(desk))
    folder = resolve_scenario_path("astana-2017")
    definition = {name: (folder / name).read_text(encoding="utf-8") for name in SCENARIO_FILES}
    repository.save_scenario(desk.ledger.db, load_scenario(folder), definition)
    view = _view(desk, desk.douma)
    assert view.review.overrides["verdict"].machine_value == "violation"
    verdict = view.verdict
    assert verdict is not None and verdict.kind.value == "not a violation"
    assert "HTS depot" in verdict.reasons[-1] and "ana" in verdict.reasons[-1]


def test_corrections_survive_a_new_report_merging_into_the_incident(desk: Desk):
    review.correct(desk.ledger.db, desk.douma, _uid(desk, "ana"),
                   {"location_name": "Douma city", "wounded_best": 12, "wounded_high": 12},
                   scenario=_sc(desk))
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
                   {"event_date": date(2017, 4, 20)}, "the strike was in April", scenario=_sc(desk))
    view = _view(desk, desk.douma)
    assert view.incident.event_date == date(2017, 4, 20)
    assert view.verdict is not None and view.verdict.kind.value != "violation"
    assert "corrections of event_date" in view.verdict.reasons[-1]


def test_revert_restores_the_machine_reading(desk: Desk):
    db, ana = desk.ledger.db, _uid(desk, "ana")
    review.correct(db, desk.douma, ana, {"event_type": "Shelling/artillery/missile attack"},
                   scenario=_sc(desk))
    review.revert(db, desk.douma, ana, "event_type", scenario=_sc(desk))
    assert _view(desk, desk.douma).incident.event_type.value == "Air/drone strike"
    with pytest.raises(NotFoundError, match="no correction"):
        review.revert(db, desk.douma, ana, "event_type", scenario=_sc(desk))


def test_bad_corrections_are_refused_with_the_reason(desk: Desk):
    db, ana = desk.ledger.db, _uid(desk, "ana")
    with pytest.raises(InputError, match="low <= best <= high"):
        review.correct(db, desk.douma, ana, {"killed_low": 5}, scenario=_sc(desk))
    with pytest.raises(InputError, match="cannot be null"):
        review.correct(db, desk.douma, ana, {"verdict": None}, scenario=_sc(desk))
    with pytest.raises(InputError, match="correctable fields"):
        review.correct(db, desk.douma, ana, {"confidence": "fair"}, scenario=_sc(desk))
    with pytest.raises(NotFoundError):
        review.correct(db, 999, ana, {"killed_best": 1}, scenario=_sc(desk))
    entries, count = review.audit(db)
    assert (entries, count) == ([], 0)  # nothing half-written


def test_the_audit_log_lists_every_action_with_who_and_when(desk: Desk):
    db, ana, bea = desk.ledger.db, _uid(desk, "ana"), _uid(desk, "bea")
    review.correct(db, desk.douma, ana, {"killed_best": 3, "killed_high": 3}, scenario=_sc(desk))
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
        views, _ = queries.search_incidents(db, IncidentFilter(review_status=status),
                                            sort="id")
        return [v.incident.id for v in views]

    assert ids("unread") == [desk.douma, desk.daraa, desk.raqqa]
    # Working on it: in progress.
    review.correct(db, desk.douma, ana, {"killed_best": 2}, scenario=_sc(desk))
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
    views, count = queries.search_incidents(db, IncidentFilter())
    assert desk.douma not in [v.incident.id for v in views] and count == 2
    _, with_rejected = queries.search_incidents(db, IncidentFilter(include_rejected=True))
    assert with_rejected == 3
    assert queries.daily_counts(db, zone="eastern-ghouta") == []


def test_filters_apply_to_the_corrected_values(desk: Desk):
    db, ana = desk.ledger.db, _uid(desk, "ana")
    review.correct(db, desk.raqqa, ana, {"event_date": date(2017, 6, 1)}, scenario=_sc(desk))
    views, _ = queries.search_incidents(db, IncidentFilter(date_to=date(2017, 6, 30)))
    assert [v.incident.id for v in views] == [desk.raqqa]
    review.correct(db, desk.daraa, ana, {"verdict": "outside every zone"}, scenario=_sc(desk))
    views, _ = queries.search_incidents(db, IncidentFilter(verdicts=("violation",)))
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


QUERIES: list[tuple[IncidentFilter, str, int, int]] = [
    (IncidentFilter(), "event_date", 50, 0), (IncidentFilter(), "-event_date", 50, 0),
    (IncidentFilter(), "killed", 50, 0), (IncidentFilter(), "-killed", 1, 0),
    (IncidentFilter(), "id", 1, 1),
    (IncidentFilter(zones=("eastern-ghouta",)), "id", 50, 0),
    (IncidentFilter(zones=("south",)), "id", 50, 0),
    (IncidentFilter(agreement="astana-memorandum"), "id", 50, 0),
    (IncidentFilter(verdicts=("violation",)), "id", 50, 0),
    (IncidentFilter(verdicts=("outside every zone", "not a violation")), "id", 50, 0),
    (IncidentFilter(review_status="unread"), "id", 50, 0),
    (IncidentFilter(review_status="in_progress"), "id", 50, 0),
    (IncidentFilter(include_rejected=True), "id", 50, 0),
    (IncidentFilter(q="douma"), "id", 50, 0), (IncidentFilter(q="DOUMA"), "id", 50, 0),
    (IncidentFilter(q="Raqqa"), "id", 50, 0), (IncidentFilter(q="warplanes"), "id", 50, 0),
    (IncidentFilter(event_types=("Air/drone strike",)), "id", 50, 0),
    (IncidentFilter(date_from=date(2017, 7, 4)), "id", 50, 0),
    (IncidentFilter(bbox=(36.0, 33.0, 37.0, 34.0)), "id", 50, 0),
]


def _reference(view: queries.IncidentView, where: IncidentFilter, text_ids: set[int]) -> bool:
    """The filter, read off one incident as the analysts read it (independent of SQL)."""
    incident, verdict, state = view.incident, view.verdict, view.review
    place, day = incident.location, incident.event_date
    tests = [
        where.include_rejected or state.decision is not Decision.REJECTED,
        not where.zones or (verdict is not None and bool(set(where.zones) & set(verdict.zones))),
        not where.agreement or (verdict is not None and where.agreement in verdict.agreements),
        not where.verdicts or (verdict is not None and verdict.kind.value in where.verdicts),
        not where.event_types or incident.event_type.value in where.event_types,
        not where.review_status or state.status.value == where.review_status,
        not where.date_from or (day is not None and day >= where.date_from),
        not where.q or incident.id in text_ids,
    ]
    if where.bbox:
        lon0, lat0, lon1, lat1 = where.bbox
        tests.append(place is not None and place.lat is not None and place.lon is not None
                     and lon0 <= place.lon <= lon1 and lat0 <= place.lat <= lat1)
    return all(tests)


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_the_database_pages_incidents_as_a_reading_of_every_one_would(
    desk: Desk, query: tuple[IncidentFilter, str, int, int]
):
    """The list is filtered, sorted and paged in SQL on the rows, which hold the analysts'
    values; the answer is the one a reading of every incident gives."""
    where, sort, limit, offset = query
    db = desk.ledger.db
    ana = accounts.get_user(db, "ana").id
    review.correct(db, desk.douma, ana, {"killed_low": 9, "killed_best": 9, "killed_high": 9,
                                         "verdict": "not a violation"}, scenario=_sc(desk))
    review.decide(db, desk.raqqa, ana, Decision.REJECTED, note="not a strike")
    review.set_triage(db, desk.daraa, ana, TriageStatus.IN_PROGRESS, assigned_to=ana)
    fast, count = queries.search_incidents(db, where, sort=sort, limit=limit, offset=offset)
    views = [_view(desk, i) for i in (desk.douma, desk.daraa, desk.raqqa)]
    chosen = [v for v in views if _reference(v, where, _text_ids(desk, views, where.q))]
    chosen.sort(key=lambda v: v.incident.id or 0, reverse=sort.startswith("-"))
    value = {"event_date": lambda v: v.incident.event_date,
             "killed": lambda v: v.incident.killed.best,
             "id": lambda v: v.incident.id}[sort.lstrip("-")]
    known = sorted((v for v in chosen if value(v) is not None), key=value,
                   reverse=sort.startswith("-"))  # stable: ties stay in id order
    chosen = known + [v for v in chosen if value(v) is None]  # unknown last
    assert [v.incident.id for v in fast] == [v.incident.id for v in chosen][offset:offset + limit]
    assert count == len(chosen)


def _text_ids(desk: Desk, views: list[queries.IncidentView], q: str | None) -> set[int]:
    """The incidents whose words or reports hold ``q``, any case."""
    needle, found = (q or "").casefold(), set()
    for view in views:
        incident, place = view.incident, view.incident.location
        words = [incident.event_type.value, incident.perpetrator, incident.perpetrator_actor,
                 incident.target_actor, *incident.sources,
                 *(view.verdict.reasons if view.verdict else ())]
        if place is not None:
            words += [place.name, place.admin1, place.admin2]
        reports = queries.incident_detail(desk.ledger.db, incident.id or 0).reports
        words += [text for r in reports for text in (r.title, r.text)]
        if any(needle in word.casefold() for word in words if word):
            found.add(incident.id or 0)
    return found
