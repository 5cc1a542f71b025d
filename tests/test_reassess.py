"""Loading a scenario re-assesses every stored incident in bulk (service/reassessing.py:
columns read from the rows, verdicts judged block by block, written per batch). Each
stored verdict must be the one assess.assess gives the incident as the object path reads
it from its row (store/repository.located_batches), on the toy scenario and on shipped
ones; a reload after a zone is edited changes exactly the verdicts that edit changes."""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import date, datetime

import pytest
from shapely.geometry import box
from sqlalchemy import select

from test_assess_batch import NOTES, generated
from trucewatch.assess import assess
from trucewatch.assess_batch import reads_weapons
from trucewatch.model import (
    CONTESTED_ATTRIBUTION,
    Confidence,
    Incident,
    Scenario,
    Verdict,
    VerdictKind,
)
from trucewatch.scenario import load_scenario
from trucewatch.service.ingesting import save_scenario
from trucewatch.service.ledger import Ledger
from trucewatch.store import repository
from trucewatch.store.database import Database
from trucewatch.store.rows import _write_located, claim_to_row, verdict_from_row
from trucewatch.store.tables import IncidentRow, ReportRow


def with_twins(incidents: list[Incident], seed: int) -> list[Incident]:
    """The incidents and, for half of them, a twin asking the same question but whose
    claims' notes differ (other weapons, a dispute or none): a block must not join
    what the words set apart."""
    rng = random.Random(seed)
    twins = [dataclasses.replace(i, claims=[dataclasses.replace(c, notes=rng.choice(NOTES))
                                            for c in i.claims])
             for i in incidents[::2] if i.claims]
    return incidents + twins


def stored_ledger(url: str, incidents: list[Incident], seed: int) -> Database:
    """A ledger holding ``incidents`` with their claims, some graded contested."""
    ledger = Ledger(url)
    ledger.init()
    rng = random.Random(seed)
    with ledger.db.transaction() as session:
        report = ReportRow(content_hash="h" * 64, kind="dataset", text="generated")
        session.add(report)
        session.flush()
        for incident in incidents:
            disputed = any((c.notes or "").startswith(CONTESTED_ATTRIBUTION)
                           for c in incident.claims) or len(incident.claims) > 1
            row = IncidentRow(confidence=(
                Confidence.CONTESTED if disputed and rng.random() < 0.8
                else rng.choice([Confidence.FAIR, Confidence.WEAK])).value)
            _write_located(row, incident)
            row.claims = [claim_to_row(c) for c in incident.claims]
            for claim in row.claims:
                claim.report_id = report.id
            session.add(row)
    return ledger.db


def stored_verdicts(db: Database) -> dict[int, Verdict]:
    """The stored verdicts by incident (one missing fails the comparisons: every id is
    in the object path's)."""
    with db.reading() as session:
        return {row.id: verdict for row in session.scalars(select(IncidentRow))
                if (verdict := verdict_from_row(row)) is not None}


def object_path(db: Database, scenario: Scenario) -> dict[int, Verdict]:
    """assess.assess of each incident as its row reads (the per-incident path)."""
    with db.reading() as session:
        return {incident.id: assess(incident, scenario)
                for batch in repository.located_batches(session,
                                                        words=reads_weapons(scenario))
                for incident in batch if incident.id is not None}


# (scenario, box of lat, box of lon, first day, days) where its zones and agreements are.
SHIPPED = {
    "astana-2017": ((32.4, 36.6), (35.6, 38.6), date(2017, 4, 1), 240),
    "donbas-minsk": ((47.1, 49.2), (37.0, 39.9), date(2014, 9, 1), 2400),
}


def test_toy_scenario_batch_verdicts_are_assess_verdicts(store_url: str,
                                                          toy_scenario: Scenario):
    incidents = with_twins(generated(toy_scenario, 1000, seed=5, lat=(-0.5, 6.5),
                                     lon=(-0.5, 4.5), start=date(2019, 12, 20), days=90),
                           seed=5)
    db = stored_ledger(store_url, incidents, seed=5)
    summary = save_scenario(db, toy_scenario, {})
    stored = stored_verdicts(db)
    assert stored == object_path(db, toy_scenario)
    assert summary.incidents == len(incidents)
    assert summary.blocks < len(incidents) / 2  # judged by blocks, not one by one
    assert 0 < summary.own_question <= summary.with_claims
    assert len({v.kind for v in stored.values() if v is not None}) >= 4
    # Every row marked assessed against it, those whose verdict was written with it too.
    with db.reading() as session:
        marks = {(row.scenario_id, row.assessed_at) for row in session.scalars(
            select(IncidentRow))}
    assert len(marks) == 1 and next(iter(marks))[0] == toy_scenario.id, marks
    assert next(iter(marks))[1] is not None


@pytest.mark.slow  # 1,500 incidents judged both ways on real outlines: some 10 s each
@pytest.mark.parametrize("name", list(SHIPPED))
def test_shipped_scenario_batch_verdicts_are_assess_verdicts(tmp_path, name: str):
    scenario = load_scenario(name)
    lat, lon, start, days = SHIPPED[name]
    incidents = with_twins(generated(scenario, 1200, seed=6, lat=lat, lon=lon, start=start,
                                     days=days), seed=6)
    db = stored_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", incidents, seed=6)
    summary = save_scenario(db, scenario, {})
    stored = stored_verdicts(db)
    assert stored == object_path(db, scenario)
    assert summary.blocks < len(incidents)
    kinds = {v.kind for v in stored.values() if v is not None}
    assert {VerdictKind.VIOLATION, VerdictKind.NOT_VIOLATION,
            VerdictKind.OUTSIDE_ZONES} <= kinds, kinds  # reached the rules, not only "outside"
    if reads_weapons(scenario):  # weapons read where a rule can bar them, and they did
        assert 0 < summary.weapons_read < summary.with_claims
        assert any("The reports name" in reason for v in stored.values()
                   for reason in v.reasons)


def test_several_batches_judge_a_block_once(tmp_path, toy_scenario: Scenario):
    from trucewatch.service.reassessing import reassess_stored

    incidents = generated(toy_scenario, 900, seed=8, lat=(-0.5, 6.5), lon=(-0.5, 4.5),
                          start=date(2020, 1, 1), days=20)
    db = stored_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", incidents, seed=8)
    indexes = "SELECT sql FROM sqlite_master WHERE tbl_name = 'incidents' AND type = 'index'"
    with db.reading() as session:
        kept = sorted(map(str, session.connection().exec_driver_sql(indexes).scalars()))
    with db.transaction() as session:  # every verdict new: its indexes set aside, rebuilt
        whole = reassess_stored(session, toy_scenario)
    with db.reading() as session:
        assert sorted(map(str, session.connection().exec_driver_sql(indexes).scalars())) == kept
    assert any("verdict" in sql for sql in kept)
    with db.transaction() as session:
        small = reassess_stored(session, toy_scenario, size=100)
    # Blocks met again in a later batch are not judged again: only "alone" ones are.
    assert small.blocks < whole.blocks * 1.2
    assert stored_verdicts(db) == object_path(db, toy_scenario)


def test_a_reload_after_a_zone_edit_changes_exactly_its_verdicts(tmp_path,
                                                                   toy_scenario: Scenario):
    incidents = generated(toy_scenario, 1500, seed=7, lat=(-0.5, 6.5), lon=(-0.5, 4.5),
                          start=date(2019, 12, 20), days=90)
    db = stored_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", incidents, seed=7)
    save_scenario(db, toy_scenario, {})
    before = stored_verdicts(db)
    # The west zone loses its eastern half: (0.5..1, 0..1) is no longer in any zone.
    west = toy_scenario.zones["west"]
    edited = dataclasses.replace(toy_scenario, zones={**toy_scenario.zones, "west": (
        dataclasses.replace(west, versions=tuple(
            dataclasses.replace(v, geometry=box(0.0, 0.0, 0.5, 1.0)) for v in west.versions)))})
    with db.reading() as session:
        first = {row.id: row.assessed_at for row in session.scalars(select(IncidentRow))}
    save_scenario(db, edited, {})
    after = stored_verdicts(db)
    with db.reading() as session:  # every row judged again, its verdict rewritten or not
        assert all(row.assessed_at is not None
                   and row.assessed_at > (first[row.id] or datetime.min)
                   for row in session.scalars(select(IncidentRow)))
    expected = object_path(db, edited)
    assert after == expected
    changed = {i for i in after if after[i] != before[i]}
    assert len(changed) >= 20
    with db.reading() as session:
        places = {row.id: (row.lon, row.lat, row.geo_precision)
                  for row in session.scalars(select(IncidentRow))}
    strip = box(0.5, 0.0, 1.0, 1.0)
    for i in changed:
        lon, lat, precision = places[i]
        # A town in the strip cut off, or a district (up to 40 km) whose area reached it.
        slack = 0.0 if precision == 1 else 0.5
        assert strip.buffer(slack + 1e-9).contains(box(lon, lat, lon, lat)), (i, places[i])
    unchanged_in_strip = [i for i, (lon, lat, precision) in places.items()
                          if precision == 1 and lon is not None and lat is not None
                          and 0.5 < lon < 1.0 and 0.0 < lat < 1.0
                          and before[i].kind is not VerdictKind.UNDETERMINED
                          and i not in changed and "west" in before[i].zones]
    assert not unchanged_in_strip  # every town judged in the cut-off half moved



def test_the_weapons_prefilter_finds_what_the_patterns_find():
    """weapons._ANY (one search before the ten patterns) must find a text exactly when
    some pattern or a calibre does: news articles, notes, every word of the vocabulary."""
    from pathlib import Path

    from trucewatch import weapons

    corpus = Path(__file__).parent / "fixtures" / "news_corpus"
    texts = [line for path in sorted(corpus.rglob("*.txt"))[:80]
             for line in path.read_text(encoding="utf-8").splitlines()]
    texts += [n for n in NOTES if n] + ["Grad", "grad", "a 122-mm gun", "tankers", "T-72s",
                                        "anti-tank missile", "fuel tank", "Tornado-S"]
    assert len(texts) > 500
    # Every word of the vocabulary as written, in other cases, and with the letters its
    # pattern leaves optional: the quick check (_may_name) must let each through.
    for words in weapons.WORDS.values():
        for word in words:
            plain = re.sub(r"\(\?-i:|\(\?:|[()?]", "", word).replace("|", " ")
            plain = re.sub(r"\[(\w)\w*\]", r"\1", plain)
            texts += [f"with {plain} fire", f"({plain.upper()})", plain.title(),
                      f"{plain}s.", f"{plain}-"]
    texts += ["a 122 millimetre gun", "120MM", "Ka-52s", "\u212aalashnikov rifles"]
    found = 0
    for text in texts:
        expected = any(p.search(text) for p in weapons._PATTERNS.values()) \
            or weapons._CALIBRE.search(text) is not None
        assert (weapons._ANY.search(text) is not None) == expected, text
        assert weapons._may_name(text) or not expected, text
        found += expected
    assert found > 150
    # And it does turn most texts away: a dataset's notes name no weapon.
    notes = [f"On {day} January 2018, armed formations struck Place {day}; {day} killed."
             for day in range(1, 29)]
    assert not any(weapons._may_name(note) for note in notes)


def test_whether_most_verdicts_change_is_told_from_a_sample(tmp_path, monkeypatch,
                                                            toy_scenario: Scenario):
    """Over a large table the share of incidents holding no verdict or another
    scenario's is read from ids spread over the table, not every row."""
    from trucewatch.store import reassessing

    incidents = generated(toy_scenario, 600, seed=9, lat=(-0.5, 6.5), lon=(-0.5, 4.5),
                          start=date(2020, 1, 1), days=20)
    db = stored_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", incidents, seed=9)
    monkeypatch.setattr(reassessing, "_SAMPLE", 20)  # 600 ids: more than ten times it
    with db.reading() as session:
        total, other = reassessing._held_otherwise(session, toy_scenario.id)
    assert 10 <= total <= 20 and other == total  # none judged yet: all would change
    save_scenario(db, toy_scenario, {})
    with db.reading() as session:
        assert reassessing._held_otherwise(session, toy_scenario.id)[1] == 0
        total, other = reassessing._held_otherwise(session, "another")
        assert other == total > 0
