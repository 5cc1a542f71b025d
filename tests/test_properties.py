"""Properties that hold for every input, checked with hypothesis on generated cases:
the casualty and date readers and the verdict engine."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trucewatch.assess import assess, assess_many
from trucewatch.extract import extract_claims
from trucewatch.extract.dates import find_event_dates
from trucewatch.extract.numbers import combine, find_figures, parse_number
from trucewatch.model import (
    Casualties,
    DatePrecision,
    EventType,
    Incident,
    Place,
    Report,
    Scenario,
    VerdictKind,
)
from trucewatch.pipeline import default_gazetteer

WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve"]
VIOLATIONS = {VerdictKind.VIOLATION, VerdictKind.PROBABLE_VIOLATION}
fixture_ok = settings(suppress_health_check=[HealthCheck.function_scoped_fixture],
                      deadline=None, max_examples=150)


# --- casualty counts ---------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["killed", "wounded"]))
def test_a_stated_number_is_read_exactly(n: int, verb: str):
    figures = find_figures(f"At least {n:,} people were {verb} in the strike.")
    assert [(f.kind, f.low, f.best) for f in figures] == [(verb, n, n)]


@given(st.integers(min_value=1, max_value=12))
def test_number_words_read_as_their_digits(n: int):
    assert parse_number(WORDS[n - 1]) == n
    [figure] = find_figures(f"{WORDS[n - 1].capitalize()} civilians were killed.")
    assert (figure.low, figure.best, figure.high) == (n, n, n)


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=500))
def test_a_range_keeps_its_ends_in_order(a: int, b: int):
    low, high = sorted((a, b))
    assume(low > 0)
    [figure] = find_figures(f"Between {low} and {high} people were killed.")
    assert figure.low == low and figure.high == high and figure.low <= figure.best <= high


@given(st.integers(min_value=1, max_value=10_000))
def test_more_than_n_is_at_least_n_plus_one_with_no_upper_bound(n: int):
    [figure] = find_figures(f"More than {n} people were killed.")
    assert (figure.low, figure.best, figure.high) == (n + 1, n + 1, None)


@given(st.integers(min_value=1, max_value=1_000))
def test_killed_and_wounded_together_give_neither(n: int):
    assert find_figures(f"The shelling killed and wounded {n} people.") == []


@given(st.lists(st.integers(min_value=0, max_value=1_000), min_size=1, max_size=6))
def test_combined_tolls_keep_low_best_high_in_order(counts: list[int]):
    sentence = " ".join(f"{n} people were killed, a source said." for n in counts)
    toll = combine([f for f in find_figures(sentence) if f.kind == "killed"])
    assert isinstance(toll, Casualties)
    assert toll.low == min(counts) and toll.best in counts
    assert toll.low <= toll.best and (toll.high is None or toll.best <= toll.high)


# --- dates -------------------------------------------------------------------------------


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
def test_a_weekday_is_within_the_week_before_publication(published: date):
    weekday = published.strftime("%A")
    for days_back in range(7):
        name = (published - timedelta(days=days_back)).strftime("%A")
        [found] = find_event_dates(f"The strike happened on {name}.", published)
        assert found.day == published - timedelta(days=days_back)
        assert found.precision is DatePrecision.DAY
    # The publication's own weekday is that day, not a week back.
    [found] = find_event_dates(f"Shelling resumed late on {weekday}.", published)
    assert found.day == published


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)))
def test_yesterday_is_the_day_before_and_an_explicit_date_is_itself(published: date):
    [yesterday] = find_event_dates("The raid took place yesterday.", published)
    assert yesterday.day == published - timedelta(days=1)
    day = published - timedelta(days=3)
    written = f"on {day.day} {day.strftime('%B')} {day.year}"
    [explicit] = find_event_dates(f"The attack came {written}.", published)
    assert explicit.day == day


@given(st.text(max_size=300))
def test_date_reading_never_raises(text: str):
    for found in find_event_dates(text, date(2017, 7, 4)):
        assert found.day is None or isinstance(found.day, date)


@settings(deadline=None, max_examples=60)
@given(st.text(max_size=2_000))
def test_extraction_never_raises_on_any_text(text: str):
    for claim in extract_claims(Report(text=text, published=date(2017, 7, 4)),
                                gazetteer=default_gazetteer()):
        assert claim.event_type in EventType


# --- the verdict engine -------------------------------------------------------------------

points_anywhere = st.tuples(st.floats(min_value=-3.0, max_value=7.0),
                            st.floats(min_value=-2.0, max_value=8.0))
days = st.dates(min_value=date(2019, 6, 1), max_value=date(2020, 6, 30))
acts = st.sampled_from(sorted(EventType, key=lambda e: e.value))
actors = st.sampled_from([None, "gov", "ally", "rebels", "jihadists", "outsider"])


def incident(lon: float, lat: float, day: date | None, kind: EventType,
             actor: str | None, precision: int = 1) -> Incident:
    return Incident(event_type=kind, event_date=day,
                    location=Place("p", lat=lat, lon=lon, geo_precision=precision),
                    perpetrator_actor=actor)


@fixture_ok
@given(points_anywhere, days, acts, actors)
def test_outside_every_zone_is_never_a_violation(
    toy_scenario: Scenario, point: tuple[float, float], day: date, kind: EventType,
    actor: str | None,
):
    lon, lat = point
    # The toy zones lie between 0 and 4 east and 0 and 6 north; 20 km and more away:
    assume(lon < -0.2 or lon > 4.2 or lat < -0.2 or 1.2 < lat < 4.8 or lat > 6.2)
    verdict = assess(incident(lon, lat, day, kind, actor), toy_scenario)
    assert verdict.kind not in VIOLATIONS


@fixture_ok
@given(points_anywhere, acts, actors, st.sampled_from([1, 2, 3]))
def test_an_unknown_date_is_always_undetermined(
    toy_scenario: Scenario, point: tuple[float, float], kind: EventType, actor: str | None,
    precision: int,
):
    verdict = assess(incident(*point, None, kind, actor, precision), toy_scenario)
    assert verdict.kind is VerdictKind.UNDETERMINED and verdict.reasons


@fixture_ok
@given(points_anywhere, days, acts)
def test_an_excluded_or_unbound_perpetrator_never_violates(
    toy_scenario: Scenario, point: tuple[float, float], day: date, kind: EventType,
):
    for actor in ("jihadists", "outsider"):
        verdict = assess(incident(*point, day, kind, actor), toy_scenario)
        assert verdict.kind not in VIOLATIONS


@fixture_ok
@given(st.lists(st.tuples(points_anywhere, days, acts, actors), min_size=1, max_size=25))
def test_bulk_assessment_agrees_with_one_by_one(
    toy_scenario: Scenario,
    cases: list[tuple[tuple[float, float], date, EventType, str | None]],
):
    incidents = [incident(*point, day, kind, actor) for point, day, kind, actor in cases]
    bulk = assess_many(incidents, toy_scenario)
    assert [v.kind for v in bulk] == [assess(i, toy_scenario).kind for i in incidents]
    assert all(v.reasons for v in bulk)
