"""The PDF briefing: opened with pypdf, its text and pages checked; an empty period says
so; Arabic place names come through; page 1 is rendered to build/briefing-page1.png once,
for a person to look at."""

from __future__ import annotations

import base64
import os
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from api_support import Desk, make_desk
from trucewatch.cli import main
from trucewatch.model import Casualties, Claim, Confidence, EventType, Place, Report
from trucewatch.publish.briefing import (
    RendererMissing,
    build_briefing,
    pdf_bytes,
    render_html,
    write_pdf,
)
from trucewatch.publish.svg import DayCount, daily_chart
from trucewatch.service import ingesting

BUILD = Path(__file__).parent.parent / "build"
ARABIC_PLACE = "عربين"  # Arbin, in Eastern Ghouta


def _renderer_or_skip() -> None:
    """Without WeasyPrint and Pango the PDF tests skip, except in CI, which installs them."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"the PDF renderer is not usable here: {error}")


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    desk = make_desk(tmp_path)
    claim = Claim(EventType.SHELLING, date(2017, 7, 5),
                  location=Place(ARABIC_PLACE, lat=33.54, lon=36.36, admin1="Rif Dimashq",
                                 country="Syria"),
                  perpetrator_actor="syrian-government", killed=Casualties(3, 4, 5),
                  sources=["Syrian Civil Defence"])
    ingesting.ingest_report(desk.ledger.db, Report(text="Shelling hit Arbin.",
                                                    outlet="Enab Baladi"),
                             [claim], desk.ledger.scenario())
    return desk


def _text(path: Path) -> tuple[int, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), unicodedata.normalize("NFKC", text)


@pytest.mark.slow  # renders a PDF
def test_briefing_pdf_has_every_section(desk: Desk, tmp_path: Path):
    _renderer_or_skip()
    briefing = build_briefing(desk.ledger.db, desk.ledger.scenario(), date(2017, 7, 1),
                              date(2017, 7, 10))
    pdf = tmp_path / "briefing.pdf"
    pages = write_pdf(briefing, pdf)
    count, text = _text(pdf)
    assert pages == count and 1 <= count <= 4
    for expected in ("1 July 2017 – 10 July 2017", "Summary", "Eastern Ghouta de-escalation area",
                     "Map of the zones", "Violations per day", "Douma", "Raqqa",
                     "Missed deadlines", "maps of the de-escalation areas", "missed",
                     "Disputed boundaries", "Sources cited", "Reuters", "Enab Baladi",
                     "a medical source", "4 (3–5)"):
        assert expected in text, expected
    # the Arabic name is shaped and embedded; extraction may give its letters in visual order
    assert ARABIC_PLACE in text or ARABIC_PLACE[::-1] in text
    BUILD.mkdir(exist_ok=True)
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(str(pdf))
    image = document[0].render(scale=1.4).to_pil()
    image.save(BUILD / "briefing-page1.png")
    assert image.size[0] > 700
    document.close()


def test_an_empty_period_says_nothing_was_recorded(desk: Desk, tmp_path: Path):
    _renderer_or_skip()
    briefing = build_briefing(desk.ledger.db, desk.ledger.scenario(), date(2018, 1, 1),
                              date(2018, 1, 31), zone="eastern-ghouta")
    assert briefing.empty
    pdf = tmp_path / "empty.pdf"
    assert 1 <= write_pdf(briefing, pdf) <= 2
    _, text = _text(pdf)
    assert "Nothing was recorded in the ledger between 2018-01-01 and 2018-01-31" in text
    assert "Incidents\n" not in text


def test_briefing_counts_per_zone_and_escapes_text(desk: Desk):
    briefing = build_briefing(desk.ledger.db, desk.ledger.scenario(), date(2017, 7, 1),
                              date(2017, 7, 10), zone="eastern-ghouta")
    [ghouta] = briefing.zones
    assert (ghouta.incidents, ghouta.violations, ghouta.killed) == (2, 2, 6)
    assert {e.incident.location.name for e in briefing.entries if e.incident.location} == \
        {"Douma", ARABIC_PLACE}
    assert all(e.incident.confidence in Confidence for e in briefing.entries)
    html = render_html(briefing)
    # the map and the chart are SVG images (publish.briefing._svg_image), read back here
    images = [base64.b64decode(data).decode() for data in
              re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)]
    assert len(images) == 2 and all(image.startswith("<svg") for image in images)
    zone_map, chart = images
    assert "<path" in zone_map and "<circle" in zone_map and "<rect" in chart
    for text in (html, *images):
        assert "<script>" not in text  # report text never reaches the page unescaped


def test_chart_draws_a_bar_per_day_with_violations():
    svg = daily_chart([DayCount(date(2017, 7, d), v, p) for d, v, p in
                       ((1, 0, 0), (2, 2, 1), (3, 0, 0), (4, 1, 0))])
    assert svg.count("<rect") == 3  # two stacked on 2 July, one on 4 July
    assert "01 Jul" in svg


def test_report_command(desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    url = desk.settings.database_url
    html = tmp_path / "b.html"
    with pytest.raises(SystemExit) as done:
        main(["--db", url, "report", "--from", "2017-07-01", "--to", "2017-07-10",
              "--output", str(html), "--html"])
    assert done.value.code in (0, None)
    assert "Eastern Ghouta" in html.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--db", url, "report", "--from", "2017-07-10", "--to", "2017-07-01",
              "--output", str(tmp_path / "x.pdf")])
    assert done.value.code == 2 and "upside down" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["--db", url, "report", "--from", "2017-07-01", "--to", "2017-07-10",
              "--zone", "atlantis", "--output", str(tmp_path / "x.pdf")])
    assert done.value.code == 2 and "unknown zone 'atlantis'" in capsys.readouterr().err


def test_briefing_from_the_api(desk: Desk):
    _renderer_or_skip()
    client = desk.app()
    answer = client.get("/api/briefings/briefing.pdf", params={
        "date_from": "2017-07-01", "date_to": "2017-07-10", "zone": "eastern-ghouta"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert "briefing-eastern-ghouta-2017-07-01-2017-07-10.pdf" in \
        answer.headers["content-disposition"]
    assert answer.content.startswith(b"%PDF")
    for params, status in (({"date_from": "2017-07-10", "date_to": "2017-07-01"}, 422),
                           ({"date_from": "2015-01-01", "date_to": "2017-07-01"}, 422),
                           ({"date_from": "2017-07-01", "date_to": "2017-07-10",
                             "zone": "atlantis"}, 404),
                           ({"date_from": "2017-07-01"}, 422)):
        failed = client.get("/api/briefings/briefing.pdf", params=params)
        assert failed.status_code == status and set(failed.json()) == {"error"}


def test_the_renderer_is_loaded_ahead_or_said_to_be_missing(
        desk: Desk, monkeypatch: pytest.MonkeyPatch):
    """A server loads WeasyPrint at start (not in the first briefing); without it, the
    ledger says so instead of failing, and a briefing names what to install."""
    _renderer_or_skip()
    assert desk.ledger.prepare_printing() is True
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError
    assert desk.ledger.prepare_printing() is False
    with pytest.raises(RendererMissing, match="trucewatch\\[pdf\\]"):
        pdf_bytes(desk.ledger.briefing(date(2017, 7, 1), date(2017, 7, 10)))


def test_only_the_worst_incidents_are_listed_and_all_are_counted(
        desk: Desk, monkeypatch: pytest.MonkeyPatch):
    from trucewatch.publish import briefing as module

    scenario = desk.ledger.scenario()
    whole = build_briefing(desk.ledger.db, scenario, date(2017, 7, 1), date(2017, 7, 10))
    assert whole.more == 0 and len(whole.entries) >= 3
    monkeypatch.setattr(module, "MAX_ROWS", 1)
    short = build_briefing(desk.ledger.db, scenario, date(2017, 7, 1), date(2017, 7, 10))
    [listed] = short.entries
    assert short.more == len(whole.entries) - 1
    violations = [e for e in whole.entries if e.verdict and e.verdict.kind.value == "violation"]
    worst = max((e.incident.killed.best or e.incident.killed.low or 0) for e in violations)
    assert listed.verdict is not None and listed.verdict.kind.value == "violation"
    assert (listed.incident.killed.best or listed.incident.killed.low or 0) == worst
    # the summary and the chart count every incident, listed or not
    assert [(z.incidents, z.violations, z.killed) for z in short.zones] == \
        [(z.incidents, z.violations, z.killed) for z in whole.zones]
    assert short.chart_svg == whole.chart_svg
    html = render_html(short)
    assert f"and {short.more} more incident(s) not listed" in html


def test_briefing_counts_the_same_on_postgresql(postgres, tmp_path: Path):
    """The counts are SQL (JSON zone lists grouped as text): the same on both backends."""
    if postgres.reason:
        pytest.skip(postgres.reason)
    lite, other = make_desk(tmp_path), make_desk(tmp_path, postgres=postgres)
    args = (date(2017, 7, 1), date(2017, 7, 10))
    on_sqlite = build_briefing(lite.ledger.db, lite.ledger.scenario(), *args)
    on_postgres = build_briefing(other.ledger.db, other.ledger.scenario(), *args)
    summary = [(z.id, z.incidents, z.violations, z.probable, z.killed, z.wounded)
               for z in on_postgres.zones]
    assert summary == [(z.id, z.incidents, z.violations, z.probable, z.killed, z.wounded)
                       for z in on_sqlite.zones]
    assert any(z[1] for z in summary)
    assert on_postgres.chart_svg == on_sqlite.chart_svg
    assert on_postgres.more == 0
    assert [e.incident.location.name for e in on_postgres.entries if e.incident.location] == \
        [e.incident.location.name for e in on_sqlite.entries if e.incident.location]
