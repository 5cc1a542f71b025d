"""The one field table (trucewatch/columns.py) against the tables it maps, and its ways
there and back agreeing on a claim that fills every field."""

from __future__ import annotations

from datetime import date

from trucewatch.columns import (
    FIELDS,
    LOCATED,
    ROW_COLUMNS,
    claim_values,
    encode_claim,
    located_values,
)
from trucewatch.importers.common import decode_claim
from trucewatch.model import Casualties, Claim, DatePrecision, EventType, Place
from trucewatch.store.rows import claim_from_row, claim_to_row
from trucewatch.store.tables import ClaimRow, IncidentRow, LocatedMixin


def _full_claim() -> Claim:
    return Claim(
        event_type=EventType.SHELLING, event_date=date(2017, 7, 4),
        date_precision=DatePrecision.WEEK, day_part="night",
        location=Place("Douma", 33.57, 36.40, "Rif Dimashq", "Douma", "Syria", 2, 170017),
        location_text="in Douma", perpetrator="regime artillery",
        perpetrator_actor="syrian-government", target="a market", target_actor="civilians",
        killed=Casualties(2, 3, 5, 2, 1), wounded=Casualties(10, 12, 15, 9, 3),
        sources=["SOHR", "a medical source"], sources_agree=True, dataset="acled",
        external_id="SYR1", date_end=date(2017, 7, 6), exact_type=False, notes="shelled",
    )


def test_the_table_names_the_tables_columns():
    claims = set(ClaimRow.__table__.columns.keys())
    incidents = set(IncidentRow.__table__.columns.keys())
    assert set(ROW_COLUMNS) <= claims
    assert {f[0] for f in LOCATED} <= incidents
    assert {f[0] for f in LOCATED} == set(LocatedMixin.__annotations__)
    assert ROW_COLUMNS[-1] == "extra" and len(ROW_COLUMNS) == len(FIELDS) + 1


def test_every_way_through_the_table_gives_the_same_claim():
    claim = _full_claim()
    values = claim_values(claim)
    assert values["event_date"] == date(2017, 7, 4) and values["sources"] == claim.sources
    assert located_values(claim).items() <= values.items()
    fast = encode_claim(claim, {"inter1": "1"})
    assert fast[ROW_COLUMNS.index("event_date_end")] == "2017-07-06"
    assert fast[-1] == '{"inter1": "1"}'
    back = decode_claim(fast)
    orm = claim_from_row(claim_to_row(claim))
    for read in (back, orm):
        assert read == claim, read
