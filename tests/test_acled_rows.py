"""ACLED's fast path lays its rows out by the one field table (columns.ROW_COLUMNS), not
by hand: a column added to the claims table gets its own place in every fast row."""

from __future__ import annotations

import pytest

from trucewatch.columns import ROW_COLUMNS
from trucewatch.importers import Actors, Row, acled

ROW = {"event_id_cnty": "SYR1", "event_date": "2017-07-04", "sub_event_type":
       "Air/drone strike", "actor1": "Military Forces of Syria (2000-)", "actor2": "Civilians",
       "country": "Syria", "location": "Douma", "latitude": "33.5722",
       "longitude": "36.4036", "geo_precision": "1", "source": "SOHR; SANA",
       "fatalities": "2", "admin1": "Rif Dimashq", "notes": "Air strikes on Douma.",
       "inter1": "1", "timestamp": "1499300000"}


def fast_row() -> Row:
    fields = tuple(ROW.get(name, "") for name in acled.REQUIRED + acled.OPTIONAL)
    row = acled._row(3, fields, Actors(None))
    assert isinstance(row, Row)
    return row


def test_a_fast_row_holds_each_value_under_its_column():
    values = dict(zip(ROW_COLUMNS, fast_row().values, strict=True))
    assert values["external_id"] == "SYR1" and values["dataset"] == "acled"
    assert values["event_date"] == "2017-07-04" and values["location_name"] == "Douma"
    assert (values["lat"], values["lon"]) == (33.5722, 36.4036)
    assert values["killed_low"] == values["killed_best"] == 2
    assert values["killed_high"] is None and values["event_date_end"] is None
    assert values["sources"] == '["SOHR", "SANA"]'
    assert values["perpetrator"] == "Military Forces of Syria (2000-)"
    assert values["notes"] == "Air strikes on Douma." and values["exact_type"] is True
    assert values["extra"].startswith('{"inter1": "1"')


def test_every_column_the_fast_path_fills_is_in_the_field_table():
    assert set(acled.FAST_COLUMNS) <= set(ROW_COLUMNS)
    assert len(set(acled.FAST_COLUMNS)) == len(acled.FAST_COLUMNS)


def test_a_new_column_lands_in_its_own_place():
    """The layout is made from the table: a column added anywhere in it is null in a fast
    row and moves nothing else."""
    values = fast_row().values
    widened = (*ROW_COLUMNS[:5], "casualty_note", *ROW_COLUMNS[5:])
    order = acled.row_order(acled.FAST_COLUMNS, widened)
    fast_values = tuple(values[ROW_COLUMNS.index(name)] for name in acled.FAST_COLUMNS)
    laid_out = order((*fast_values, None))
    assert laid_out[5] is None
    assert laid_out[:5] + laid_out[6:] == values


def test_a_column_the_table_lost_is_named():
    with pytest.raises(RuntimeError, match=r"\['notes'\]"):
        acled.row_order(acled.FAST_COLUMNS, tuple(c for c in ROW_COLUMNS if c != "notes"))
